"""The app's Ingest tab on a real Gradio server (subprocess), called through ``gradio_client``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from tests.ingest.conftest import ARTICLE_HTML
from tests.servers import app_server as run_app


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[str]:
    with run_app(tmp_path / "store") as url:
        yield url


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
