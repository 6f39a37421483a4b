"""A real HTTP server on 127.0.0.1 (a free port) serving news pages and feeds to the tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE_HTML = """<!doctype html><html><head><title>Council votes on budget - Daily News</title>
<link rel="canonical" href="https://news.example.com/2021/budget">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-07-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World news</a> <a href="/sport">Sport</a></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Council votes on budget</h1>
<p>The city council voted on Monday to approve the budget for next year, after months of
debate among its members about schools, roads and the harbour.</p>
<p>The vote passed seven to two, with two members abstaining from the final decision on the
spending plan that the mayor had proposed in March.</p>
<p>The mayor said the budget would fund new schools and roads across the city over the coming
years, and that taxes would not rise.</p></article>
<footer>Copyright 2021 Daily News. All rights reserved. Privacy policy.</footer></body></html>
"""

NO_ARTICLE_HTML = """<html><head><title>Home</title></head><body>
<nav><a href="/a">World</a> <a href="/b">Sport</a> <a href="/c">Weather</a></nav>
<footer>Copyright 2021</footer></body></html>"""


def feed_xml(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily News</title><link>{base}/</link>
<description>News</description>
<item><title>Council votes on budget</title><link>{base}/article.html</link>
<pubDate>Mon, 05 Jul 2021 10:00:00 GMT</pubDate></item>
<item><title>Harbour reopens</title><link>{base}/missing.html</link>
<pubDate>Tue, 06 Jul 2021 08:30:00 GMT</pubDate>
<description>&lt;p&gt;The harbour reopened on Tuesday after a week of repairs to the old
pier, the port authority said.&lt;/p&gt;</description></item>
<item><title></title></item>
</channel></rss>"""


class NewsServer:
    """Routes: path -> (status, content type, body). ``url(path)`` builds an address;
    ``requests`` records the path of every request served."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                status, content_type, body = routes.get(
                    self.path, (404, "text/html", b"<html><body>Not found</body></html>")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def news_server() -> Iterator[NewsServer]:
    server = NewsServer()
    server.routes.update(
        {
            "/article.html": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
            "/home.html": (200, "text/html", NO_ARTICLE_HTML.encode()),
            "/broken": (500, "text/html", b"<html><body>Internal error</body></html>"),
            "/feed.xml": (200, "application/rss+xml", feed_xml(server.base).encode()),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            "/big.html": (200, "text/html", b"<html>" + b"x" * 5000 + b"</html>"),
            "/plain.txt": (
                200,
                "text/plain",
                b"Bridge closes\n\nThe old bridge closed on Friday for repairs.\n",
            ),
        }
    )
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
