"""Fetch http(s) sources with a timeout, a size limit and a content-type check.

page = fetch("https://example.com/news/budget", max_bytes=10_000_000, timeout=20.0)
page.kind  # "html", "feed" or "text"
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from assistant.errors import SourceError

logger = logging.getLogger(__name__)

USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
TEXT_TYPES = ("text/plain", "text/markdown")


@dataclass(frozen=True)
class Page:
    """The body of a fetched URL, its final URL (after redirects) and its kind."""

    url: str
    data: bytes
    content_type: str

    @property
    def kind(self) -> str:
        return page_kind(self.content_type, self.data)


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def fetch(url: str, *, max_bytes: int, timeout: float) -> Page:
    """GET ``url``; raise ``SourceError`` naming it on any failure (status, size, type, network)."""
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_status(url, response)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            _check_type(url, content_type)
            data = _read_limited(url, response, max_bytes=max_bytes)
            return Page(url=str(response.url), data=data, content_type=content_type)
    except httpx.TimeoutException as error:
        raise SourceError(
            url, f"no answer within {timeout:g} s ({type(error).__name__}). Try again later."
        ) from error
    except httpx.HTTPError as error:
        raise SourceError(
            url, f"unreachable ({error or type(error).__name__}). Check the address."
        ) from error


def page_kind(content_type: str, data: bytes) -> str:
    """``"html"``, ``"feed"`` or ``"text"``, from the content type, else from the first bytes."""
    head = data[:2048].lstrip().lower()
    if content_type in HTML_TYPES:
        return "html"
    if content_type in FEED_TYPES or content_type.endswith(("+xml", "/xml")):
        return "html" if b"<html" in head else "feed"
    if content_type in TEXT_TYPES:
        return "text"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    return "text"


def _check_status(url: str, response: httpx.Response) -> None:
    if response.status_code >= 400:
        hint = (
            "The page does not exist; check the address."
            if response.status_code in (404, 410)
            else "The server failed; try again later."
            if response.status_code >= 500
            else "The server refused the request."
        )
        raise SourceError(url, f"HTTP {response.status_code} {response.reason_phrase}. {hint}")


def _check_type(url: str, content_type: str) -> None:
    known = (*HTML_TYPES, *FEED_TYPES, *TEXT_TYPES)
    if content_type and content_type not in known and not content_type.endswith("+xml"):
        raise SourceError(
            url,
            f"content type '{content_type}' is not a news page or feed. "
            "newsdesk reads HTML, RSS/Atom and plain text.",
        )


def _read_limited(url: str, response: httpx.Response, *, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(url, int(declared), max_bytes)
    chunks: list[bytes] = []
    size = 0
    for part in response.iter_bytes():
        size += len(part)
        if size > max_bytes:
            raise _too_big(url, size, max_bytes)
        chunks.append(part)
    data = b"".join(chunks)
    if not data.strip():
        raise SourceError(url, "the server sent an empty page; nothing to ingest.")
    return data


def _too_big(url: str, size: int, max_bytes: int) -> SourceError:
    return SourceError(
        url,
        f"page is over {size:,} bytes, over the limit of {max_bytes:,}. "
        "Raise NEWSDESK_MAX_SOURCE_BYTES to ingest it.",
    )
