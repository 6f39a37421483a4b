"""The real Gradio server, started in a subprocess and called through ``gradio_client``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client

from assistant import Settings
from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(seed_settings: Settings) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "NEWSDESK_STORE": str(seed_settings.store), "NEWSDESK_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("the Gradio app did not start within 120 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


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
