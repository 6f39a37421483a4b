"""The ``ChunkStore`` seam: the chain, ingest and hybrid retrieval run on an in-memory store."""

from __future__ import annotations

from assistant import Assistant, Settings
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.retrieval.base import ChunkStore
from assistant.retrieval.filters import parse_filters
from assistant.retrieval.retriever import NewsRetriever
from assistant.retrieval.store import NewsStore
from tests.assistant.retrieval.memory_store import MemoryStore
from tests.conftest import SEED, ingest


def memory_assistant(seed_assistant: Assistant) -> tuple[Assistant, MemoryStore]:
    embeddings = seed_assistant.store.embeddings
    store = MemoryStore(embeddings)
    settings = Settings(store=seed_assistant.settings.store)
    report = ingest([SEED], store, settings)
    assert report.ok and report.chunks_written == store.count() > 0
    assistant = Assistant(
        store=store,
        retriever=NewsRetriever(store=store, k=5),
        answerer=ExtractiveAnswerer(embeddings),
        settings=settings,
    )
    return assistant, store


def test_both_stores_satisfy_the_protocol(seed_assistant: Assistant) -> None:
    assert isinstance(seed_assistant.store, NewsStore)
    assert isinstance(seed_assistant.store, ChunkStore)
    assert isinstance(MemoryStore(seed_assistant.store.embeddings), ChunkStore)


def test_the_chain_answers_the_same_from_an_in_memory_store(seed_assistant: Assistant) -> None:
    assistant, _ = memory_assistant(seed_assistant)
    question = "Which groups reject the withdrawal?"
    in_memory = assistant.ask(question)
    in_chroma = seed_assistant.ask(question)
    assert "Kataib Hezbollah" in in_memory.answer
    assert [c.quote for c in in_memory.citations] == [c.quote for c in in_chroma.citations]


def test_reingest_into_memory_writes_nothing_and_filters_apply(seed_assistant: Assistant) -> None:
    assistant, store = memory_assistant(seed_assistant)
    again = ingest([SEED], store, assistant.settings)
    assert again.chunks_written == 0 and again.unchanged
    source = store.list_articles()[0].source
    vector, everything = store.embeddings.embed_query("the withdrawal"), store.count()
    kept = store.query(vector, k=everything, filters=parse_filters({"sources": [source]}))
    assert sorted(p.chunk_id for p in kept) == sorted(store.chunk_ids())
    elsewhere = parse_filters({"sources": ["elsewhere.txt"]})
    assert store.query(vector, k=everything, filters=elsewhere) == []
    answer = assistant.ask("Who welcomed the withdrawal?", filters={"sources": ["elsewhere.txt"]})
    assert answer.refused
