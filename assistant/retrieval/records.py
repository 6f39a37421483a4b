"""How a chunk and its article are written into, and read back from, a store's records.

The chunks' own metadata is the manifest: each chunk records its article's ``content_hash``
and ``n_chunks``, so an article is complete and current exactly when all its chunks agree.

    metadata = chunk_metadata(article, chunk, n_chunks=3)
    passage = passage_from_record(chunk_id, text, metadata, score=0.9)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..models import Article, Chunk, Passage
from .filters import iso_timestamp

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleRecord:
    """What the store holds of one article (from its chunks' metadata)."""

    article_id: str
    title: str
    url: str | None
    source: str
    published: str | None
    chunks: int
    complete: bool
    content_hash: str


def chunk_metadata(article: Article, chunk: Chunk, *, n_chunks: int) -> dict[str, Any]:
    """Chroma metadata of one chunk (Chroma stores no ``None``, so absent values are left out)."""
    metadata: dict[str, Any] = {
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source,
        "content_hash": article.content_hash,
        "n_chunks": n_chunks,
        "chunk_index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
    }
    if article.url:
        metadata["url"] = article.url
    if article.published:
        metadata["published"] = article.published
        timestamp = published_timestamp(article.published)
        if timestamp is not None:
            metadata["published_ts"] = timestamp
    return metadata


def published_timestamp(published: str) -> int | None:
    """``iso_timestamp`` of an article's date, or ``None`` (logged) when it is not ISO 8601."""
    try:
        return iso_timestamp(published)
    except ValueError:
        logger.warning("published date %r is not ISO 8601; no published_ts stored", published)
        return None


def article_status(article: Article, metadatas: list[dict[str, Any]]) -> str:
    """``"new"``, ``"current"``, ``"changed"``, or ``"foreign"``: stored from another source."""
    if not metadatas:
        return "new"
    if any(m.get("source") != article.source for m in metadatas):
        return "foreign"
    current = all(
        m.get("content_hash") == article.content_hash and m.get("n_chunks") == len(metadatas)
        for m in metadatas
    )
    return "current" if current else "changed"


def passage_from_record(
    chunk_id: str, text: str, metadata: dict[str, Any], *, score: float
) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        article_id=str(metadata["article_id"]),
        text=text,
        score=score,
        title=str(metadata.get("title", "")),
        url=metadata.get("url"),
        start=int(metadata.get("start", 0)),
        end=int(metadata.get("end", 0)),
        metadata=dict(metadata),
    )


def article_record(article_id: str, metadatas: list[dict[str, Any]]) -> ArticleRecord:
    first = metadatas[0]
    hashes = {m.get("content_hash") for m in metadatas}
    complete = len(hashes) == 1 and all(m.get("n_chunks") == len(metadatas) for m in metadatas)
    return ArticleRecord(
        article_id=article_id,
        title=str(first.get("title", "")),
        url=first.get("url"),
        source=str(first.get("source", "")),
        published=first.get("published"),
        chunks=len(metadatas),
        complete=complete,
        content_hash=str(first.get("content_hash")),
    )
