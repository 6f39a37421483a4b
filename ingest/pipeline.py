"""Index articles into the store: chunk, skip what is current, embed in batches, replace.

report = index_articles(load_sources(["data/articles"], max_bytes=10**7), store,
                        chunk_chars=600)
print(report.summary())
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tqdm import tqdm

from assistant.errors import SourceError
from assistant.models import Article, Chunk
from assistant.retrieval.base import ChunkStore

from .articles import stated_id
from .chunking import split_article

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest did, per source and in total."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[SourceError] = field(default_factory=list)
    chunks_written: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed; "
            f"{self.chunks_written} chunks written."
        )


def index_articles(
    items: Iterable[Article | SourceError],
    store: ChunkStore,
    *,
    chunk_chars: int,
    batch_chunks: int = 1024,
    progress: bool = False,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Index every ``Article`` in ``items``; record every ``SourceError`` and go on.

    Sources are loaded first, then the store is asked once which articles are current (those
    are skipped without touching the embedding model), then the rest are chunked and embedded
    together in batches of about ``batch_chunks``: large, so the encoder sorts them by length
    and pads little (on the Lee corpus 128 reached 0.6 of raw encode speed, 1024 about 0.9).
    ``progress`` shows a tqdm bar with totals; ``on_progress(chunks_done, chunks_total)`` is
    called after each batch.
    """
    report = IngestReport()
    articles = _load(items, report, progress=progress)
    statuses = store.article_statuses(articles)
    todo: list[tuple[Article, list[Chunk], bool]] = []
    for article in articles:
        status = statuses[article.article_id]
        if status == "foreign" and stated_id(article):
            report.failed.append(_taken(article))
        elif status == "current":
            report.unchanged.append(article.article_id)
        else:
            chunks = split_article(article, max_chars=chunk_chars)
            todo.append((article, chunks, status != "new"))
    total = sum(len(chunks) for _, chunks, _ in todo)
    logger.info(
        "%d articles to embed (%d chunks), %d unchanged, %d failed",
        len(todo),
        total,
        len(report.unchanged),
        len(report.failed),
    )
    bar = tqdm(
        total=total,
        desc=f"embedding {len(todo)} articles",
        unit="chunk",
        disable=not progress or not todo,
        dynamic_ncols=True,
    )
    pending: list[tuple[Article, list[Chunk], bool]] = []
    for entry in todo:
        pending.append(entry)
        if sum(len(chunks) for _, chunks, _ in pending) >= batch_chunks:
            _flush_and_report(pending, store, report, bar, total, on_progress)
    _flush_and_report(pending, store, report, bar, total, on_progress)
    bar.close()
    return report


ProgressCallback = Callable[[int, int], None]


def _taken(article: Article) -> SourceError:
    """An id the article states is held by an article from another source: never replaced."""
    return SourceError(
        article.source,
        f"article id '{article.article_id}' is already stored from another source, and an id "
        "a source states never replaces another source's article. Remove that article first "
        "to replace it.",
    )


def _load(
    items: Iterable[Article | SourceError], report: IngestReport, *, progress: bool
) -> list[Article]:
    """Every article of ``items`` (the last one wins when an id repeats); errors to ``report``."""
    articles: dict[str, Article] = {}
    bar = tqdm(items, desc="loading", unit="article", disable=not progress, leave=False)
    for item in bar:
        if isinstance(item, SourceError):
            logger.debug("failed: %s", item)
            report.failed.append(item)
        else:
            articles.pop(item.article_id, None)
            articles[item.article_id] = item
    return list(articles.values())


def _flush_and_report(
    pending: list[tuple[Article, list[Chunk], bool]],
    store: ChunkStore,
    report: IngestReport,
    bar: tqdm,
    total: int,
    on_progress: ProgressCallback | None,
) -> None:
    before = report.chunks_written
    _flush(pending, store, report)
    bar.update(report.chunks_written - before)
    bar.set_postfix_str(f"{len(report.added) + len(report.updated)} articles written")
    if on_progress is not None:
        on_progress(report.chunks_written, total)


def _flush(
    pending: list[tuple[Article, list[Chunk], bool]], store: ChunkStore, report: IngestReport
) -> None:
    if not pending:
        return
    texts = [chunk.text for _, chunks, _ in pending for chunk in chunks]
    vectors = store.embeddings.embed_documents(texts)
    store.replace_articles([(article, chunks) for article, chunks, _ in pending], vectors)
    for article, chunks, existed in pending:
        (report.updated if existed else report.added).append(article.article_id)
        report.chunks_written += len(chunks)
    pending.clear()
