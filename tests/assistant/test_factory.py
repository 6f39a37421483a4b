"""The factory: the one registry of answer backends, and what a wrong name gets."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from pydantic import ValidationError

from assistant import Settings
from assistant.answering.base import Answerer
from assistant.cli import build_parser
from assistant.errors import BackendError
from assistant.factory import ANSWER_BACKENDS, make_answerer, make_chat_model
from assistant.settings import AnswererName
from tests.conftest import ROOT


def test_the_registry_feeds_the_cli_and_the_settings_docs() -> None:
    answerer_flag = next(a for a in build_parser()._actions if a.dest == "answerer")
    assert list(answerer_flag.choices or []) == list(ANSWER_BACKENDS)
    description = Settings.model_fields["answerer"].description or ""
    assert all(f"`{name}`" in description for name in ANSWER_BACKENDS)
    assert get_args(AnswererName) == tuple(ANSWER_BACKENDS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| answerer | what it needs |", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| `(\w+)`", table, flags=re.M) == list(ANSWER_BACKENDS)


def test_a_misspelt_answerer_fails_when_the_settings_are_read(monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_ANSWERER", "extractve")
    with pytest.raises(ValidationError) as raised:
        Settings()
    message = str(raised.value)
    assert "answerer" in message and "'extractve'" in message
    assert "'extractive', 'llamacpp', 'ollama' or 'openai'" in message
    with pytest.raises(ValidationError, match="'extractive', 'llamacpp', 'ollama' or 'openai'"):
        Settings(answerer="gpt")


def test_an_unknown_answerer_that_skipped_validation_names_the_choices() -> None:
    unchecked = Settings().model_copy(update={"answerer": "gpt"})  # model_copy validates nothing
    with pytest.raises(BackendError, match="extractive, llamacpp, ollama, openai; got 'gpt'"):
        make_chat_model(unchecked)


@pytest.mark.parametrize("name", ["ollama", "openai"])
def test_server_backends_are_built_by_langchain_without_a_call(name: str) -> None:
    model = make_chat_model(Settings(answerer=name, llm_base_url="http://127.0.0.1:9/v1"))
    assert model is not None
    assert type(model).__name__ == {"ollama": "ChatOllama", "openai": "ChatOpenAI"}[name]


def test_the_extractive_answerer_needs_no_model(seed_settings: Settings) -> None:
    from assistant.factory import open_store

    answerer = make_answerer(None, open_store(seed_settings).embeddings, seed_settings)
    assert isinstance(answerer, Answerer)
    assert type(answerer).__name__ == "ExtractiveAnswerer"
