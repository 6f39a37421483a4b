"""An in-memory ``ChunkStore`` (numpy, exact cosine search): the second implementation of the
seam, used by tests that need no Chroma and as the template of another backend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.models import Article, Chunk, Passage
from assistant.retrieval.filters import Filters
from assistant.retrieval.records import (
    ArticleRecord,
    article_record,
    article_status,
    chunk_metadata,
    passage_from_record,
)


class MemoryStore:
    """Chunks in dicts; ``query`` is exact search over every stored vector."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self.records: dict[str, tuple[str, dict[str, Any], np.ndarray]] = {}
        self.writes = 0

    def count(self) -> int:
        return len(self.records)

    def generation(self) -> str:
        return str(self.writes)

    def article_statuses(self, articles: Sequence[Article]) -> dict[str, str]:
        by_article = self._by_article()
        return {a.article_id: article_status(a, by_article.get(a.article_id, [])) for a in articles}

    def replace_articles(
        self,
        entries: Sequence[tuple[Article, Sequence[Chunk]]],
        vectors: Sequence[Sequence[float]],
    ) -> None:
        written: set[str] = set()
        rows = iter(vectors)
        for article, chunks in entries:
            for chunk in chunks:
                metadata = chunk_metadata(article, chunk, n_chunks=len(chunks))
                self.records[chunk.chunk_id] = (chunk.text, metadata, np.asarray(next(rows)))
                written.add(chunk.chunk_id)
        self.writes += 1
        replaced = {article.article_id for article, _ in entries}
        for chunk_id, (_, metadata, _) in list(self.records.items()):
            if metadata["article_id"] in replaced and chunk_id not in written:
                del self.records[chunk_id]

    def delete_article(self, article_id: str) -> int:
        ids = [i for i, (_, m, _) in self.records.items() if m["article_id"] == article_id]
        for chunk_id in ids:
            del self.records[chunk_id]
        self.writes += bool(ids)
        return len(ids)

    def list_articles(self) -> list[ArticleRecord]:
        records = [article_record(aid, ms) for aid, ms in self._by_article().items()]
        return sorted(records, key=lambda r: (r.title.lower(), r.article_id))

    def chunk_ids(self) -> list[str]:
        return list(self.records)

    def passages(self, ids: Sequence[str]) -> dict[str, Passage]:
        return {
            i: passage_from_record(i, self.records[i][0], self.records[i][1], score=0.0)
            for i in ids
            if i in self.records
        }

    def query(
        self, vector: Sequence[float], *, k: int, filters: Filters | None = None
    ) -> list[Passage]:
        ids = [i for i, (_, m, _) in self.records.items() if _passes(m, filters)]
        if not ids:
            return []
        scores = np.vstack([self.records[i][2] for i in ids]) @ np.asarray(vector)
        best = np.argsort(-scores)[:k]
        return [
            passage_from_record(
                ids[b], self.records[ids[b]][0], self.records[ids[b]][1], score=float(scores[b])
            )
            for b in best
        ]

    def _by_article(self) -> dict[str, list[dict[str, Any]]]:
        by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, metadata, _ in self.records.values():
            by_article[str(metadata["article_id"])].append(metadata)
        return by_article


def _passes(metadata: dict[str, Any], filters: Filters | None) -> bool:
    if filters is None:
        return True
    if filters.sources and metadata.get("source") not in filters.sources:
        return False
    published = metadata.get("published_ts")
    if filters.published_from is not None and (
        published is None or published < filters.published_from
    ):
        return False
    return filters.published_to is None or (
        published is not None and published <= filters.published_to
    )
