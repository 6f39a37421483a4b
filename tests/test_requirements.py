"""A missing real component skips its tests, and fails them under ``NEWSDESK_REQUIRE_ALL=1``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

MISSING_TEST = """
from tests.requirements import require_module


def test_needs_a_component():
    require_module("no_such_module_for_newsdesk", component="the widget", hint="pip install w")
"""


@pytest.mark.parametrize(("require_all", "outcome"), [("1", "1 failed"), ("", "1 skipped")])
def test_a_missing_component_skips_or_under_require_all_fails_naming_the_fix(
    tmp_path: Path, require_all: str, outcome: str
) -> None:
    test = tmp_path / "test_missing.py"
    test.write_text(MISSING_TEST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(test)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NEWSDESK_REQUIRE_ALL": require_all},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert outcome in result.stdout, result.stdout
    assert "the widget is missing. Install it: pip install w" in result.stdout


def test_make_test_and_ci_require_every_component() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "NEWSDESK_REQUIRE_ALL=1 $(PY) -m pytest" in makefile
    assert "export NEWSDESK_REQUIRE_ALL=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_skip_in_the_suite_goes_through_requirements() -> None:
    """No test skips a missing component by itself (``pytest.skip``, ``importorskip``,
    ``skipif``, an ``except ImportError`` that returns...): only ``tests/requirements.py`` may,
    so REQUIRE_ALL covers every skip. The doctests pytest also collects may not skip either."""
    allowed = {ROOT / "tests" / "requirements.py", Path(__file__).resolve()}
    words = (
        "pytest.skip(",
        "importorskip(",
        "mark.skip",
        "skipif(",
        "raise SkipTest",
        "xfail",
        "import skip",
        "collect_ignore",
        "pytest_ignore_collect",
        "except ImportError",
        "except ModuleNotFoundError",
        "pytest.exit(",
        "+SKIP",
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.resolve() not in allowed
        for word in words
        if word in path.read_text(encoding="utf-8")
    ]
    doctests = [
        p for root in ("assistant", "ingest", "prompts") for p in (ROOT / root).rglob("*.py")
    ]
    offenders += [
        f"{path.relative_to(ROOT)}: {word}"
        for path in doctests
        for word in ("+SKIP", "pytest.skip(")
        if word in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders


def test_a_missing_lee_cor_fails_naming_the_file_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The held-out ``blind.jsonl`` needs gensim's second Lee file too, not only the first."""
    import bench.lee_corpus
    from tests.requirements import require_lee_corpus

    real = bench.lee_corpus.lee_path
    monkeypatch.setattr(
        bench.lee_corpus,
        "lee_path",
        lambda c="background": tmp_path / "x" if c == "test" else real(c),
    )
    monkeypatch.setenv("NEWSDESK_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match=r"gensim's Lee corpus \(lee.cor\) is missing"):
        require_lee_corpus()
