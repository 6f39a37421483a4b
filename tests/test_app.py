"""The real Gradio server, started in a subprocess and called through ``gradio_client``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gradio_client import Client

from assistant import Settings
from tests.servers import app_server


@pytest.fixture(scope="module")
def server(seed_settings: Settings) -> Iterator[str]:
    with app_server(seed_settings.store) as url:
        yield url


def test_running_app_answers_with_markers_and_sources(server: str) -> None:
    client = Client(server, verbose=False)
    answer, sources = client.predict("Which groups reject the withdrawal?", api_name="/ask")
    assert "Kataib Hezbollah" in answer and "[1]" in answer
    assert "deceptive declaration" in sources
    assert "Iranian-backed militias in Iraq" in sources


def test_running_chat_keeps_the_conversation(server: str) -> None:
    client = Client(server, verbose=False)
    _, history, sources = client.predict(
        "Which groups reject the withdrawal?", [], api_name="/chat"
    )
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "**[1]**" in sources


def test_running_app_reports_a_bad_question_as_an_error(server: str) -> None:
    client = Client(server, verbose=False)
    with pytest.raises(Exception, match="limit is 2,000"):
        client.predict("x" * 100_000, api_name="/ask")
