"""The web app's writes (Ingest tab, ``POST /api/ingest``, ``DELETE /api/articles/{id}``) take
the same writer lock as ``newsdesk ingest``: while another real process holds it, the web app
refuses with the lock's message (409 in the API, an error in the tab) and writes nothing.
The CLI's ``remove`` and ``migrate`` are in tests/test_writer_lock_cli.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client, handle_file

from assistant import Assistant, Settings
from assistant.factory import open_store
from server import create_server
from tests.conftest import SEED, ingest
from tests.servers import ROOT, Served

HOLD_LOCK = """
import sys
from pathlib import Path
from assistant.retrieval.lock import store_lock

with store_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes stdin
"""
ARTICLE = b"Harbour reopens\n\nThe harbour of Quillfield reopened on Tuesday after repairs.\n"


@contextmanager
def lock_held_by_another_process(store: Path) -> Iterator[int]:
    """A real second process holding the store's ingest lock; yields its pid."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(store)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder.pid
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    settings = Settings(store=tmp_path_factory.mktemp("lock-store"))
    ingest([SEED], open_store(settings), settings)
    with Served(create_server(Assistant.from_settings(settings))) as server:
        yield server.url, settings


def _articles(url: str) -> set[str]:
    return {a["article_id"] for a in httpx.get(f"{url}/api/articles", timeout=60).json()}


def test_api_ingest_is_409_while_another_process_ingests_then_goes_through(
    served: tuple[str, Settings],
) -> None:
    url, settings = served
    files = {"files": ("harbour.txt", ARTICLE, "text/plain")}
    with lock_held_by_another_process(settings.store) as pid:
        refused = httpx.post(f"{url}/api/ingest", files=files, timeout=120)
        assert refused.status_code == 409
        detail = refused.json()["detail"]
        assert f"Another ingest (pid {pid})" in detail and str(settings.store) in detail
        assert "upload:harbour.txt" not in _articles(url)
    accepted = httpx.post(f"{url}/api/ingest", files=files, timeout=120)
    assert accepted.status_code == 200
    assert accepted.json()["added"] + accepted.json()["updated"] == ["upload:harbour.txt"]


def test_ingest_tab_shows_the_lock_message_while_another_process_ingests(
    served: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = served
    page = tmp_path / "bridge.txt"
    page.write_bytes(b"Bridge closes\n\nThe old bridge closed on Friday for repairs.\n")
    client = Client(f"{url}/", verbose=False)
    with lock_held_by_another_process(settings.store) as pid:
        with pytest.raises(Exception, match=rf"Another ingest \(pid {pid}\)"):
            client.predict([handle_file(str(page))], "", api_name="/ingest")
        assert "upload:bridge.txt" not in _articles(url)
    result = client.predict([handle_file(str(page))], "", api_name="/ingest")
    assert "| bridge.txt | 1 added" in result


def test_api_delete_is_409_while_another_process_ingests_then_goes_through(
    served: tuple[str, Settings],
) -> None:
    url, settings = served
    article_id = str(SEED.resolve())
    chunks = open_store(settings).count()
    assert article_id in _articles(url)
    address = f"{url}/api/articles/{quote(article_id, safe='')}"
    with lock_held_by_another_process(settings.store) as pid:
        refused = httpx.delete(address, timeout=60)
        assert refused.status_code == 409
        detail = refused.json()["detail"]
        assert f"Another ingest (pid {pid})" in detail and str(settings.store) in detail
        assert article_id in _articles(url) and open_store(settings).count() == chunks
    accepted = httpx.delete(address, timeout=60)
    assert accepted.status_code == 200 and accepted.json()["deleted_chunks"] > 0
    assert article_id not in _articles(url)
    assert open_store(settings).count() == chunks - accepted.json()["deleted_chunks"]
