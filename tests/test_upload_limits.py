"""Request limits and malformed bodies against the real server (uvicorn on loopback).

A body over ``max_upload_bytes`` is refused with 413 before it is read (declared size) or as
soon as it passes the limit (chunked); more than ``max_upload_files`` files is a 413 while the
body is still arriving; a body a route cannot use is a 422, never a 400 or 500.
"""

from __future__ import annotations

import itertools
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.errors import TooManySourcesError
from assistant.factory import open_store
from server import create_server
from tests.conftest import SEED, ingest
from tests.servers import Served

MAX_BYTES = 5_000_000
MAX_FILES = 5
TOO_MANY = str(TooManySourcesError(MAX_FILES))  # what every web path says (exact text: ingest)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        store=tmp_path_factory.mktemp("limits-store"),
        max_upload_bytes=MAX_BYTES,
        max_upload_files=MAX_FILES,
    )
    ingest([SEED], open_store(settings), settings)
    with Served(create_server(Assistant.from_settings(settings))) as server:
        yield server.url


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=30)


def _status_and_body(sock: socket.socket) -> tuple[int, str]:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.mark.parametrize("path", ["/api/ingest", "/gradio_api/upload"])
def test_a_declared_multi_gb_body_is_413_before_a_byte_of_it_is_sent(url: str, path: str) -> None:
    with _connect(url) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
            "boundary=b\r\nContent-Length: 5000000000\r\n\r\n".encode()
        )
        status, body = _status_and_body(sock)  # answered without any body sent
    assert status == 413
    assert "over the limit of 5,000,000 bytes" in body and "NEWSDESK_MAX_UPLOAD_BYTES" in body


@pytest.mark.parametrize("path", ["/api/ingest", "/gradio_api/upload"])
def test_a_chunked_body_is_cut_off_with_413_soon_after_the_limit(url: str, path: str) -> None:
    preamble = b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
    part = b"x" * 65536
    sent = 0
    with _connect(url) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n\r\n".encode()
        )
        try:
            for chunk in itertools.chain(
                [preamble], itertools.repeat(part, 100 * MAX_BYTES // len(part))
            ):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:  # the server answered and closed: it stopped reading
            pass
        status, body = _status_and_body(sock)
    assert status == 413 and "over the limit" in body
    assert sent < 20 * MAX_BYTES  # refused early, not after the whole 500 MB


def test_ten_thousand_files_in_one_request_are_413(url: str) -> None:
    files = [("files", (f"f{n}.txt", b"x", "text/plain")) for n in range(10_000)]
    started = time.monotonic()
    response = httpx.post(f"{url}/api/ingest", files=files, timeout=120)
    assert response.status_code == 413
    assert response.json()["detail"] == TOO_MANY
    assert time.monotonic() - started < 60


def test_files_within_the_limit_are_ingested(url: str) -> None:
    files = [
        (
            "files",
            (f"note{n}.txt", f"Note {n}\n\nThe ferry ran {n} times.\n".encode(), "text/plain"),
        )
        for n in range(MAX_FILES)
    ]
    response = httpx.post(f"{url}/api/ingest", files=files, timeout=300)
    assert response.status_code == 200
    assert len(response.json()["sources"]) == MAX_FILES


def raw(content: bytes, content_type: str) -> dict:
    return {"content": content, "headers": {"content-type": content_type}}


BAD_BODIES = [
    ("/api/ingest", {"json": {"urls": ["https://example.com"]}}, "is not a form"),
    ("/api/ingest", raw(b"--x\r\nbroken", "multipart/form-data"), "cannot be read"),
    ("/api/ingest", raw(b"garbage", "multipart/form-data; boundary=b"), "cannot be read"),
    ("/api/ingest", {"data": {"url": "https://example.com"}}, "Unknown form field(s) url"),
    ("/api/ingest", {"data": {"files": "not a file"}}, "must be an uploaded file"),
    ("/api/ingest", {"files": {"urls": ("u.txt", b"https://example.com")}}, "not a file"),
    ("/api/ingest", {}, "Nothing to ingest"),
    ("/api/ask", raw(b"{not json", "application/json"), "JSON"),
    ("/api/ask", raw(b"question=hi", "text/plain"), "body: "),
    ("/api/ask", {"json": ["a", "list"]}, "body: "),
    ("/api/ask", {"json": {"question": 42}}, "question: "),
    ("/api/ask", {"json": {"question": "Who?", "k": "many"}}, "k: "),
    ("/api/ask", {"json": {"question": "Who?", "history": "none"}}, "history: "),
    ("/api/ask", {"json": {"question": "Who?", "filters": {"sourcez": []}}}, "sourcez"),
    ("/api/ask", {"json": {"question": "Who?", "filters": {"published_from": "soon"}}}, "soon"),
    ("/api/ask", {"json": {"question": "Who?", "k": 10**30}}, "k: "),
    ("/api/ask/stream", {"json": {"question": ["a"]}}, "question: "),
    ("/api/ask/stream", raw(b"\xff\xfe", "application/json"), "JSON"),
]


@pytest.mark.parametrize(("path", "request_options", "says"), BAD_BODIES)
def test_a_body_the_route_cannot_use_is_422_naming_the_problem(
    url: str, path: str, request_options: dict, says: str
) -> None:
    response = httpx.post(f"{url}{path}", timeout=120, **request_options)
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"]


def test_the_ingest_tab_refuses_more_files_than_the_limit(url: str, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    paths = []
    for n in range(MAX_FILES + 1):
        paths.append(tmp_path / f"note{n}.txt")
        paths[-1].write_text(f"Note {n}\n\nThe tram ran {n} times.\n", encoding="utf-8")
    client = Client(f"{url}/", verbose=False)
    with pytest.raises(Exception, match=re.escape(TOO_MANY)):
        client.predict([handle_file(str(p)) for p in paths], "", api_name="/ingest")


def test_the_ingest_tab_refuses_more_urls_than_the_limit(url: str) -> None:
    from gradio_client import Client

    urls = "\n".join(f"https://news.example/n{n}.html" for n in range(MAX_FILES + 1))
    with pytest.raises(Exception, match=re.escape(TOO_MANY)):
        Client(f"{url}/", verbose=False).predict(None, urls, api_name="/ingest")


def test_more_urls_than_the_limit_are_413_with_the_same_message(url: str) -> None:
    urls = [("urls", (None, f"https://news.example/n{n}.html")) for n in range(MAX_FILES + 1)]
    response = httpx.post(f"{url}/api/ingest", files=urls, timeout=60)
    assert response.status_code == 413  # the form parser stops at the 6th field
    assert response.json()["detail"] == TOO_MANY
