"""Fetch http(s) sources with a timeout, a size limit, a content-type check and an address guard.

By default only public internet addresses are fetched, on every redirect hop (``addresses.py``);
a name with several addresses is tried at each in turn until one takes the connection::

    page = fetch("https://example.com/news/budget", max_bytes=10_000_000, timeout=20.0)
    page.kind  # "html", "feed" or "text"
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from assistant.errors import SourceError

from .addresses import Target, resolve_target
from .fetch_limits import ACCEPT_ENCODING, deadline_transport, read_decoded, too_big

logger = logging.getLogger(__name__)

USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
TEXT_TYPES = ("text/plain", "text/markdown")
MAX_REDIRECTS = 10


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


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> Page:
    """GET ``url``; raise ``SourceError`` naming it on any failure (status, size, type, network).

    Redirects are followed by hand (at most ``MAX_REDIRECTS``): every hop's host is resolved and
    checked by ``resolve_target``, and the request connects to a checked address itself, so a
    second DNS answer cannot move it to a private address (``allow_private`` lifts the check).
    ``timeout`` is a deadline for the whole fetch, every redirect hop and byte of the body
    included (``fetch_limits``); ``max_bytes`` bounds the body after decoding.
    """
    deadline = time.monotonic() + timeout
    try:
        # No kept-alive connections (the transport keeps none): each hop is pinned to an
        # address, and a connection kept from a hop to another name on the same address would
        # skip that name's TLS check.
        with httpx.Client(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            transport=deadline_transport(deadline),
        ) as client:
            return _follow(
                client, url, max_bytes=max_bytes, deadline=deadline, allow_private=allow_private
            )
    except httpx.TimeoutException as error:
        raise SourceError(
            url,
            f"no complete answer within {timeout:g} s ({type(error).__name__}). Try again later.",
        ) from error
    except httpx.HTTPError as error:
        raise SourceError(
            url, f"unreachable ({error or type(error).__name__}). Check the address."
        ) from error
    except httpx.InvalidURL as error:  # a Location httpx cannot parse (``http:\\\\host``)
        raise SourceError(url, f"redirected to a malformed URL ({error}).") from error


def _follow(
    client: httpx.Client, url: str, *, max_bytes: int, deadline: float, allow_private: bool
) -> Page:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            target = resolve_target(current, allow_private=allow_private)
        except SourceError as error:
            if current == url:
                raise
            raise SourceError(url, f"redirected to {current}: {error.problem}") from error
        with _open(client, target, deadline=deadline) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                try:
                    current = urljoin(current, location)
                except ValueError as error:
                    raise SourceError(url, f"redirected to a malformed URL ({error}).") from error
                continue
            _check_status(url, response)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            _check_type(url, content_type)
            data = _read_limited(url, response, max_bytes=max_bytes)
            return Page(url=current, data=data, content_type=content_type)
    raise SourceError(url, f"more than {MAX_REDIRECTS} redirects. Check the address.")


@contextmanager
def _open(client: httpx.Client, target: Target, *, deadline: float) -> Iterator[httpx.Response]:
    """Stream a GET of ``target`` from its first checked address that takes the connection."""
    response = _connect(client, target, deadline=deadline)
    try:
        yield response
    finally:
        response.close()


def _connect(client: httpx.Client, target: Target, *, deadline: float) -> httpx.Response:
    """Send the GET to each checked address in turn, with its own Host and TLS name.

    An address that refuses or does not answer passes to the next. The addresses share what
    is left of the fetch's time: each gets an even share, so a silent first address cannot use
    it all.
    """
    logical = httpx.URL(target.url)
    headers = {"Host": logical.netloc.decode("ascii")}
    extensions = {"sni_hostname": logical.raw_host.decode("ascii")}
    timeout = max(deadline - time.monotonic(), 0.001)
    for index, address in enumerate(target.addresses):
        share = (deadline - time.monotonic()) / (len(target.addresses) - index)
        request = client.build_request(
            "GET",
            logical.copy_with(host=str(address)),
            headers=headers,
            extensions=extensions,
            timeout=httpx.Timeout(timeout, connect=max(share, 0.001)),
        )
        try:
            return client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            if index == len(target.addresses) - 1:
                raise
            logger.info("%s: %s did not connect (%r); trying the next", target.url, address, error)
    raise AssertionError("resolve_target returns at least one address")


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
        raise too_big(url, int(declared), max_bytes)
    data = read_decoded(url, response, max_bytes=max_bytes)
    if not data.strip():
        raise SourceError(url, "the server sent an empty page; nothing to ingest.")
    return data
