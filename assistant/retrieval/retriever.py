"""Hybrid retrieval of passages for a question, as a LangChain ``BaseRetriever``.

Dense (Chroma, cosine) and keyword (BM25) rankings are fused by reciprocal rank; passages
that repeat another's text are dropped::

    retriever = NewsRetriever(store=store, k=5, index_dir=Path(".newsdesk/bm25"))
    passages = retriever.retrieve("Which groups reject the withdrawal?")
    docs = retriever.invoke("Which groups reject the withdrawal?")
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ..models import Passage
from ..text.words import content_terms
from .base import ChunkStore
from .bm25 import KeywordIndex
from .filters import Filters

logger = logging.getLogger(__name__)

RRF_K = 60


class NewsRetriever(BaseRetriever):
    """Dense + BM25 retrieval over the news store; ``retrieve`` returns ``Passage`` objects.

    ``candidates`` passages are taken from each ranking before fusing; ``keywords=False``
    leaves dense retrieval alone; ``index_dir`` is where the BM25 index is saved (None: memory).
    A passage's ``score`` is its fused reciprocal-rank score (higher is better); the dense
    cosine similarity, when it had one, is in ``metadata["dense_score"]``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ChunkStore
    k: int = 5
    candidates: int = 20
    keywords: bool = True
    index_dir: Path | None = None
    _index: KeywordIndex | None = PrivateAttr(default=None)

    @property
    def keyword_index(self) -> KeywordIndex:
        if self._index is None:
            self._index = KeywordIndex(self.store, directory=self.index_dir)
        return self._index

    def warm_up(self) -> None:
        """Load the embedding model and the BM25 index now rather than on the first question."""
        self.store.embeddings.embed_query("warm up")
        if self.keywords:
            self.keyword_index.refresh()

    def retrieve(
        self, query: str, *, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        k = k or self.k
        n = max(self.candidates, k)
        dense = self.store.query(self.store.embeddings.embed_query(query), k=n, filters=filters)
        if not self.keywords:
            return dedupe(dense)[:k]
        keyword = self.keyword_index.search(query, k=n, filters=filters)
        return dedupe(self._fuse(dense, keyword))[:k]

    def _fuse(self, dense: list[Passage], keyword: list[tuple[str, float]]) -> list[Passage]:
        scores: dict[str, float] = {}
        for rank, passage in enumerate(dense):
            scores[passage.chunk_id] = 1.0 / (RRF_K + rank + 1)
        for rank, (chunk_id, _) in enumerate(keyword):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        by_id = {p.chunk_id: p for p in dense}
        missing = [chunk_id for chunk_id, _ in keyword if chunk_id not in by_id]
        if missing:
            by_id.update(self.store.passages(missing))
        dense_ids = {p.chunk_id for p in dense}
        fused: list[Passage] = []
        for chunk_id in sorted(scores, key=lambda i: scores[i], reverse=True):
            found = by_id.get(chunk_id)
            if found is None:  # deleted between the two searches
                continue
            metadata = dict(found.metadata)
            if chunk_id in dense_ids:
                metadata["dense_score"] = found.score
            fused.append(found.model_copy(update={"score": scores[chunk_id], "metadata": metadata}))
        return fused

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        return [passage_to_document(p) for p in self.retrieve(query, k=kwargs.get("k"))]


def dedupe(passages: list[Passage], *, threshold: float = 0.8) -> list[Passage]:
    """Drop passages whose words overlap an earlier one's by ``threshold`` or more (Jaccard)."""
    kept: list[tuple[Passage, frozenset[str]]] = []
    for passage in passages:
        terms = content_terms(passage.text)
        if all(_jaccard(terms, other) < threshold for _, other in kept):
            kept.append((passage, terms))
    return [p for p, _ in kept]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def passage_to_document(passage: Passage) -> Document:
    metadata = {**passage.metadata, "score": passage.score}
    return Document(id=passage.chunk_id, page_content=passage.text, metadata=metadata)
