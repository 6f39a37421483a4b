"""Index articles into the store: chunk, skip what is current, embed in batches, replace.

report = index_articles(load_sources(["data/articles"], max_bytes=10**7), store,
                        chunk_chars=600)
print(report.summary())
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from tqdm import tqdm

from assistant.errors import SourceError
from assistant.models import Article, Chunk
from assistant.store import NewsStore

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
    store: NewsStore,
    *,
    chunk_chars: int,
    batch_chunks: int = 256,
    progress: bool = False,
) -> IngestReport:
    """Index every ``Article`` in ``items``; record every ``SourceError`` and go on.

    Chunks of several articles are embedded together in batches of about ``batch_chunks``.
    """
    report = IngestReport()
    pending: list[tuple[Article, list[Chunk], bool]] = []
    bar = tqdm(desc="ingest", unit="article", disable=not progress, leave=False)
    for item in items:
        bar.update(1)
        if isinstance(item, SourceError):
            logger.debug("failed: %s", item)
            report.failed.append(item)
            continue
        status = store.article_status(item)
        if status == "current":
            report.unchanged.append(item.article_id)
            continue
        pending.append((item, split_article(item, max_chars=chunk_chars), status == "changed"))
        if sum(len(chunks) for _, chunks, _ in pending) >= batch_chunks:
            _flush(pending, store, report)
            bar.set_postfix(chunks=report.chunks_written)
    _flush(pending, store, report)
    bar.close()
    return report


def _flush(
    pending: list[tuple[Article, list[Chunk], bool]], store: NewsStore, report: IngestReport
) -> None:
    if not pending:
        return
    texts = [chunk.text for _, chunks, _ in pending for chunk in chunks]
    vectors = store.embeddings.embed_documents(texts)
    offset = 0
    for article, chunks, existed in pending:
        store.replace_article(article, chunks, vectors[offset : offset + len(chunks)])
        offset += len(chunks)
        (report.updated if existed else report.added).append(article.article_id)
        report.chunks_written += len(chunks)
    pending.clear()
