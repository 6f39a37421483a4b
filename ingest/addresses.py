"""Where a fetch may go: http(s) only, and by default only to public internet addresses.

Guards URL ingest and feed entries against server-side request forgery: a URL that names, or
whose host name resolves to, a loopback, private, link-local (cloud metadata), shared, reserved,
multicast or unspecified address is refused unless ``allow_private`` is set
(``NEWSDESK_FETCH_ALLOW_PRIVATE=1``, for a user who ingests their own intranet)::

    target = resolve_target("https://example.com/news", allow_private=False)
    target.addresses  # the checked IP addresses the request may connect to, in resolver order

A name with several addresses is refused whole if any one of them is non-public (not fetched
from its public ones): a name that mixes them is the shape of a DNS rebinding attack.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from assistant.errors import SourceError

SCHEMES = ("http", "https")
MAX_URL_CHARS = 8_192
"""Longest URL fetched (browsers and servers rarely take more)."""
DEFAULT_PORTS = {"http": 80, "https": 443}
OPT_IN = "NEWSDESK_FETCH_ALLOW_PRIVATE=1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A URL whose host resolved to ``addresses``, each one newsdesk may connect to."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def resolve_target(url: str, *, allow_private: bool) -> Target:
    """Check the scheme, resolve the host and check every address; raise ``SourceError``.

    One non-public address refuses the whole URL, whatever its place in the answer.
    """
    scheme = check_scheme(url)
    host, port = _host_and_port(url)
    port = port or DEFAULT_PORTS[scheme]
    addresses = resolve(url, host, port)
    if not allow_private:
        for address in addresses:
            refuse_if_private(url, address)
    return Target(url=url, scheme=scheme, host=host, port=port, addresses=tuple(addresses))


def check_url(text: str) -> None:
    """Raise ``SourceError`` unless ``text`` is an ``http(s)://host...`` URL (never a path)."""
    check_scheme(text)
    _host_and_port(text)


def _host_and_port(url: str) -> tuple[str, int | None]:
    """The URL's host and port; ``SourceError`` for anything malformed, never ``ValueError``."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise SourceError(
            url, f"not a valid URL ({error}); write it as http://host/path or https://host/path."
        ) from error
    if not host or any(ch.isspace() or ch == "\\" for ch in url):
        raise SourceError(
            url, "not a valid URL; write it as http://host/path or https://host/path."
        )
    return host, port


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: the same host, or one a subdomain of the other.

    >>> same_site("https://www.example.com/a", "https://amp.example.com/a")
    True
    >>> same_site("https://reuters.example/a", "http://copycat.example/a")
    False
    """
    try:
        hosts = [(urlsplit(u).hostname or "").removeprefix("www.") for u in (url, other)]
    except ValueError:
        return False
    a, b = hosts
    return bool(a) and (a == b or a.endswith(f".{b}") or b.endswith(f".{a}"))


def check_scheme(url: str) -> str:
    """The URL's scheme if it is http or https; else raise ``SourceError`` (``file:``...)."""
    if len(url) > MAX_URL_CHARS:
        raise SourceError(
            url[:200] + "…",
            f"the URL is {len(url):,} characters long; newsdesk fetches URLs of at most "
            f"{MAX_URL_CHARS:,}. Check the address.",
        )
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SCHEMES:
        what = f"the '{scheme}' scheme is refused" if scheme else "not a URL"
        raise SourceError(
            url,
            f"{what}: newsdesk fetches only http:// and https:// URLs (to ingest a file, "
            "upload it or give its path to `newsdesk ingest`).",
        )
    return scheme


def resolve(url: str, host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise SourceError(
            url, f"the host name '{host}' does not resolve ({error}). Check the address."
        ) from error
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise SourceError(url, f"the host name '{host}' has no address. Check the address.")
    return addresses


def refuse_if_private(url: str, address: IPAddress) -> None:
    """Raise ``SourceError`` naming the address and the opt-in unless it is a public address."""
    kind = private_kind(address)
    if kind:
        raise SourceError(
            url,
            f"refused to fetch from {address}, a {kind} address: newsdesk fetches only public "
            "internet addresses by default (a guard against server-side request forgery). "
            f"To ingest from your own network, set {OPT_IN}.",
        )


def private_kind(address: IPAddress) -> str | None:
    """What makes ``address`` non-public (``"loopback"``, ``"private"``...), or ``None``. An IPv6
    address carrying an IPv4 one (mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, Teredo) is
    judged by the IPv4 address it reaches."""
    embedded = [getattr(address, "ipv4_mapped", None), getattr(address, "sixtofour", None)]
    embedded += getattr(address, "teredo", None) or ()
    for inner in embedded:
        if inner is not None and (kind := private_kind(inner)):
            return kind
    if embedded[0] is not None:
        address = embedded[0]
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for kind, matches in checks:
        if matches:
            return kind
    return None if address.is_global else "non-public"
