"""What a caller may narrow a question to: sources and a published-date range.

``Filters`` knows no store's syntax; each ``ChunkStore`` translates it (``NewsStore`` into a
Chroma ``where`` clause)::

    filters = parse_filters({"sources": ["a.txt"], "published_from": "2024-01-01"})
    store.query(vector, k=5, filters=filters)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import QuestionError

FILTER_NAMES = ("sources", "published_from", "published_to")


@dataclass(frozen=True)
class Filters:
    """Chunks of these ``sources`` (empty: any) published within ``[start, end]`` (epoch s)."""

    sources: tuple[str, ...] = ()
    published_from: int | None = None
    published_to: int | None = None


MAX_SOURCES = 1_000
"""Most sources one filter may name."""


def parse_filters(filters: Mapping[str, Any] | None) -> Filters | None:
    """``Filters`` of ``{"sources", "published_from", "published_to"}`` (each optional; dates
    ISO 8601, inclusive: a bare ``published_to`` date covers that whole day); ``None`` if empty.

    Raises ``QuestionError`` naming an unknown filter or a date that is not ISO 8601.
    """
    given = dict(filters or {})
    unknown = sorted(set(given) - set(FILTER_NAMES))
    if unknown:
        raise QuestionError(
            f"Unknown filter {unknown}; the filters are sources, published_from and published_to."
        )
    sources = given.get("sources") or ()
    if isinstance(sources, str):
        sources = [sources]
    if len(sources) > MAX_SOURCES:
        raise QuestionError(
            f"The sources filter names {len(sources):,} sources; the limit is {MAX_SOURCES:,}. "
            "Filter by fewer sources, or by date."
        )
    parsed = Filters(
        sources=tuple(str(s) for s in sources),
        published_from=_timestamp("published_from", given.get("published_from"), end=False),
        published_to=_timestamp("published_to", given.get("published_to"), end=True),
    )
    return None if parsed == Filters() else parsed


def iso_timestamp(text: str) -> int:
    """Seconds since the epoch of an ISO 8601 date or time (UTC when no zone is given).

    Raises ``ValueError`` for text that is not ISO 8601.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _timestamp(name: str, value: Any, *, end: bool) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        timestamp = iso_timestamp(text)
    except ValueError as error:
        raise QuestionError(
            f"Filter {name} must be an ISO 8601 date such as 2024-05-31; got '{text}'."
        ) from error
    return timestamp + 86_399 if end and len(text) == 10 else timestamp
