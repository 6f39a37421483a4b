"""``newsdesk remove`` and ``newsdesk migrate`` take the embedded store's writer lock, as
``newsdesk ingest`` does (tests/ingest/test_crash.py) and the web app's writes do
(tests/test_ingest_lock_web.py): while another writer holds it they fail with the lock's
message and write nothing; once it is released they go through.

``migrate`` locks its source, the embedded store: the target is a Chroma server, which
serialises writes itself (as for ingest with ``NEWSDESK_CHROMA_URL``), and an ingest or removal
on the source during the copy would leave replaced or removed chunks on the server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Settings
from assistant.cli import main
from assistant.factory import open_store
from assistant.retrieval.lock import store_lock
from tests.conftest import SEED, ingest
from tests.servers import chroma_server


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("lock-migrate-server")) as url:
        yield url


def test_migrate_fails_while_a_writer_holds_the_source_then_copies_everything(
    tmp_path: Path, server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    local = Settings(store=tmp_path / "store", collection="locked")
    assert ingest([SEED], open_store(local), local).chunks_written > 0
    remote = local.model_copy(update={"chroma_url": server_url})
    args = ["--store", str(local.store), "--collection", "locked", "migrate", "--to", server_url]
    capsys.readouterr()
    with store_lock(local.store, "ingest"):
        assert main(args) == 1
    error = capsys.readouterr().err
    assert f"Another ingest (pid {os.getpid()}) is writing to the store at '{local.store}'" in error
    assert open_store(remote).count() == 0  # nothing copied

    assert main(args) == 0
    assert open_store(remote).count() == open_store(local).count() > 0


def test_remove_fails_while_a_writer_holds_the_store_then_removes(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(settings)
    ingest([SEED], store, settings)
    article_id = str(SEED.resolve())
    chunks = store.count()
    args = ["--store", str(settings.store), "remove", article_id]
    capsys.readouterr()
    with store_lock(settings.store, "migration"):
        assert main(args) == 1
    error = capsys.readouterr().err
    assert f"Another migration (pid {os.getpid()}) is writing to the store at" in error
    assert store.count() == chunks  # nothing removed

    assert main(args) == 0
    assert store.count() == 0
    assert f"removed {article_id}" in capsys.readouterr().out
