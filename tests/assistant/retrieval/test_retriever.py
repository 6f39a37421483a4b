"""Hybrid retrieval: BM25 beside dense search, filters, refresh on change, persistence, dedupe."""

from __future__ import annotations

from pathlib import Path

from assistant import Passage, Settings
from assistant.retrieval.bm25 import KeywordIndex
from assistant.retrieval.filters import Filters
from assistant.retrieval.retriever import NewsRetriever, dedupe
from assistant.retrieval.store import NewsStore
from tests.conftest import ingest

FILLER = (
    "The council met on Tuesday to discuss the city budget. Members debated road repairs, "
    "library hours and the cost of new buses. A vote is expected next month."
)


def _article(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f"{name.title()}\n\n{body}\n", encoding="utf-8")
    return path


def _ids_of_articles(passages: list[Passage]) -> set[str]:
    return {Path(p.article_id).stem for p in passages}


def test_a_keyword_hit_that_dense_search_ranks_low_is_fused_in(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    council = _article(tmp_path, "council", FILLER)
    odd = _article(tmp_path, "odd", "The home side won the cricket final. Ticket QJ8847 won.")
    ingest([council, odd], store, settings)
    retriever = NewsRetriever(store=store, k=2, candidates=1)
    query = "council budget debate QJ8847"
    dense = retriever.store.query(store.embeddings.embed_query(query), k=1)
    assert _ids_of_articles(dense) == {"council"}
    keyword = retriever.keyword_index.search(query, k=2)
    fused = retriever._fuse(dense, keyword)
    assert _ids_of_articles(fused) == {"council", "odd"}
    fetched = next(p for p in fused if "odd" in p.article_id)
    assert "QJ8847" in fetched.text and "dense_score" not in fetched.metadata


def test_keyword_hits_honour_the_metadata_filter(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    one = _article(tmp_path / "one", "first", f"{FILLER} The Quokkafest opened.")
    two = _article(tmp_path / "two", "second", f"{FILLER} The Quokkafest closed.")
    ingest([one, two], store, settings)
    retriever = NewsRetriever(store=store, k=5)
    passages = retriever.retrieve("Quokkafest", filters=Filters(sources=(str(two),)))
    assert passages
    assert {p.metadata["source"] for p in passages} == {str(two)}


def test_index_notices_new_articles_and_is_not_rebuilt_when_nothing_changed(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    ingest([_article(tmp_path, "base", FILLER)], store, settings)
    index = KeywordIndex(store)
    assert index.search("Wombatron", k=3) == []
    assert index.refresh() is False
    ingest([_article(tmp_path, "late", f"{FILLER} Wombatron arrived.")], store, settings)
    hits = index.search("Wombatron", k=3)
    assert len(hits) == 1


def test_index_notices_a_replaced_article_with_the_same_chunk_count(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    path = _article(tmp_path, "story", f"{FILLER} The mayor praised Glimmerstone.")
    ingest([path], store, settings)
    index = KeywordIndex(store, recheck_seconds=0)
    assert index.search("Glimmerstone", k=3)
    _article(tmp_path, "story", f"{FILLER} The mayor praised Brightwater.")
    ingest([path], store, settings)
    assert index.search("Glimmerstone", k=3) == []
    assert index.search("Brightwater", k=3)


def test_index_is_saved_and_loaded_without_rebuilding(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    ingest([_article(tmp_path, "saved", f"{FILLER} Kestrelwood won.")], store, settings)
    directory = tmp_path / "bm25"
    assert KeywordIndex(store, directory=directory).refresh() is True
    assert any(directory.iterdir())
    reopened = KeywordIndex(store, directory=directory, recheck_seconds=0)
    assert reopened.refresh() is False
    assert reopened.search("Kestrelwood", k=1)


def test_retriever_in_the_assistant_saves_its_index_next_to_the_store(
    seed_assistant,
) -> None:
    seed_assistant.ask("Which groups reject the withdrawal?")
    assert any((seed_assistant.settings.store / "bm25").iterdir())


def test_near_duplicate_passages_are_dropped_keeping_the_first() -> None:
    text = "Fire crews battled a blaze near Hill Top as residents left their homes."
    passages = [
        Passage(chunk_id="a", article_id="1", text=text, score=3),
        Passage(chunk_id="b", article_id="2", text=text.replace("blaze", "fire"), score=2),
        Passage(chunk_id="c", article_id="3", text="Spain beat Argentina in Perth.", score=1),
    ]
    assert [p.chunk_id for p in dedupe(passages)] == ["a", "c"]


def test_dense_only_mode_still_returns_k_passages(seed_assistant) -> None:
    retriever = NewsRetriever(store=seed_assistant.store, k=3, keywords=False)
    assert len(retriever.retrieve("Who welcomed the withdrawal?")) == 3


def test_whole_collection_reads_go_page_by_page(seed_settings: Settings) -> None:
    """A store of 100k chunks cannot be read in one call (SQLite's variable limit)."""
    from assistant.factory import open_store

    store = open_store(seed_settings)
    everything = store.chunk_ids()
    store.page_size = 2
    assert sorted(store.chunk_ids()) == sorted(everything) and len(everything) > 2
    [record] = store.list_articles()
    assert record.chunks == len(everything) and record.complete
