"""The bounds of one fetch: a deadline for the whole of it, and a cap on the decoded body.

A server chooses how slowly it answers and how far its body inflates. ``deadline_transport``
makes every connect, TLS handshake, write and read of a fetch wait at most until one
deadline, so a page that sends a byte every few seconds cannot hold a fetch for longer than
its timeout. ``read_decoded`` decodes the body as it arrives and counts the decoded bytes, so
a small compressed body cannot become gigabytes in memory; only the encodings decoded that way
(gzip, deflate) are asked for and accepted::

    transport = deadline_transport(time.monotonic() + 20)
    data = read_decoded(url, response, max_bytes=10_000_000)
"""

from __future__ import annotations

import time
import typing
import zlib

import httpcore
import httpx

from assistant.errors import SourceError

ACCEPT_ENCODING = "gzip, deflate"
"""The only content encodings requested, and accepted: both are decoded with a size bound."""


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation waits at most until ``deadline``."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(self._deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, left), self._deadline
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, with every stream bound to ``deadline``."""

    def __init__(self, deadline: float) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(self._deadline, timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, left, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _left(deadline: float, timeout: float | None, error: type[Exception]) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the fetch's deadline has passed")
    return left if timeout is None else min(timeout, left)


def deadline_transport(deadline: float) -> httpx.HTTPTransport:
    """An httpx transport (no kept-alive connections) whose I/O all ends by ``deadline``.

    httpx takes no network backend, so the transport's connection pool is replaced by one
    that has it (the same settings otherwise).
    """
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
    transport._pool = httpcore.ConnectionPool(  # replaced, see above
        ssl_context=httpx.create_ssl_context(),
        max_keepalive_connections=0,
        network_backend=_DeadlineBackend(deadline),
    )
    return transport


def read_decoded(url: str, response: httpx.Response, *, max_bytes: int) -> bytes:
    """The body of ``response``, decoded; ``SourceError`` once it passes ``max_bytes`` decoded.

    Raw bytes are read as they come and inflated with a bound on each step's output, so at
    most ``max_bytes`` plus one network read are ever held.
    """
    decoder = _Decoder(url, response.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        for part in decoder.feed(raw, room=max_bytes - size + 1):
            size += len(part)
            if size > max_bytes:
                raise too_big(url, size, max_bytes)
            chunks.append(part)
    return b"".join(chunks)


def too_big(url: str, size: int, max_bytes: int) -> SourceError:
    return SourceError(
        url,
        f"page is over the limit of {max_bytes:,} bytes ({size:,} bytes read or declared). "
        "Raise NEWSDESK_MAX_SOURCE_BYTES to ingest it.",
    )


class _Decoder:
    """Incremental gzip/deflate decoding with bounded output (identity passes through)."""

    def __init__(self, url: str, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise SourceError(
                url,
                f"the server sent content encoding '{header.strip()}', which newsdesk does not "
                f"accept (it asks for {ACCEPT_ENCODING} and decodes them with a size limit).",
            )
        self.url = url
        self.coding = codings[0] if codings else None
        self._inflate: typing.Any = None

    def feed(self, data: bytes, *, room: int) -> typing.Iterator[bytes]:
        if self.coding is None:
            yield data
            return
        if self._inflate is None:
            self._inflate = self._start(data)
        try:
            while data:
                part = self._inflate.decompress(data, max(room, 1))
                room -= len(part)
                yield part
                data = self._inflate.unconsumed_tail
        except zlib.error as error:
            raise SourceError(
                self.url, f"the {self.coding} body is corrupt ({error}). Try again later."
            ) from error

    def _start(self, first: bytes) -> typing.Any:
        if self.coding != "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        # "deflate" is zlib-wrapped by the standard, raw deflate from some servers
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
