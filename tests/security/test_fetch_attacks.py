"""What a hostile web site can do to a fetch: inflate, drip, lie about ids, redirect oddly.

Attacks 4, 5 and 8 of issue 17 and the fetch rows of its low list, against the real server.
"""

from __future__ import annotations

import gzip
import time
from http.server import BaseHTTPRequestHandler

import pytest

from tests.security.conftest import FETCH_TIMEOUT, HostileSite, Server, ingest_files, ingest_urls

PAGE = (
    "<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
    + "<p>The harbour board of Calder Bay met on Monday and agreed a new timetable for the "
    "night ferry, which had been cut in the winter, after a petition from residents. </p>"
    * 6
    + "<p>{marker}</p></article></body></html>"
)


def _page(title: str, marker: str = "", head: str = "") -> bytes:
    return PAGE.format(title=title, marker=marker, head=head).encode()


def test_a_gzip_bomb_is_refused_at_the_size_limit_without_inflating_it(
    server: Server, hostile: HostileSite
) -> None:
    bomb = gzip.compress(b"<html><body><p>" + b"a" * 1_500_000_000, compresslevel=9)
    hostile.serve("/bomb.html", bomb, Content_Encoding="gzip")
    before = server.peak_rss_mb()
    result = ingest_urls(server, hostile.url("/bomb.html"))
    assert result["added"] == []
    assert "over the limit of 10,000,000 bytes" in result["failed"][0]["problem"]
    assert server.peak_rss_mb() - before < 300  # not 1.5 GB


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br", "compress"])
def test_an_encoding_that_cannot_be_decoded_with_a_bound_is_refused_by_name(
    server: Server, hostile: HostileSite, coding: str
) -> None:
    hostile.serve("/coded.html", b"\x28\xb5\x2f\xfd" + b"\x00" * 64, Content_Encoding=coding)
    result = ingest_urls(server, hostile.url("/coded.html"))
    problem = result["failed"][0]["problem"]
    assert f"content encoding '{coding}'" in problem and "gzip, deflate" in problem


