"""Plain data that travels through newsdesk: articles, chunks, passages and answers.

``Article`` and ``Chunk`` are internal to indexing; ``Passage``, ``Citation`` and ``Answer`` are
what callers see, so they are pydantic models that serialise to the ``newsdesk ask --json`` shape::

    answer.model_dump()  # {"answer": ..., "refused": ..., "citations": [...], "retrieved": [...]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


@dataclass(frozen=True)
class Article:
    """A cleaned article: ``text`` is what chunk offsets point into."""

    article_id: str
    title: str
    text: str
    source: str
    content_hash: str
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned span ``text == article.text[start:end]`` of one article."""

    chunk_id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int


class Passage(BaseModel):
    """A retrieved chunk with its score (higher is better) and article metadata."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    article_id: str
    text: str
    score: float
    title: str = ""
    url: str | None = None
    start: int = 0
    end: int = 0
    metadata: dict[str, Any] = Field(default_factory=dict, exclude=True)


class Citation(BaseModel):
    """Marker ``[n]`` in an answer, pointing at the quoted span of a retrieved passage."""

    model_config = ConfigDict(frozen=True)

    n: int
    chunk_id: str
    article_id: str
    title: str
    url: str | None
    quote: str
    start: int
    end: int


class Answer(BaseModel):
    """An answer whose every claim carries a ``[n]`` marker resolved in ``citations``."""

    model_config = ConfigDict(frozen=True)

    answer: str
    refused: bool
    citations: list[Citation]
    retrieved: list[Passage]
    # Set by LLM answerers: why the extractive answer replaced the model's (down, timed out,
    # nothing supported), and the share of the model's sentences that passed the citation check.
    notice: str | None = None
    supported_share: float | None = None
    # The answerer's probability that its best sentence answers (set also when it refused).
    confidence: float | None = None

    @property
    def text(self) -> str:
        return self.answer
