"""Every kind of local source, and a clear message for each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Settings
from assistant.errors import SourceError
from assistant.models import Article
from assistant.retrieval.records import published_timestamp
from assistant.retrieval.store import NewsStore
from ingest.loaders import load_sources
from tests.conftest import ingest
from tests.ingest.conftest import ARTICLE_HTML, NO_ARTICLE_HTML


def _load(*paths: Path, max_bytes: int = 10**7) -> list[Article | SourceError]:
    return list(load_sources(paths, max_bytes=max_bytes))


def test_a_saved_html_page_keeps_the_article_and_its_canonical_url(tmp_path: Path) -> None:
    page = tmp_path / "budget.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    [article] = _load(page)
    assert isinstance(article, Article)
    assert article.article_id == "https://news.example.com/2021/budget"
    assert article.published == "2021-07-05"
    assert "cookies" not in article.text and "Copyright" not in article.text


def test_broken_html_still_yields_its_text(tmp_path: Path) -> None:
    page = tmp_path / "broken.htm"
    page.write_text(
        "<html><body><div><p>The harbour reopened on Tuesday after a week of repairs to the "
        "old pier, the port authority said.<p>Ships queued <b>outside the harbour</div> "
        "for two days before the pier was declared safe by the engineers.",
        encoding="utf-8",
    )
    [article] = _load(page)
    assert isinstance(article, Article)
    assert "The harbour reopened on Tuesday" in article.text
    assert article.article_id == str(page.resolve())


def test_jsonl_yields_one_article_per_line_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {
                "title": "Budget passes",
                "text": "The council voted on Monday.",
                "url": "https://example.com/budget",
                "published": "2021-07-05",
                "source": "Daily News",
            }
        ),
        "{not json",
        json.dumps({"title": "No text"}),
        "",
        json.dumps({"title": "Bridge closes", "text": "The bridge closed on Friday."}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    budget, bad_json, no_text, bridge = _load(path)
    assert isinstance(budget, Article) and budget.article_id == "https://example.com/budget"
    assert (budget.source, budget.published) == ("Daily News", "2021-07-05")
    assert isinstance(bad_json, SourceError) and bad_json.source == f"{path}:2"
    assert "not valid JSON" in bad_json.problem
    assert isinstance(no_text, SourceError) and "no 'text'" in no_text.problem
    assert isinstance(bridge, Article) and bridge.article_id == f"{path.resolve()}#L5"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("binary.html", b"\x00\x01\x02<html>\x00\x00", "binary file"),
        ("home.html", NO_ARTICLE_HTML.encode(), "no article text found"),
        ("big.txt", b"Headline\n\n" + b"Words and more words. " * 100, "over the limit"),
        ("feed.xml", b"<rss><channel><title>x</title></channel></rss>", "no entries"),
    ],
)
def test_bad_files_fail_with_a_message_naming_the_file(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [error] = _load(path, max_bytes=1000)
    assert isinstance(error, SourceError)
    assert error.source == str(path)
    assert problem in error.problem


def test_a_bad_file_does_not_stop_the_good_ones(
    tmp_path: Path, store: NewsStore, settings: Settings
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes(
        "Café reopens\n\nThe café in Zürich reopened on Monday.\n".encode("latin-1")
    )
    (tmp_path / "page.html").write_text(ARTICLE_HTML, encoding="utf-8")
    report = ingest([tmp_path], store, settings)
    assert len(report.added) == 2
    assert [e.source for e in report.failed] == [str(tmp_path / "empty.txt")]
    documents = store.collection.get(include=["documents"])["documents"]
    assert any("café in Zürich" in d for d in documents)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2021-07-05", 1625443200),
        ("2021-07-06T08:30:00+00:00", 1625560200),
        ("2021-07-06T10:30:00+02:00", 1625560200),
        ("last Tuesday", None),
    ],
)
def test_published_dates_become_epoch_seconds(published: str, expected: int | None) -> None:
    assert published_timestamp(published) == expected
