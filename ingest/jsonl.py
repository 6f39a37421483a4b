"""Articles from JSON Lines files: one object per line with ``title`` and ``text``.

Optional keys: ``url`` (then the article id), ``published`` (ISO 8601) and ``source``::

    {"title": "Budget passes", "text": "The council voted...", "published": "2021-07-05"}

for item in load_jsonl(path, text=path.read_text(encoding="utf-8")):
    ...  # an Article, or a SourceError naming the file and line
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.models import Article

from .articles import make_article
from .cleaning import clean_text

logger = logging.getLogger(__name__)

LISTED_BAD_LINES = 20
"""Bad lines of one file reported one by one; the rest are counted in one more problem."""


def load_jsonl(path: Path, *, text: str) -> Iterator[Article | SourceError]:
    """One item per non-blank line; a bad line is a ``SourceError`` and the others go on.

    Without a ``url`` the article id is ``<absolute path>#L<line>``. After
    ``LISTED_BAD_LINES`` bad lines, the rest are counted in one last ``SourceError``.
    """
    bad = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield article_from_record(
                _parse(line, where), source=str(path), fallback_id=f"{path.resolve()}#L{number}"
            )
        except SourceError as error:
            bad += 1
            if bad <= LISTED_BAD_LINES:
                yield SourceError(where, error.problem)
    if bad > LISTED_BAD_LINES:
        yield SourceError(
            str(path),
            f"{bad - LISTED_BAD_LINES:,} more bad lines (of {bad:,}), not listed. Fix the "
            "lines listed first; the others are likely the same problem.",
        )


def article_from_record(record: dict[str, Any], *, source: str, fallback_id: str) -> Article:
    """An ``Article`` from one JSON object (``title``, ``text``, optional ``url``...)."""
    title, text = record.get("title"), record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(fallback_id, "no 'text' string in the record. Add the article's text.")
    title = title.strip() if isinstance(title, str) else ""
    _, body = clean_text(f"untitled\n{text}")  # the title is given, not the first line
    if not body:
        raise SourceError(fallback_id, "no article text left after cleaning; nothing to ingest.")
    url = _optional(record, "url")
    return make_article(
        article_id=url or fallback_id,
        title=title or " ".join(body.split()[:12]),
        text=body,
        source=_optional(record, "source") or source,
        url=url,
        published=_optional(record, "published"),
    )


def _parse(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise SourceError(
            where, f"not valid JSON ({error.msg} at column {error.colno}). Fix the line."
        ) from error
    if not isinstance(record, dict):
        raise SourceError(where, "a line must be a JSON object with 'title' and 'text'.")
    return record


def _optional(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None
