"""The hostile client's attacks (issue 17), mounted against the real server (``python server.py``)
on loopback, and a hostile web server for the fetch attacks.

The server fetches from loopback here (``NEWSDESK_FETCH_ALLOW_PRIVATE=1``, the hostile server
stands in for a public one; the address guard has its own tests), with a 3 s fetch timeout and
Gradio's cache in a folder the tests can search.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEED
from tests.servers import ROOT, free_port, running

FETCH_TIMEOUT = 3.0


@dataclass
class Server:
    """A running ``python server.py``: its address, process and folders."""

    url: str
    pid: int
    store: Path
    gradio_cache: Path
    token: str | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        return httpx.request(method, self.url + path, headers=headers, timeout=120, **kwargs)

    def ask(self, question: str, **body: Any) -> httpx.Response:
        return self.api("POST", "/api/ask", json={"question": question, **body})

    def articles(self) -> list[dict[str, Any]]:
        response = self.api("GET", "/api/articles")
        assert response.status_code == 200, response.text
        return response.json()

    def rss_mb(self) -> float:
        """The server process's resident memory now (from /proc)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS line")

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory so far (from /proc)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM line")

    def gradio_call(self, api_name: str, data: list[Any], **kwargs: Any) -> tuple[str, str]:
        """Gradio's own HTTP protocol, as a hostile client speaks it: POST the call, read the
        event stream; ``(last event name, its data)``."""
        response = httpx.post(
            f"{self.url}/gradio_api/call/{api_name}", json={"data": data}, timeout=60, **kwargs
        )
        assert response.status_code == 200, response.text
        event_id = response.json()["event_id"]
        event, payload = "", ""
        with httpx.stream(
            "GET", f"{self.url}/gradio_api/call/{api_name}/{event_id}", timeout=300, **kwargs
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    payload = line.split(":", 1)[1].strip()
        return event, payload


def start_server(folder: Path, *, seed: bool = True, **settings: str) -> Iterator[Server]:
    """``python server.py`` on a new store in ``folder`` (holding the sample article)."""
    store, cache = folder / "store", folder / "gradio-cache"
    cache.mkdir(parents=True, exist_ok=True)
    if seed:
        from assistant import Settings
        from assistant.factory import open_store
        from tests.conftest import ingest

        made = Settings(store=store)
        ingest([SEED], open_store(made), made)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_STORE=str(store),
        NEWSDESK_PORT=str(port),
        NEWSDESK_FETCH_ALLOW_PRIVATE="1",
        NEWSDESK_FETCH_TIMEOUT=str(FETCH_TIMEOUT),
        GRADIO_TEMP_DIR=str(cache),
        **settings,
    )
    url = f"http://127.0.0.1:{port}"
    with running(
        [sys.executable, ROOT / "server.py"], probe=f"{url}/healthz", what="the web app", env=env
    ) as process:
        yield Server(url, process.pid, store, cache, settings.get("NEWSDESK_API_TOKEN"))


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web app in open mode (no token), as ``make run`` starts it."""
    yield from start_server(tmp_path_factory.mktemp("open-server"))


Route = Callable[[BaseHTTPRequestHandler], None]


class HostileSite:
    """A web server on loopback whose routes are handlers: a page may drip, inflate or lie."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)  # a client that gives up, as it should, is no error

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, kind: str = "text/html", **headers: str) -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = route


@pytest.fixture(scope="package")
def hostile() -> Iterator[HostileSite]:
    site = HostileSite()
    thread = threading.Thread(target=site.httpd.serve_forever, daemon=True)
    thread.start()
    yield site
    site.httpd.shutdown()
    site.httpd.server_close()


def ingest_urls(server: Server, *urls: str) -> dict[str, Any]:
    """``POST /api/ingest`` with ``urls``; the JSON answer (asserting a 200)."""
    began = time.monotonic()
    response = server.api("POST", "/api/ingest", data={"urls": list(urls)})
    assert response.status_code == 200, response.text
    result = response.json()
    result["seconds"] = time.monotonic() - began
    return result


def ingest_files(server: Server, *files: tuple[str, bytes]) -> httpx.Response:
    """``POST /api/ingest`` with uploaded ``(name, bytes)`` files."""
    return server.api("POST", "/api/ingest", files=[("files", f) for f in files])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
