"""Turn sources (files, folders, URLs, feeds) into cleaned ``Article`` objects.

One loader per kind: ``.txt``/``.md`` here, ``.html`` in ``html.py``, ``.jsonl`` in ``jsonl.py``,
RSS/Atom in ``feeds.py``, http(s) URLs through ``web.py``::

    for item in load_sources(["data/articles", "https://example.com/rss"], max_bytes=10**7):
        ...  # an Article, or a SourceError naming the source and the problem
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.models import Article

from .addresses import check_url
from .articles import make_article
from .cleaning import clean_text
from .feeds import load_feed
from .html import article_from_html
from .jsonl import load_jsonl
from .web import fetch, is_url

logger = logging.getLogger(__name__)

__all__ = ["SUPPORTED_SUFFIXES", "load_sources", "load_text_file", "make_article"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # a URL of some scheme, e.g. file: or ftp:


def load_sources(
    sources: Iterable[str | Path],
    *,
    max_bytes: int,
    timeout: float = 20.0,
    allow_private: bool = False,
) -> Iterator[Article | SourceError]:
    """Yield an ``Article`` per readable article and a ``SourceError`` per unreadable source.

    Folders are walked recursively (files of unsupported kinds in them are skipped quietly);
    a file named directly must be of a supported kind. URLs are fetched; a URL answering a
    feed yields one item per entry. Fetches go only to public addresses unless
    ``allow_private`` (``NEWSDESK_FETCH_ALLOW_PRIVATE``) is set.
    """
    fetching: dict[str, Any] = {
        "max_bytes": max_bytes,
        "timeout": timeout,
        "allow_private": allow_private,
    }
    for source in sources:
        if is_url(source):
            yield from load_url(str(source), **fetching)
            continue
        path = Path(source)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(file, path):
                    yield from load_file(file, **fetching)
        elif path.exists():
            yield from load_file(path, **fetching)
        elif _SCHEME.match(str(source)):
            yield _not_fetchable(str(source))
        else:
            yield SourceError(str(source), "no such file or folder. Check the path.")


def _not_fetchable(url: str) -> SourceError:
    """Why a URL that is not ``http(s)://host...`` is not fetched."""
    try:
        check_url(url)
    except SourceError as error:
        return error
    return SourceError(url, "not a valid URL; write it as http://host/path or https://host/path.")


def load_url(
    url: str, *, max_bytes: int, timeout: float, allow_private: bool = False
) -> Iterator[Article | SourceError]:
    """The article at ``url``, or every entry of the feed at ``url``."""
    try:
        page = fetch(url, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
        if page.kind == "feed":
            yield from load_feed(
                page.data,
                source=url,
                max_bytes=max_bytes,
                timeout=timeout,
                allow_private=allow_private,
            )
        elif page.kind == "html":
            yield article_from_html(page.data, source=url, fallback_id=page.url, url=page.url)
        else:
            yield _text_article(decode_text(page.data, source=url), source=url, article_id=url)
    except SourceError as error:
        yield error


def load_file(
    path: Path, *, max_bytes: int, timeout: float, allow_private: bool = False
) -> Iterator[Article | SourceError]:
    """Every article in the file at ``path`` (one, or one per line/entry)."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            text = decode_text(read_bytes(path, max_bytes=max_bytes), source=str(path))
            yield from load_jsonl(path, text=text)
        elif suffix in FEED_SUFFIXES:
            data = read_bytes(path, max_bytes=max_bytes)
            yield from load_feed(
                data,
                source=str(path),
                max_bytes=max_bytes,
                timeout=timeout,
                allow_private=allow_private,
            )
        elif suffix in HTML_SUFFIXES:
            data = read_bytes(path, max_bytes=max_bytes)
            decode_text(data, source=str(path))  # refuses binary data with a clear message
            yield article_from_html(data, source=str(path), fallback_id=str(path.resolve()))
        else:
            yield load_text_file(path, max_bytes=max_bytes)
    except SourceError as error:
        yield error
    except OSError as error:
        yield SourceError(str(path), f"cannot be read ({error.strerror}).")


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


def load_text_file(path: Path, *, max_bytes: int) -> Article:
    """Load a ``.txt``/``.md`` article: first line the headline, the rest its body."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise SourceError(
            str(path), f"unsupported kind of file '{path.suffix}'. Use one of {kinds}."
        )
    data = read_bytes(path, max_bytes=max_bytes)
    text = decode_text(data, source=str(path))
    return _text_article(text, source=str(path), article_id=str(path.resolve()), stem=path.stem)


def _text_article(text: str, *, source: str, article_id: str, stem: str = "") -> Article:
    title, body = clean_text(text)
    if not body:
        raise SourceError(source, "no article text left after cleaning; nothing to ingest.")
    url = article_id if is_url(article_id) else None
    return make_article(
        article_id=article_id, title=title or stem, text=body, source=source, url=url
    )


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise SourceError(str(path), "empty file (0 bytes); nothing to ingest.")
    if size > max_bytes:
        raise SourceError(
            str(path),
            f"file is {size:,} bytes, over the limit of {max_bytes:,}. "
            "Split it or raise NEWSDESK_MAX_SOURCE_BYTES.",
        )
    return path.read_bytes()


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (BOM allowed); fall back to Windows-1252 with a warning; refuse binary data."""
    if b"\x00" in data[:8192]:
        raise SourceError(
            source,
            "binary file, not text (it contains NUL bytes). "
            "Convert it to .txt, .md or .html first.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        logger.warning(
            "%s: not valid UTF-8 (byte 0x%02x at offset %d); read as Windows-1252/Latin-1. "
            "Re-save it as UTF-8 if the text looks wrong.",
            source,
            data[error.start],
            error.start,
        )
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:8192]) // 50):
        raise SourceError(
            source,
            "binary file, not text (it is full of control characters). "
            "Convert it to .txt, .md or .html first.",
        )
    return text
