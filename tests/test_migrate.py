"""`newsdesk migrate --to URL`: an embedded store copied into a real `chroma run` server with
its ids, texts, metadata and vectors, and nothing re-embedded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant import Settings
from assistant.cli import main
from assistant.factory import open_store
from tests.conftest import SEED, ingest
from tests.servers import chroma_server


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("migrate-server")) as url:
        yield url


def everything(settings: Settings) -> dict[str, tuple[str, dict, np.ndarray]]:
    store = open_store(settings)
    got = store.collection.get(include=["documents", "metadatas", "embeddings"])
    return {
        i: (d, m, np.asarray(e))
        for i, d, m, e in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
        )
    }


def test_migrate_copies_every_chunk_with_its_vector_without_embedding(
    tmp_path: Path, server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    local = Settings(store=tmp_path / "store", collection="seed")
    assert ingest([SEED], open_store(local), local).chunks_written > 0
    remote = local.model_copy(update={"chroma_url": server_url, "collection": "migrated"})
    before = open_store(remote).generation()

    args = ["--store", str(local.store), "--collection", "seed", "migrate", "--to", server_url]
    assert main([*args, "--to-collection", "migrated", "--batch", "3"]) == 0

    source, copied = everything(local), everything(remote)
    assert copied.keys() == source.keys() and len(copied) > 3  # more than one batch
    for chunk_id, (text, metadata, vector) in source.items():
        assert copied[chunk_id][:2] == (text, metadata)
        assert np.allclose(copied[chunk_id][2], vector, atol=1e-6)
    assert open_store(remote).generation() != before  # a server-side BM25 index will notice
    assert f"copied {len(source)} chunks" in capsys.readouterr().out


def test_a_second_migrate_resumes_without_duplicates(tmp_path: Path, server_url: str) -> None:
    local = Settings(store=tmp_path / "store", collection="again")
    ingest([SEED], open_store(local), local)
    args = ["--store", str(local.store), "--collection", "again", "migrate", "--to", server_url]
    assert main(args) == 0
    assert main(args) == 0
    remote = local.model_copy(update={"chroma_url": server_url})
    assert open_store(remote).count() == open_store(local).count()


def test_migrate_to_a_server_that_is_not_running_names_the_fix(tmp_path: Path, capsys) -> None:
    args = ["--store", str(tmp_path / "s"), "migrate", "--to", "http://127.0.0.1:9"]
    assert main(args) == 1
    assert "chroma run" in capsys.readouterr().err
