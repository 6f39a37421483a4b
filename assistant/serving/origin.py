"""Which requests the web server takes: only for its own host names, and no cross-site writes.

A page on another site can make a visitor's browser send a request to newsdesk (a form POST
needs no preflight), and DNS rebinding can point another name at it; in open mode nothing else
would stop either. So, also in open mode, a request must name one of the allowed hosts in
``Host``, and a request that changes something (POST, PUT, PATCH, DELETE) from a browser must
come from newsdesk's own pages (``Sec-Fetch-Site`` same-origin or none, and an ``Origin`` whose
host is the one asked)::

    app.add_middleware(OriginGuard, allowed_hosts=allowed_hosts(settings))

Clients that are not browsers (curl, httpx, gradio_client) send neither header and pass.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from ..settings import Settings

logger = logging.getLogger(__name__)

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """``NEWSDESK_ALLOWED_HOSTS`` (comma-separated; ``*`` for any), else the local names and
    ``NEWSDESK_HOST`` when it is one interface's address."""
    if settings.allowed_hosts:
        return frozenset(h.strip().lower().strip("[]") for h in settings.allowed_hosts.split(","))
    names = set(LOCAL_NAMES)
    if settings.host not in WILDCARDS:
        names.add(settings.host.lower().strip("[]"))
    return frozenset(names)


class OriginGuard:
    """ASGI middleware: 400 for a ``Host`` not allowed, 403 for a cross-site write."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        problem = self.host_problem(host) or self.cross_site_problem(scope, headers, host)
        if problem is None:
            await self.app(scope, receive, send)
            return
        status, detail = problem
        logger.warning("refused a request: %s", detail)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def host_problem(self, host: str) -> tuple[int, str] | None:
        name = _hostname(host)
        if "*" in self.allowed or name in self.allowed:
            return None
        return 400, (
            f"Host '{host[:100]}' is not served here (a guard against DNS rebinding). To reach "
            "newsdesk by this name, add it to NEWSDESK_ALLOWED_HOSTS (comma-separated)."
        )

    @staticmethod
    def cross_site_problem(
        scope: Scope, headers: dict[str, str], host: str
    ) -> tuple[int, str] | None:
        if scope["type"] == "http" and scope.get("method", "GET") in SAFE_METHODS:
            return None
        site = headers.get("sec-fetch-site")
        origin = headers.get("origin")
        foreign_origin = origin is not None and (
            origin == "null" or urlsplit(origin).netloc.lower() != host.lower()
        )
        if site in ("cross-site", "same-site") or foreign_origin:
            return 403, (
                f"Refused a cross-site request from {origin or site}: only newsdesk's own pages "
                "may change its articles or ask from a browser."
            )
        return None


def _hostname(host: str) -> str:
    """The name in a ``Host`` header, without its port (``[::1]:8000`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
