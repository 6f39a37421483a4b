"""Ingest files uploaded through the web app, and URLs typed there, one result per source.

An upload lands in a temporary path; its articles get the stable id ``upload:<file name>``
(``upload:<file name>#L<n>`` for JSON Lines) so uploading the same file again skips or replaces
it instead of adding a copy::

    results = ingest_each(
        [("news.html", "/tmp/gradio/abc/news.html")], ["https://example.com/rss"], store,
        settings=settings,
    )
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import SourceError, TooManySourcesError
from assistant.models import Article
from assistant.retrieval.base import ChunkStore
from assistant.retrieval.lock import writing
from assistant.settings import Settings

from .addresses import check_url
from .articles import make_article
from .loaders import load_sources
from .pipeline import IngestReport, index_articles

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceResult:
    """What happened to one uploaded file or URL."""

    name: str
    report: IngestReport

    @property
    def message(self) -> str:
        report = self.report
        if report.failed and not (report.added or report.updated or report.unchanged):
            return "failed: " + "; ".join(e.problem for e in report.failed)
        return report.summary()


def ingest_each(
    uploads: Sequence[tuple[str, str]],
    urls: Sequence[str],
    store: ChunkStore,
    *,
    settings: Settings,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[SourceResult]:
    """Index each upload ``(file name, temporary path)`` and each URL on its own.

    One failure never stops the rest. More than ``settings.max_upload_files`` uploads, or
    URLs, raise ``TooManySourcesError`` before anything is read (the web app's Ingest tab and
    ``POST /api/ingest`` come here; ``newsdesk ingest`` does not, so the CLI is not limited).
    A URL must be ``http(s)://`` (never a path on the server) and is fetched under the address
    guard. Everything is read and fetched first, without the store's writer lock (a slow page
    must not keep a removal waiting); then the writing holds it, so a second writer gets
    ``StoreBusyError`` at once.
    """
    limit = settings.max_upload_files
    if len(uploads) > limit or len(urls) > limit:
        raise TooManySourcesError(limit)
    sources = [*((name, path, True) for name, path in uploads), *((u, u, False) for u in urls)]
    loaded = []
    for number, (name, source, uploaded) in enumerate(sources):
        if on_progress is not None:
            on_progress(number, len(sources), name)
        items = _load(source, uploaded=uploaded, settings=settings)
        if uploaded:
            items = rename_upload(items, name=name, path=Path(source))
        loaded.append((name, list(items)))
    with writing(settings, "ingest"):
        results = [
            SourceResult(name, index_articles(items, store, chunk_chars=settings.chunk_chars))
            for name, items in loaded
        ]
    if on_progress is not None:
        on_progress(len(sources), len(sources), "done")
    return results


def _load(source: str, *, uploaded: bool, settings: Settings) -> Iterator[Article | SourceError]:
    if not uploaded:
        try:
            check_url(source)
        except SourceError as error:
            return iter([error])
    return load_sources(
        [source],
        max_bytes=settings.max_source_bytes,
        timeout=settings.fetch_timeout,
        allow_private=settings.fetch_allow_private,
    )


def rename_upload(
    items: Iterator[Article | SourceError], *, name: str, path: Path
) -> Iterator[Article | SourceError]:
    """Replace the temporary path in ids, sources and messages by the uploaded file's name."""
    temporary = str(path.resolve())
    for item in items:
        if isinstance(item, SourceError):
            yield SourceError(item.source.replace(str(path), name), item.problem)
            continue
        article_id = item.article_id
        if article_id.startswith(temporary):
            article_id = f"upload:{name}{article_id[len(temporary) :]}"
        source = name if item.source == str(path) else item.source
        yield make_article(
            article_id=article_id,
            title=item.title,
            text=item.text,
            source=source,
            url=item.url,
            published=item.published,
        )
