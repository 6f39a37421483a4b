"""Ingest files uploaded through the web app, and URLs typed there, one result per source.

An upload lands in a temporary path; its articles get the stable id ``upload:<file name>``
(``upload:<file name>#L<n>`` for JSON Lines) so uploading the same file again skips or replaces
it instead of adding a copy::

    results = ingest_each([("news.html", "/tmp/gradio/abc/news.html")], store, settings=settings)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import SourceError
from assistant.models import Article
from assistant.retrieval.base import ChunkStore
from assistant.settings import Settings

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
    sources: Sequence[tuple[str, str]],
    store: ChunkStore,
    *,
    settings: Settings,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[SourceResult]:
    """Index each ``(display name, path or URL)`` on its own; one failure never stops the rest."""
    results = []
    for number, (name, source) in enumerate(sources):
        if on_progress is not None:
            on_progress(number, len(sources), name)
        items = load_sources(
            [source], max_bytes=settings.max_source_bytes, timeout=settings.fetch_timeout
        )
        if name != source:
            items = rename_upload(items, name=name, path=Path(source))
        report = index_articles(items, store, chunk_chars=settings.chunk_chars)
        results.append(SourceResult(name, report))
    if on_progress is not None:
        on_progress(len(sources), len(sources), "done")
    return results


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
