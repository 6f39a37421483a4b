from __future__ import annotations

import shutil
from pathlib import Path

from assistant import Settings
from assistant.retrieval.store import NewsStore
from tests.conftest import SEED, ingest

DEBRIS = [
    "Oops!",
    "Something went wrong",
    "Please try again later",
    "In this article",
    "min read",
    "(EPA)",
    "Read More",
    "Pegasus spyware",
    "commenting",
]


def _snapshot(store: NewsStore) -> dict[str, tuple[str, dict]]:
    result = store.collection.get(include=["documents", "metadatas"])
    return {
        i: (d, m)
        for i, d, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
    }


def test_no_stored_chunk_contains_site_debris(store: NewsStore, settings: Settings) -> None:
    ingest([SEED], store, settings)
    documents = store.collection.get(include=["documents"])["documents"]
    assert documents
    for document in documents:
        for debris in DEBRIS:
            assert debris not in document


def test_reingest_of_unchanged_article_writes_nothing(store: NewsStore, settings: Settings) -> None:
    first = ingest([SEED], store, settings)
    before = _snapshot(store)
    second = ingest([SEED], store, settings)
    assert first.chunks_written == len(before) > 0
    assert second.chunks_written == 0
    assert second.unchanged == first.added
    assert _snapshot(store) == before


def test_changed_article_replaces_its_old_chunks(
    store: NewsStore, settings: Settings, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Council votes\n\nThe council voted on Monday. The vote passed.\n")
    ingest([article], store, settings)
    article.write_text("Council votes\n\nThe council voted on Tuesday. The vote failed.\n")
    report = ingest([article], store, settings)
    documents = store.collection.get(include=["documents"])["documents"]
    assert report.updated == [str(article.resolve())]
    assert documents == ["The council voted on Tuesday. The vote failed."]


def test_chunk_metadata_keeps_title_source_and_offsets(
    store: NewsStore, settings: Settings
) -> None:
    ingest([SEED], store, settings)
    [record] = store.list_articles()
    assert record.title.startswith("Iranian-backed militias in Iraq")
    assert record.source == str(SEED)
    assert record.complete
    metadatas = store.collection.get(include=["metadatas"])["metadatas"]
    assert sorted(m["chunk_index"] for m in metadatas) == list(range(record.chunks))


def test_folders_are_ingested_recursively(
    store: NewsStore, settings: Settings, tmp_path: Path
) -> None:
    nested = tmp_path / "news" / "2021" / "july"
    nested.mkdir(parents=True)
    shutil.copy(SEED, nested / "seed.txt")
    (nested / "notes.md").write_text("# Budget passes\n\nThe budget passed on Friday.\n")
    (nested / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report = ingest([tmp_path / "news"], store, settings)
    assert len(report.added) == 2
    assert report.ok
