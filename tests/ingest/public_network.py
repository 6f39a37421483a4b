"""Fetches across a small network of real servers, inside a private network namespace.

Run by ``test_fetch_guard.py`` as ``unshare --net --mount python -m tests.ingest.public_network``:
the namespace gives loopback the public address ``PUBLIC`` and ``/etc/hosts`` the names below,
so a "public" news server can redirect to a loopback one. Prints one JSON object: the outcome
of each scenario and how many requests reached the loopback server.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PUBLIC = "1.2.3.4"  # a public (global) address, given to loopback inside the namespace only
HOSTS = f"127.0.0.1 localhost\n{PUBLIC} news.example\n10.0.0.7 intranet.example\n"
ARTICLE = b"Bridge closes\n\nThe old bridge closed on Friday for repairs, the council said.\n"


def serve(
    address: str,
    respond: Callable[[BaseHTTPRequestHandler], None],
    tls: ssl.SSLContext | None = None,
) -> int:
    """A threaded HTTP(S) server on ``address`` (free port) answering with ``respond``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            respond(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((address, 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1])


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Type": "text/plain", **headers}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def make_certificates(folder: Path) -> ssl.SSLContext:
    """A throwaway CA (trusted through ``SSL_CERT_FILE``) and its certificate for news.example."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    (folder / "san.ext").write_text("subjectAltName=DNS:news.example\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Test CA",
            "-keyout", "ca.key", "-out", "ca.pem")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=news.example",
            "-keyout", "site.key", "-out", "site.csr")  # fmt: skip
    openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "site.pem")  # fmt: skip
    os.environ["SSL_CERT_FILE"] = str(folder / "ca.pem")  # httpx trusts this CA only
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "site.pem", folder / "site.key")
    return context


def scenarios(folder: Path) -> dict[str, Any]:
    from ingest.web import fetch

    hits: list[str] = []

    def loopback(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.path)
        send(handler, 200, b"Secret\n\nThe internal admin page, which must never be ingested.\n")

    inner = serve("127.0.0.1", loopback)
    redirects = {
        "/to-loopback": f"http://127.0.0.1:{inner}/secret",
        "/to-localhost": f"http://localhost:{inner}/secret",
        "/to-intranet": "http://intranet.example/secret",
        "/to-file": "file:///etc/passwd",
        "/to-public": "/article",
        "/loop": "/loop",
    }

    def public(handler: BaseHTTPRequestHandler) -> None:
        if handler.path in redirects:
            send(handler, 302, b"", Location=redirects[handler.path])
        else:
            host = handler.headers.get("Host", "")
            send(handler, 200, ARTICLE + f"Host: {host}\n".encode())

    outer = serve(PUBLIC, public)
    secure = serve(PUBLIC, public, tls=make_certificates(folder))
    urls = {
        "direct": f"http://news.example:{outer}/article",
        **{p.strip("/"): f"http://news.example:{outer}{p}" for p in redirects},
        "https": f"https://news.example:{secure}/article",  # SNI and certificate name checked
        "https-by-address": f"https://{PUBLIC}:{secure}/article",  # the certificate is not for it
    }
    results: dict[str, Any] = {}
    for name, url in urls.items():
        try:
            page = fetch(url, max_bytes=10**6, timeout=5.0)
            results[name] = {"ok": True, "url": page.url, "text": page.data.decode()}
        except Exception as error:  # the test reads the type and the message
            results[name] = {"ok": False, "error": type(error).__name__, "message": str(error)}
    results["loopback_hits"] = hits
    return results


def main() -> None:
    """Set up the namespace's loopback and hosts file, then print the scenarios' outcomes."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{PUBLIC}/32", "dev", "lo"], check=True)
    with tempfile.TemporaryDirectory() as folder:
        hosts = Path(folder) / "hosts"
        hosts.write_text(HOSTS)
        subprocess.run(["mount", "--bind", str(hosts), "/etc/hosts"], check=True)
        print(json.dumps(scenarios(Path(folder))))


if __name__ == "__main__":
    sys.exit(main())
