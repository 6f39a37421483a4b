"""``ingest_each``, the one ingest of the web app's Ingest tab and ``POST /api/ingest``: its limit
on how many sources one call may name, on a real store and a real loopback news server."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Settings
from assistant.errors import TooManySourcesError
from assistant.retrieval.lock import writing
from assistant.retrieval.store import NewsStore
from ingest.uploads import ingest_each
from tests.ingest.conftest import NewsServer

LIMIT = 2
TOO_MANY = (
    f"Too many sources at once: at most {LIMIT} files and {LIMIT} URLs "
    "(NEWSDESK_MAX_UPLOAD_FILES). Ingest them in smaller groups."
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The loopback news server may be fetched, so only the limit can stop a fetch."""
    return Settings(store=tmp_path / "store", max_upload_files=LIMIT, fetch_allow_private=True)


def _uploads(folder: Path, count: int) -> list[tuple[str, str]]:
    uploads = []
    for n in range(count):
        path = folder / f"note{n}.txt"
        path.write_text(f"Ferry note {n}\n\nThe ferry ran {n} times on Sunday.\n", "utf-8")
        uploads.append((path.name, str(path)))
    return uploads


def test_more_uploads_than_the_limit_are_refused_naming_it_and_nothing_is_ingested(
    store: NewsStore, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(TooManySourcesError) as caught:
        ingest_each(_uploads(tmp_path, LIMIT + 1), [], store, settings=settings)
    assert str(caught.value) == TOO_MANY
    assert store.count() == 0


def test_more_urls_than_the_limit_are_refused_before_any_is_fetched(
    store: NewsStore, settings: Settings, news_server: NewsServer
) -> None:
    urls = [news_server.url("/plain.txt")] * (LIMIT + 1)
    with pytest.raises(TooManySourcesError, match="at most 2 files and 2 URLs"):
        ingest_each([], urls, store, settings=settings)
    assert news_server.requests == []
    assert store.count() == 0


def test_the_limit_counts_files_and_urls_apart(
    store: NewsStore, settings: Settings, news_server: NewsServer, tmp_path: Path
) -> None:
    urls = [news_server.url("/plain.txt"), news_server.url("/article.html")]
    results = ingest_each(_uploads(tmp_path, LIMIT), urls, store, settings=settings)
    assert [len(r.report.added) for r in results] == [1, 1, 1, 1], [r.message for r in results]
    assert news_server.requests == ["/plain.txt", "/article.html"]


def test_pages_are_fetched_without_the_writer_lock_so_a_removal_need_not_wait(
    store: NewsStore, settings: Settings, news_server: NewsServer
) -> None:
    free_while_loading = []

    def progress(number: int, total: int, name: str) -> None:
        if number < total:  # between fetches: another writer can take the lock and let it go
            with writing(settings, "article removal"):
                free_while_loading.append(name)

    urls = [news_server.url("/plain.txt"), news_server.url("/article.html")]
    results = ingest_each([], urls, store, settings=settings, on_progress=progress)
    assert free_while_loading == urls
    assert [len(r.report.added) for r in results] == [1, 1]
