"""The seam between newsdesk and a vector database: what a chunk store must do.

``NewsStore`` (Chroma) implements it; a test can pass an in-memory store, and another vector
database is one new module that implements these methods::

    def answer_with(store: ChunkStore) -> Assistant:
        retriever = NewsRetriever(store=store, k=5)
        ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

from ..models import Article, Chunk, Passage
from .filters import Filters
from .records import ArticleRecord


@runtime_checkable
class ChunkStore(Protocol):
    """Chunks of articles with their vectors, searchable by vector and filterable.

    ``embeddings`` embeds questions for ``query``; chunk vectors come in with
    ``replace_articles``. Scores of ``query`` are cosine similarities, best first.
    """

    embeddings: Embeddings

    def count(self) -> int: ...

    def generation(self) -> str:
        """A token that changes with every write or delete (keeps derived indexes current)."""
        ...

    def article_statuses(self, articles: Sequence[Article]) -> dict[str, str]:
        """``"new"``, ``"current"``, ``"changed"`` or ``"foreign"`` (stored from another source)
        for each article, by id."""
        ...

    def replace_articles(
        self,
        entries: Sequence[tuple[Article, Sequence[Chunk]]],
        vectors: Sequence[Sequence[float]],
    ) -> None:
        """Write the articles' chunks, then drop the chunks of their older versions."""
        ...

    def delete_article(self, article_id: str) -> int: ...

    def list_articles(self) -> list[ArticleRecord]: ...

    def chunk_ids(self) -> list[str]:
        """Ids of every chunk (what the BM25 index compares itself with)."""
        ...

    def passages(self, ids: Sequence[str]) -> dict[str, Passage]: ...

    def query(
        self, vector: Sequence[float], *, k: int, filters: Filters | None = None
    ) -> list[Passage]: ...
