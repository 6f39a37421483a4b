"""Server-side request forgery guard: what a URL or feed fetch may reach, with real servers.

Loopback servers show the refusal and the ``allow_private`` opt-in. Redirect hops and name
resolution are shown inside a private network namespace (``unshare``, root) where loopback also
holds a public address, so a "public" news server can redirect to a loopback one.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import SourceError
from assistant.models import Article
from ingest import addresses
from ingest.addresses import private_kind
from ingest.loaders import load_sources
from ingest.web import fetch
from tests.ingest.conftest import NewsServer, feed_xml
from tests.ingest.public_network import PUBLIC
from tests.requirements import missing
from tests.servers import ROOT

OPT_IN = "NEWSDESK_FETCH_ALLOW_PRIVATE=1"


def _fetch(url: str, **options: Any) -> Any:
    return fetch(url, max_bytes=10**6, timeout=5.0, **options)


@pytest.mark.parametrize(
    ("url", "address", "kind"),
    [
        ("http://127.0.0.1:{port}/plain.txt", "127.0.0.1", "loopback"),
        ("http://localhost:{port}/plain.txt", "127.0.0.1", "loopback"),
        ("http://[::1]:{port}/plain.txt", "::1", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
        ("http://10.1.2.3/", "10.1.2.3", "private"),
        ("http://192.168.0.1:8080/admin", "192.168.0.1", "private"),
        ("http://0.0.0.0:{port}/plain.txt", "0.0.0.0", "unspecified"),
        ("http://224.0.0.1/", "224.0.0.1", "multicast"),
        ("http://100.64.0.1/", "100.64.0.1", "non-public"),
        ("http://[::ffff:127.0.0.1]:{port}/plain.txt", "::ffff:7f00:1", "loopback"),
    ],
)
def test_a_url_to_a_non_public_address_is_refused_by_default_naming_it_and_the_opt_in(
    news_server: NewsServer, url: str, address: str, kind: str
) -> None:
    port = news_server.httpd.server_address[1]
    target = url.format(port=port)
    with pytest.raises(SourceError) as caught:
        _fetch(target)
    assert caught.value.source == target
    assert f"refused to fetch from {address}, a {kind} address" in caught.value.problem
    assert OPT_IN in caught.value.problem
    assert news_server.requests == []  # refused before any connection


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:///etc/passwd", "the 'file' scheme is refused"),
        ("ftp://example.com/a.txt", "the 'ftp' scheme is refused"),
        ("gopher://x/", "the 'gopher' scheme is refused"),
        ("http:/example.com/a", "not a valid URL"),
    ],
)
def test_a_url_of_another_scheme_is_refused(url: str, problem: str) -> None:
    [error] = list(load_sources([url], max_bytes=10**6))
    assert isinstance(error, SourceError) and error.source == url
    assert problem in error.problem


def test_the_opt_in_fetches_from_the_loopback_server(news_server: NewsServer) -> None:
    page = _fetch(news_server.url("/plain.txt"), allow_private=True)
    assert page.data.startswith(b"Bridge closes")
    assert news_server.requests == ["/plain.txt"]


def test_feed_entry_links_to_a_private_address_are_not_fetched_without_the_opt_in(
    news_server: NewsServer, tmp_path: Path
) -> None:
    """A feed file whose entries link to the loopback server: their own text is used instead."""
    feed = tmp_path / "feed.xml"
    feed.write_text(feed_xml(news_server.base), encoding="utf-8")
    budget, harbour, broken = load_sources([feed], max_bytes=10**6)
    assert news_server.requests == []  # no entry page was fetched
    assert isinstance(budget, SourceError) and "no content" in budget.problem
    assert isinstance(harbour, Article)
    assert harbour.text.startswith("The harbour reopened on Tuesday")
    assert isinstance(broken, SourceError)
    with_opt_in = list(load_sources([feed], max_bytes=10**6, allow_private=True))
    assert isinstance(with_opt_in[0], Article)
    assert with_opt_in[0].title == "Council votes on budget"
    assert "/article.html" in news_server.requests


NAME = "news.example"


def _resolving(monkeypatch: pytest.MonkeyPatch, *answer: str) -> None:
    """``NAME`` resolves to ``answer`` (in that order); other names as usual."""
    real = addresses.resolve

    def resolve(url: str, host: str, port: int) -> list[addresses.IPAddress]:
        if host != NAME:
            return real(url, host, port)
        return [ipaddress.ip_address(a) for a in answer]

    monkeypatch.setattr(addresses, "resolve", resolve)


def _by_name(server: NewsServer, path: str) -> str:
    return f"http://{NAME}:{server.httpd.server_address[1]}{path}"


@pytest.fixture
def silent(news_server: NewsServer) -> Iterator[str]:
    """127.0.0.3 on the news server's port: it listens, but its queue is full, so it never
    answers a connection (the kernel drops the SYN), like a host that is down."""
    port = news_server.httpd.server_address[1]
    listener = socket.socket()
    listener.bind(("127.0.0.3", port))
    listener.listen(0)
    filler = socket.create_connection(("127.0.0.3", port), timeout=1)  # fills the queue
    probe = socket.socket()
    probe.settimeout(0.2)
    with pytest.raises(TimeoutError):  # the address really is silent
        probe.connect(("127.0.0.3", port))
    probe.close()
    yield "127.0.0.3"
    filler.close()
    listener.close()


def test_a_name_whose_first_address_refuses_is_fetched_from_the_next(
    news_server: NewsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _resolving(monkeypatch, "127.0.0.2", "127.0.0.1")  # nothing listens on 127.0.0.2
    page = _fetch(_by_name(news_server, "/plain.txt"), allow_private=True)
    assert page.data.startswith(b"Bridge closes")
    assert news_server.requests == ["/plain.txt"]


def test_a_silent_first_address_takes_only_its_share_of_the_timeout(
    news_server: NewsServer, silent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _resolving(monkeypatch, silent, "127.0.0.1")
    started = time.monotonic()
    page = fetch(
        _by_name(news_server, "/plain.txt"), max_bytes=10**6, timeout=2.0, allow_private=True
    )
    waited = time.monotonic() - started
    assert page.data.startswith(b"Bridge closes")
    assert 0.9 < waited < 1.9, waited  # half the budget on the silent address, then the next


def test_when_no_address_answers_the_fetch_fails_within_the_one_timeout(
    news_server: NewsServer, silent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _resolving(monkeypatch, "127.0.0.2", silent, silent)
    url = _by_name(news_server, "/plain.txt")
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        fetch(url, max_bytes=10**6, timeout=1.5, allow_private=True)
    waited = time.monotonic() - started
    assert caught.value.source == url
    assert "no complete answer within 1.5 s" in caught.value.problem
    assert 1.2 < waited < 2.4, waited  # one timeout for all three, not one each
    assert news_server.requests == []


@pytest.mark.parametrize("answer", [("93.184.216.34", "127.0.0.1"), ("127.0.0.1", "93.184.216.34")])
def test_one_non_public_address_among_public_ones_refuses_the_whole_url(
    news_server: NewsServer, monkeypatch: pytest.MonkeyPatch, answer: tuple[str, str]
) -> None:
    """The shape of DNS rebinding: no address of such a name is connected to, public or not."""
    _resolving(monkeypatch, *answer)
    url = _by_name(news_server, "/plain.txt")
    with pytest.raises(SourceError) as caught:
        _fetch(url)
    assert "refused to fetch from 127.0.0.1, a loopback address" in caught.value.problem
    assert news_server.requests == []


@pytest.fixture(scope="module")
def namespace_results() -> dict[str, Any]:
    """The outcomes of ``tests/ingest/public_network.py`` run in a new network namespace."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        missing("unshare as root (a private network namespace)", "run the tests as root")
    result = subprocess.run(
        ["unshare", "--net", "--mount", sys.executable, "-m", "tests.ingest.public_network"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_public_host_is_fetched_from_the_address_that_was_checked(namespace_results) -> None:
    direct = namespace_results["direct"]
    assert direct["ok"], direct
    assert direct["text"].startswith("Bridge closes")
    assert "Host: news.example:" in direct["text"]  # its own Host header, sent to PUBLIC


def test_https_to_the_checked_address_still_verifies_the_certificate_for_the_name(
    namespace_results,
) -> None:
    secure = namespace_results["https"]
    assert secure["ok"], secure
    assert "Host: news.example:" in secure["text"]
    by_address = namespace_results["https-by-address"]  # the certificate names news.example
    assert not by_address["ok"] and "CERTIFICATE_VERIFY_FAILED" in by_address["message"]


def test_a_redirect_to_a_public_page_is_followed(namespace_results) -> None:
    hop = namespace_results["to-public"]
    assert hop["ok"] and hop["url"].endswith("/article"), hop


@pytest.mark.parametrize(
    ("scenario", "problem"),
    [
        ("to-loopback", "refused to fetch from 127.0.0.1, a loopback address"),
        ("to-localhost", "refused to fetch from 127.0.0.1, a loopback address"),
        ("to-intranet", "refused to fetch from 10.0.0.7, a private address"),
        ("to-file", "the 'file' scheme is refused"),
        ("loop", "more than 10 redirects"),
    ],
)
def test_every_redirect_hop_is_checked_before_it_is_followed(
    namespace_results, scenario: str, problem: str
) -> None:
    outcome = namespace_results[scenario]
    assert not outcome["ok"] and outcome["error"] == "SourceError", outcome
    assert "news.example:" in outcome["message"] and problem in outcome["message"]
    if scenario != "loop":
        assert "redirected to " in outcome["message"]
    assert namespace_results["loopback_hits"] == []  # the loopback server was never reached


def test_the_namespace_address_counts_as_public() -> None:
    assert private_kind(ipaddress.ip_address(PUBLIC)) is None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
        ("2002:808:808::", None),  # 6to4 of a public address stays public
    ],
)
def test_an_ipv6_address_carrying_an_ipv4_one_is_judged_by_it(
    address: str, kind: str | None
) -> None:
    assert private_kind(ipaddress.ip_address(address)) == kind
