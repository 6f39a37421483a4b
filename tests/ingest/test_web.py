"""URLs and feeds, fetched from a real HTTP server on 127.0.0.1.

The server is on loopback, so every fetch here opts in with ``allow_private=True``
(``NEWSDESK_FETCH_ALLOW_PRIVATE=1``); ``test_fetch_guard.py`` shows the refusal without it.
"""

from __future__ import annotations

import socket

import pytest

from assistant import Settings
from assistant.errors import SourceError
from assistant.models import Article
from assistant.retrieval.store import NewsStore
from ingest.loaders import load_sources
from ingest.pipeline import index_articles


def _load(*sources: str, max_bytes: int = 10**7) -> list[Article | SourceError]:
    return list(load_sources(sources, max_bytes=max_bytes, timeout=5.0, allow_private=True))


def test_an_article_page_yields_main_text_title_date_and_its_own_url(news_server) -> None:
    """The page's canonical link names another site (news.example.com, not the loopback
    server it came from): a page may not claim another site's address (issue 17)."""
    [article] = _load(news_server.url("/article.html"))
    assert isinstance(article, Article)
    assert article.title == "Council votes on budget"
    assert article.article_id == article.url == news_server.url("/article.html")
    assert article.published == "2021-07-05"
    assert article.text.startswith("The city council voted on Monday")
    assert "taxes would not rise." in article.text
    for debris in ("World news", "cookies", "Copyright", "Privacy policy"):
        assert debris not in article.text


def test_a_plain_text_url_is_an_article_with_its_url(news_server) -> None:
    [article] = _load(news_server.url("/plain.txt"))
    assert isinstance(article, Article)
    assert article.title == "Bridge closes"
    assert article.article_id == news_server.url("/plain.txt")


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/gone.html", "HTTP 404"),
        ("/broken", "HTTP 500"),
        ("/image.png", "content type 'image/png'"),
        ("/home.html", "no article text found"),
    ],
)
def test_bad_urls_fail_with_a_message_naming_the_url(news_server, path: str, problem: str) -> None:
    [error] = _load(news_server.url(path))
    assert isinstance(error, SourceError)
    assert error.source == news_server.url(path)
    assert problem in error.problem


def test_a_page_over_the_size_limit_is_refused(news_server) -> None:
    [error] = _load(news_server.url("/big.html"), max_bytes=1000)
    assert isinstance(error, SourceError)
    assert "over the limit of 1,000" in error.problem


def test_an_unreachable_url_is_reported_and_the_other_sources_still_load(news_server) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/news.html"
    error, article = _load(dead, news_server.url("/article.html"))
    assert isinstance(error, SourceError)
    assert error.source == dead and "unreachable" in error.problem
    assert isinstance(article, Article)


def test_a_feed_yields_each_entry_page_or_its_own_content_and_reports_broken_ones(
    news_server,
) -> None:
    feed = news_server.url("/feed.xml")
    page, from_summary, broken = _load(feed)
    assert isinstance(page, Article) and page.title == "Council votes on budget"
    assert page.source == feed
    assert isinstance(from_summary, Article)  # its link answers 404: the entry's text is used
    assert from_summary.article_id == news_server.url("/missing.html")
    assert from_summary.text.startswith("The harbour reopened on Tuesday")
    assert from_summary.published == "2021-07-06T08:30:00+00:00"
    assert isinstance(broken, SourceError)
    assert broken.source == f"{feed} entry 3"


def test_feed_articles_are_indexed_with_source_and_published_metadata(
    news_server, store: NewsStore, settings: Settings
) -> None:
    feed = news_server.url("/feed.xml")
    report = index_articles(
        load_sources([feed], max_bytes=10**7, timeout=5.0, allow_private=True),
        store,
        chunk_chars=600,
    )
    assert len(report.added) == 2 and len(report.failed) == 1
    metadatas = store.collection.get(include=["metadatas"])["metadatas"]
    assert {m["source"] for m in metadatas} == {feed}
    harbour = [m for m in metadatas if m["title"] == "Harbour reopens"]
    assert harbour and all(m["published_ts"] == 1625560200 for m in harbour)
    assert store.collection.get(where={"published_ts": {"$gte": 1625500000}})["ids"]
