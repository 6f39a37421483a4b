"""The app's Ingest tab on a real Gradio server (subprocess), called through ``gradio_client``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.conftest import ROOT
from tests.ingest.conftest import ARTICLE_HTML


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[str]:
    port, store = _free_port(), tmp_path / "store"
    env = {**os.environ, "NEWSDESK_STORE": str(store), "NEWSDESK_PORT": str(port)}
    env.pop("NEWSDESK_API_TOKEN", None)
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


def test_ingest_tab_reports_each_upload_and_reupload_is_unchanged(
    app_server: str, tmp_path: Path
) -> None:
    url = app_server
    page, empty = tmp_path / "budget.html", tmp_path / "empty.txt"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    empty.write_bytes(b"")
    client = Client(url, verbose=False)
    files = [handle_file(str(page)), handle_file(str(empty))]
    first = client.predict(files, "", api_name="/ingest")
    assert "| budget.html | 1 added" in first
    assert "| empty.txt | failed: empty file" in first
    again = client.predict([handle_file(str(page))], "", api_name="/ingest")
    assert "| budget.html | 0 added, 0 updated, 1 unchanged" in again
    answer, sources = client.predict("When did the city council vote?", api_name="/ask")
    assert "The city council voted on Monday" in answer
    assert "Council votes on budget" in sources
