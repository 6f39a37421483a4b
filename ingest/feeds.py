"""Articles from RSS and Atom feeds (feedparser): each entry's page, else the entry's own content.

for item in load_feed(data, source="https://example.com/rss", max_bytes=10**7, timeout=20):
    ...  # an Article per entry, or a SourceError naming the feed and the entry
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from assistant.errors import SourceError
from assistant.models import Article

from .articles import make_article
from .cleaning import clean_text
from .html import article_from_html, html_to_text
from .web import fetch, is_url

logger = logging.getLogger(__name__)

FEED_PAGES_TIMEOUTS = 3
"""The pages of one feed's entries are fetched within this many fetch timeouts in all; an
entry whose page is not reached by then is taken from the feed's own text."""


def load_feed(
    data: bytes, *, source: str, max_bytes: int, timeout: float, allow_private: bool = False
) -> Iterator[Article | SourceError]:
    """One item per entry; a feed with no readable entry at all is one ``SourceError``.

    feedparser is given a stream, never the bytes themselves: given bytes, it first tries them
    as a file name (a body of ``/etc/passwd`` or ``/dev/zero`` would be opened and read).
    """
    feed = feedparser.parse(io.BytesIO(data))
    if not feed.entries:
        reason = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield SourceError(
            source, f"not an RSS/Atom feed, or a feed with no entries{reason}. Check the address."
        )
        return
    deadline = time.monotonic() + FEED_PAGES_TIMEOUTS * timeout
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{source} entry {number}"
        try:
            yield article_from_entry(
                entry,
                source=source,
                max_bytes=max_bytes,
                timeout=min(timeout, deadline - time.monotonic()),
                allow_private=allow_private,
            )
        except SourceError as error:
            yield SourceError(where, error.problem)


def article_from_entry(
    entry: Any, *, source: str, max_bytes: int, timeout: float, allow_private: bool = False
) -> Article:
    """The entry's linked page; when it cannot be read, the entry's own content or summary.

    The link is fetched under the same address guard as a URL (``web.fetch``), within
    ``timeout`` seconds (none left: the entry's own text).
    """
    link = entry.get("link") if is_url(entry.get("link")) else None
    published = entry_published(entry)
    if link and timeout > 0:
        try:
            page = fetch(link, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
            return article_from_html(
                page.data, source=source, fallback_id=link, url=link, published=published
            )
        except SourceError as error:
            logger.warning("%s; using the feed entry's own text instead", error)
    return _article_from_content(entry, source=source, link=link, published=published)


def entry_published(entry: Any) -> str | None:
    """ISO 8601 (UTC) of the entry's published or updated time, if the feed gives one."""
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    year, month, day, hour, minute, second = moment[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()


def _article_from_content(
    entry: Any, *, source: str, link: str | None, published: str | None
) -> Article:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    raw = contents[0] if contents else entry.get("summary", "")
    text = html_to_text(raw) if raw else ""
    title = str(entry.get("title") or "").strip()
    _, body = clean_text(f"untitled\n{text}")
    guid = entry.get("id")
    identity = link or (f"{source}#{guid}" if guid else None)  # a guid names only its feed's
    if not body or not identity:
        raise SourceError(
            source,
            "entry has no readable page and no content"
            + ("" if identity else ", nor a link or id")
            + "; skipped.",
        )
    return make_article(
        article_id=str(identity),
        title=title or " ".join(body.split()[:12]),
        text=body,
        source=source,
        url=link,
        published=published,
    )
