"""What keeps a question cheap on a large store: a generation token instead of id hashing, an
incremental (and, when large, background) BM25 update, and filters as a precomputed mask."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant import Settings
from assistant.factory import open_store
from assistant.retrieval.bm25 import KeywordIndex
from assistant.retrieval.filters import Filters
from assistant.retrieval.store import NewsStore
from ingest.articles import make_article
from ingest.pipeline import index_articles
from tests.assistant.retrieval.memory_store import MemoryStore


class CountingStore:
    """A ``MemoryStore`` that counts the calls made to it and the ids it was asked for."""

    def __init__(self) -> None:
        self.inner = MemoryStore(DeterministicFakeEmbedding(size=16))
        self.calls: Counter[str] = Counter()
        self.fetched: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if not callable(method):
            return method

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if name == "passages":
                self.fetched += list(args[0])
            return method(*args, **kwargs)

        return counted


def add(store: Any, number: int, text: str, *, source: str = "wire", day: str = "2024-03-05"):
    article = make_article(
        article_id=f"a{number}", title=f"A{number}", text=text, source=source, published=day
    )
    return index_articles([article], store, chunk_chars=600)


ARCHIVE = [  # number, text, source, day
    (1, "The harbour ferry Quillon sailed at dawn.", "wire", "2024-03-05"),
    (2, "The Quillon museum opened a new wing.", "desk", "2024-06-01"),
    (3, "Farmers sold wheat at the autumn market.", "desk", "2023-01-01"),
]
UNDATED = (5, "An undated note.", "desk", "")


@pytest.fixture
def counting() -> CountingStore:
    store = CountingStore()
    for number, text, source, day in ARCHIVE:
        add(store, number, text, source=source, day=day)
    return store


def test_a_search_on_an_unchanged_store_reads_only_the_generation(counting) -> None:
    index = KeywordIndex(counting)
    assert index.search("Quillon", k=5)
    counting.calls.clear()
    for _ in range(3):
        assert len(index.search("Quillon", k=5, filters=Filters(sources=("desk",)))) == 1
    assert counting.calls == Counter({"generation": 3})


def test_an_update_fetches_only_the_new_chunks(counting) -> None:
    index = KeywordIndex(counting)
    index.refresh()
    counting.fetched.clear()
    add(counting, 4, "Quillon sailors went on strike.")
    assert {chunk_id for chunk_id, _ in index.search("strike", k=5)} == set(counting.fetched)
    assert len(counting.fetched) == 1


def test_a_deleted_article_leaves_the_index_without_a_rebuild_from_the_store(counting) -> None:
    index = KeywordIndex(counting)
    index.refresh()
    counting.fetched.clear()
    counting.delete_article("a1")
    assert len(index.search("Quillon", k=5)) == 1
    assert counting.fetched == []


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sources=("desk",)),
        Filters(sources=("wire", "desk")),
        Filters(published_from=1_704_067_200),  # 2024-01-01
        Filters(published_to=1_709_683_199),  # end of 2024-03-05
        Filters(sources=("desk",), published_from=1_704_067_200, published_to=1_719_791_999),
        Filters(sources=("nowhere",)),
    ],
)
def test_the_filter_mask_keeps_exactly_the_chunks_the_dense_search_would(
    counting, settings: Settings, filters: Filters
) -> None:
    """BM25's mask and the store's filtered ``query`` (Chroma's where clause, and the in-memory
    store's) let the same chunks through, so both halves of a hybrid search see one subset."""
    from assistant.factory import make_client, open_collection

    client = make_client(settings)
    chroma = NewsStore(
        open_collection(client, settings.collection), counting.inner.embeddings, client=client
    )
    for number, text, source, day in [*ARCHIVE, UNDATED]:
        add(chroma, number, text, source=source, day=day)
    number, text, source, day = UNDATED
    add(counting, number, text, source=source, day=day)
    index = KeywordIndex(counting)
    index.refresh()
    snapshot = index.snapshot
    kept = {i for i, keep in zip(snapshot.ids, snapshot.mask(filters), strict=True) if keep}
    assert kept == searched(counting.inner, filters) == searched(chroma, filters)
    assert bool(kept) == (filters.sources != ("nowhere",))  # only that filter keeps nothing


def searched(store: Any, filters: Filters) -> set[str]:
    """The chunks the store's vector search returns through ``filters`` when it may return all."""
    vector = store.embeddings.embed_query("Quillon")
    return {p.chunk_id for p in store.query(vector, k=store.count(), filters=filters)}


def test_a_large_index_catches_up_in_the_background(counting) -> None:
    index = KeywordIndex(counting, sync_limit=0)
    index.refresh()
    add(counting, 6, "Brindlewick won the regatta.")
    assert index.refresh(wait=False) is False  # started, not waited for
    index.wait(timeout=30)
    hits = index.search("Brindlewick", k=1)
    assert len(hits) == 1 and counting.calls["passages"] == 2


def test_a_reopened_index_updates_from_its_saved_tokens(counting, tmp_path: Path) -> None:
    KeywordIndex(counting, directory=tmp_path).refresh()
    add(counting, 7, "Tollgrove elected a mayor.")
    counting.fetched.clear()
    reopened = KeywordIndex(counting, directory=tmp_path)
    assert reopened.search("Tollgrove", k=5)
    assert len(counting.fetched) == 1  # only the new chunk; the rest came from disk
    assert len(reopened.search("Quillon", k=5)) == 2


def test_every_write_through_any_store_of_the_collection_changes_the_generation(
    settings: Settings,
) -> None:
    writer = open_store(settings)
    reader = open_store(settings)  # another NewsStore, as another process would hold
    seen = {reader.generation()}
    add(writer, 1, "Quarrytown opened a bridge.")
    seen.add(reader.generation())
    add(writer, 1, "Quarrytown closed a bridge.")
    seen.add(reader.generation())
    writer.delete_article("a1")
    seen.add(reader.generation())
    assert len(seen) == 4
    assert isinstance(writer, NewsStore) and writer.count() == 0


class ModifyCountingClient:
    """A Chroma client whose collections count the ``modify`` calls made on them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.modified = 0

    def get_or_create_collection(self, *args: Any, **kwargs: Any) -> Any:
        counter = self
        collection = self.client.get_or_create_collection(*args, **kwargs)

        class Counted:
            def __getattr__(self, name: str) -> Any:
                return getattr(collection, name)

            def modify(self, *args: Any, **kwargs: Any) -> Any:
                counter.modified += 1
                return collection.modify(*args, **kwargs)

        return Counted()


def stored_ef_search(settings: Settings) -> int:
    import warnings

    from assistant.factory import make_client

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        collection = make_client(settings).get_collection(
            settings.collection, embedding_function=None
        )
        return int(collection.configuration["hnsw"]["ef_search"])


@pytest.mark.parametrize(("stored", "modifies"), [(None, 0), (10, 1), (150, 0), (400, 0)])
def test_opening_a_collection_writes_ef_search_only_while_it_is_below_ours(
    settings: Settings, stored: int | None, modifies: int
) -> None:
    """Readers (ask, eval, a second process) open the store too: an up-to-date store is never
    modified by an open, an old one (ef_search below ours) once, a higher one is kept."""
    from assistant.factory import EF_SEARCH, make_client, open_collection

    if stored is not None:
        make_client(settings).create_collection(
            settings.collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": stored}},
        )
    counting = ModifyCountingClient(make_client(settings))
    for _ in range(3):
        open_collection(counting, settings.collection)
    open_store(settings, client=counting)  # the product's path, as another process would
    assert counting.modified == modifies
    assert stored_ef_search(settings) == max(stored or 0, EF_SEARCH)
