"""The Chroma collection of chunks: the one module that knows Chroma's query and filter syntax.

store = NewsStore(collection, embeddings, client=client)
store.replace_articles([(article, chunks)], vectors)
passages = store.query(embeddings.embed_query("Who welcomed it?"), k=5)
token = store.generation()  # changes with every write through any NewsStore of the collection

Long because: every Chroma call lives here (reads, writes, filters, the generation, copying).
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

from ..errors import StoreUnavailableError
from ..models import Article, Chunk, Passage
from .filters import Filters
from .records import (
    ArticleRecord,
    article_record,
    article_status,
    chunk_metadata,
    passage_from_record,
)

logger = logging.getLogger(__name__)

GENERATION = "newsdesk_generation"  # collection metadata: writes so far, and the last one's id
LAST_WRITE = "newsdesk_last_write"


class NewsStore:
    """Chunks of articles in a Chroma collection, embedded by ``embeddings``.

    The collection has no Chroma embedding function: vectors always come from ``embeddings``,
    so Chroma never downloads its own model. Every write or delete bumps a counter in the
    collection's metadata; ``generation`` reads it back through ``client`` (so other processes'
    writes show; without a client, only this object's), in one cheap call.
    """

    page_size = 5000  # chunks per read when reading the whole collection

    def __init__(self, collection: Any, embeddings: Embeddings, *, client: Any = None) -> None:
        self.collection = collection
        self.embeddings = embeddings
        self.client = client

    def count(self) -> int:
        return int(self._call(self.collection.count))

    def generation(self) -> str:
        """A token that changes whenever any chunk is written or deleted through a NewsStore."""
        got = self._metadata()
        return f"{got.get(GENERATION, 0)}:{got.get(LAST_WRITE, '')}"

    def _metadata(self) -> dict[str, Any]:
        collection = self.collection
        if self.client is not None:
            get = self.client.get_collection
            collection = self._call(get, collection.name, embedding_function=None)
        return dict(collection.metadata or {})

    def _bump(self) -> None:
        metadata = {k: v for k, v in self._metadata().items() if not k.startswith("hnsw:")}
        metadata[GENERATION] = int(metadata.get(GENERATION, 0)) + 1
        metadata[LAST_WRITE] = uuid.uuid4().hex[:12]  # two writers bumping to the same count
        self._call(self.collection.modify, metadata=metadata)

    def article_statuses(self, articles: Sequence[Article]) -> dict[str, str]:
        """``"new"``, ``"current"`` (this version, complete), ``"changed"`` or ``"foreign"``
        (stored from another source) per article, with one query per 500 of them (no
        embedding)."""
        by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        ids = sorted({a.article_id for a in articles})
        for begin in range(0, len(ids), 500):
            result = self._call(
                self.collection.get,
                where={"article_id": {"$in": ids[begin : begin + 500]}},
                include=["metadatas"],
            )
            for metadata in result["metadatas"] or []:
                by_article[str(metadata["article_id"])].append(metadata)
        return {a.article_id: article_status(a, by_article.get(a.article_id, [])) for a in articles}

    def replace_articles(
        self,
        entries: Sequence[tuple[Article, Sequence[Chunk]]],
        vectors: Sequence[Sequence[float]],
    ) -> None:
        """Write the chunks of several articles (``vectors`` in the same order), then delete
        every chunk of an older version of them: one read, then writes and deletes in batches.

        Writing before deleting means a crash in between leaves the old chunks marked with the
        old hash, so the next ingest sees those articles as changed and finishes the job.
        """
        article_ids = sorted({article.article_id for article, _ in entries})
        old_ids = set(
            self._call(self.collection.get, where={"article_id": {"$in": article_ids}}, include=[])[
                "ids"
            ]
        )
        records = [
            (chunk, chunk_metadata(article, chunk, n_chunks=len(chunks)))
            for article, chunks in entries
            for chunk in chunks
        ]
        step = self.page_size  # under Chroma's largest batch (5,461 here)
        for begin in range(0, len(records), step):
            batch = records[begin : begin + step]
            self._call(
                self.collection.upsert,
                ids=[chunk.chunk_id for chunk, _ in batch],
                embeddings=[list(v) for v in vectors[begin : begin + step]],
                documents=[chunk.text for chunk, _ in batch],
                metadatas=[metadata for _, metadata in batch],
            )
        stale = sorted(old_ids - {chunk.chunk_id for chunk, _ in records})
        for begin in range(0, len(stale), step):
            self._call(self.collection.delete, ids=stale[begin : begin + step])
        if records or stale:
            self._bump()

    def delete_article(self, article_id: str) -> int:
        """Remove every chunk of ``article_id``; return how many there were."""
        ids = self._call(self.collection.get, where={"article_id": article_id}, include=[])["ids"]
        if ids:
            self._call(self.collection.delete, ids=ids)
            self._bump()
        return len(ids)

    def list_articles(self) -> list[ArticleRecord]:
        """One record per article in the store, sorted by title."""
        by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for page in self._pages(include=["metadatas"]):
            for metadata in page["metadatas"] or []:
                by_article[str(metadata["article_id"])].append(metadata)
        return sorted(
            (article_record(aid, ms) for aid, ms in by_article.items()),
            key=lambda r: (r.title.lower(), r.article_id),
        )

    def chunk_ids(self) -> list[str]:
        """Ids of every chunk."""
        return [i for page in self._pages(include=[]) for i in page["ids"]]

    def _pages(self, size: int | None = None, **query: Any) -> Iterator[dict[str, Any]]:
        """``collection.get(**query)`` ``size`` (default ``page_size``) chunks at a time: one
        call over 100k chunks overflows SQLite's limit on query variables."""
        size = size or self.page_size
        for offset in itertools.count(0, size):
            got = self._call(self.collection.get, limit=size, offset=offset, **query)
            yield got
            if len(got["ids"]) < size:
                return

    def passages(self, ids: Sequence[str]) -> dict[str, Passage]:
        """The chunks ``ids`` as passages (score 0), by id; ids no longer stored are absent."""
        by_id: dict[str, Passage] = {}
        for begin in range(0, len(ids), 2000):
            result = self._call(
                self.collection.get,
                ids=list(ids[begin : begin + 2000]),
                include=["documents", "metadatas"],
            )
            for chunk_id, text, metadata in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            ):
                by_id[chunk_id] = passage_from_record(chunk_id, text or "", metadata, score=0.0)
        return by_id

    def query(
        self, vector: Sequence[float], *, k: int, filters: Filters | None = None
    ) -> list[Passage]:
        """The ``k`` chunks nearest to ``vector``, best first; score is cosine similarity."""
        result = self._call(
            self.collection.query,
            query_embeddings=[list(vector)],
            n_results=k,
            where=where_clause(filters),
            include=["documents", "metadatas", "distances"],
        )
        return [
            passage_from_record(chunk_id, text, metadata, score=1.0 - float(distance))
            for chunk_id, text, metadata, distance in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]

    def copy_to(
        self,
        target: NewsStore,
        *,
        batch: int = 1000,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> int:
        """Copy every chunk (id, text, metadata, vector: no re-embedding) into ``target``,
        ``batch`` at a time; return how many. It upserts, so a rerun resumes."""
        total = self.count()
        copied = 0
        for got in self._pages(batch, include=["embeddings", "documents", "metadatas"]):
            if not got["ids"]:
                break
            target._call(
                target.collection.upsert,
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=got["documents"],
                metadatas=got["metadatas"],
            )
            copied += len(got["ids"])
            if on_batch is not None:
                on_batch(copied, total)
        target._bump()
        return copied

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as error:  # chromadb raises many types for a store it cannot reach
            if _is_connection_error(error):
                raise StoreUnavailableError(
                    f"The Chroma store cannot be reached ({error}). Start it, or check "
                    "NEWSDESK_CHROMA_URL / NEWSDESK_STORE."
                ) from error
            if "hnsw" in str(error).lower():
                raise StoreUnavailableError(
                    f"The store's vector index is damaged ({error}). Rebuild the store: move "
                    "it aside and ingest your sources again into a new one."
                ) from error
            raise


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """The Chroma ``where`` clause of ``filters``; ``None`` when it lets everything through."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.published_from is not None:
        clauses.append({"published_ts": {"$gte": filters.published_from}})
    if filters.published_to is not None:
        clauses.append({"published_ts": {"$lte": filters.published_to}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _is_connection_error(error: Exception) -> bool:
    names = {type(e).__name__ for e in (error, error.__cause__, error.__context__) if e}
    return bool(
        names
        & {
            "ConnectError",
            "ConnectionError",
            "ConnectTimeout",
            "ConnectionRefusedError",
            "RemoteProtocolError",
        }
    )