def test_a_gzip_page_is_still_read(server: Server, hostile: HostileSite) -> None:
    hostile.serve(
        "/zipped.html", gzip.compress(_page("Ferry timetable agreed")), Content_Encoding="gzip"
    )
    result = ingest_urls(server, hostile.url("/zipped.html"))
    assert result["added"] == [hostile.url("/zipped.html")], result


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """A page that sends a few bytes every half second for half a minute."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(60):
        handler.wfile.write(b"<p>a</p>")
        handler.wfile.flush()
        time.sleep(0.5)


def test_a_page_dripping_a_byte_a_second_is_cut_off_at_the_fetch_timeout(
    server: Server, hostile: HostileSite
) -> None:
    hostile.routes["/drip.html"] = _drip
    result = ingest_urls(server, hostile.url("/drip.html"))
    assert f"no complete answer within {FETCH_TIMEOUT:g} s" in result["failed"][0]["problem"]
    assert result["seconds"] < FETCH_TIMEOUT + 2.5


def test_dripping_headers_are_cut_off_too(server: Server, hostile: HostileSite) -> None:
    def drip_headers(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(60):
            handler.wfile.write(f"X-Slow-{n}: 1\r\n".encode())
            handler.wfile.flush()
            time.sleep(0.5)

    hostile.routes["/slow-head.html"] = drip_headers
    result = ingest_urls(server, hostile.url("/slow-head.html"))
    assert "no complete answer" in result["failed"][0]["problem"]
    assert result["seconds"] < FETCH_TIMEOUT + 2.5


def test_a_feed_of_dripping_pages_ends_within_its_budget(
    server: Server, hostile: HostileSite
) -> None:
    hostile.routes["/slow-entry"] = _drip
    items = "".join(
        f"<item><title>Entry {n}</title><link>{hostile.url('/slow-entry')}?n={n}</link>"
        f"<description>The pier of Calder Bay reopened, entry {n} of the board's news, after "
        "repairs that took the whole winter.</description></item>"
        for n in range(10)
    )
    feed = f"<rss version='2.0'><channel><title>Slow</title>{items}</channel></rss>"
    hostile.serve("/slow-feed.xml", feed.encode(), "application/rss+xml")
    result = ingest_urls(server, hostile.url("/slow-feed.xml"))
    assert len(result["added"]) == 10  # every entry, from the feed's own text when out of time
    assert result["seconds"] < 4 * FETCH_TIMEOUT + 3  # not 10 timeouts


def test_a_canonical_link_to_another_site_does_not_become_the_id(
    server: Server, hostile: HostileSite
) -> None:
    claim = '<link rel="canonical" href="https://www.reuters.example/world/real-story">'
    hostile.serve("/copycat.html", _page("Copycat story", head=claim))
    result = ingest_urls(server, hostile.url("/copycat.html"))
    assert result["added"] == [hostile.url("/copycat.html")]
    stored = {a["article_id"]: a for a in server.articles()}
    assert "https://www.reuters.example/world/real-story" not in stored
    assert stored[hostile.url("/copycat.html")]["url"] == hostile.url("/copycat.html")


def test_a_canonical_link_on_the_pages_own_site_is_kept(
    server: Server, hostile: HostileSite
) -> None:
    own = hostile.url("/news/ferry-story")
    canonical = f'<link rel="canonical" href="{own}">'
    hostile.serve("/amp/ferry.html", _page("Ferry story", head=canonical))
    result = ingest_urls(server, hostile.url("/amp/ferry.html"))
    assert result["added"] == [own]


def test_a_feed_guid_cannot_replace_an_article_of_another_source(server: Server) -> None:
    seed = next(a for a in server.articles() if "iraq" in a["article_id"])
    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Spoof</title><item>"
        f"<title>Hijacked</title><guid isPermaLink='false'>{seed['article_id']}</guid>"
        "<description>Nothing happened in Iraq today, the spoofing feed claimed in its only "
        "entry, which has no link.</description></item></channel></rss>"
    )
    result = ingest_files(server, ("spoof.xml", feed.encode())).json()
    assert result["added"] == ["upload:spoof.xml#" + seed["article_id"]]
    after = {a["article_id"]: a for a in server.articles()}
    assert after[seed["article_id"]] == seed  # title, source, everything as before


def test_a_feed_cannot_put_its_text_under_another_sources_article(
    server: Server, hostile: HostileSite
) -> None:
    """A feed entry whose page cannot be fetched is stored from the feed's own text under the
    entry's link: that link may not replace an article stored from its own address."""
    served = []

    def once_then_gone(handler: BaseHTTPRequestHandler) -> None:
        body = _page("The original report") if not served else b"gone"
        served.append(1)
        handler.send_response(200 if len(served) == 1 else 500)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    hostile.routes["/original.html"] = once_then_gone
    victim = hostile.url("/original.html")
    assert ingest_urls(server, victim)["added"] == [victim]
    before = {a["article_id"]: a for a in server.articles()}[victim]
    feed = (
        "<rss version='2.0'><channel><title>Spoof</title><item><title>Forged</title>"
        f"<link>{victim}</link><description>The harbour board resigned on Monday, the forged "
        "entry says, in words the real page never held.</description></item></channel></rss>"
    )
    hostile.serve("/spoof.xml", feed.encode(), "application/rss+xml")
    result = ingest_urls(server, hostile.url("/spoof.xml"))
    assert result["added"] == [] and result["updated"] == []
    assert "already stored from another source" in result["failed"][-1]["problem"]
    after = {a["article_id"]: a for a in server.articles()}[victim]
    assert after == before


@pytest.mark.parametrize(
    ("location", "expected"),
    [("http:\\\\evil.example\\x", "malformed url"), ("http://[1.2.3.4]/", "location")],
)
def test_odd_redirects_are_a_per_source_error(
    server: Server, hostile: HostileSite, location: str, expected: str
) -> None:
    def redirect(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    hostile.routes["/odd-redirect"] = redirect
    hostile.serve("/fine.html", _page("A fine page in the same batch"))
    result = ingest_urls(server, hostile.url("/odd-redirect"), hostile.url("/fine.html"))
    assert expected in result["failed"][0]["problem"].lower()
    kept = result["added"] + result["unchanged"]
    assert kept == [hostile.url("/fine.html")]  # the batch is not lost


@pytest.mark.parametrize(
    "url",
    ["http://[1.2.3.4]/", "http://a.example/" + "x" * 70_000, "http://[::1", "http://a b/"],
)
def test_malformed_urls_are_a_per_source_error(server: Server, url: str) -> None:
    result = ingest_urls(server, url)
    assert result["failed"] and result["added"] == []
