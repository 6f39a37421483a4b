"""Request-size limits of the web server: a body over the limit is refused with 413, early.

A declared ``Content-Length`` over the limit is refused before a byte of the body is read; a
chunked body is counted as it streams in and refused as soon as it passes the limit, so a
multi-GB upload is never read into memory or onto disk::

    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
"""

from __future__ import annotations

import json
import logging

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class BodyTooLarge(HTTPException):
    """The request body passed ``max_bytes`` (FastAPI turns it into a 413 response)."""

    def __init__(self, max_bytes: int, size: int | None = None) -> None:
        got = f" of {size:,} bytes" if size is not None else ""
        super().__init__(
            413,
            f"Request body{got} is over the limit of {max_bytes:,} bytes. Send fewer or "
            "smaller files per request, or raise NEWSDESK_MAX_UPLOAD_BYTES.",
            headers={"Connection": "close"},  # the server stops reading the rest of the body
        )


class BodyLimit:
    """ASGI middleware refusing request bodies over ``max_bytes`` with 413.

    >>> from starlette.applications import Starlette
    >>> BodyLimit(Starlette(), max_bytes=1000).max_bytes
    1000
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(send, BodyTooLarge(self.max_bytes, declared))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as error:
            if started:
                raise
            await _refuse(send, error)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _refuse(send: Send, error: BodyTooLarge) -> None:
    logger.warning("refused a request body: %s", error.detail)
    body = json.dumps({"detail": error.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
