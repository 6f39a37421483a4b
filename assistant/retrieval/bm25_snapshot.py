"""One BM25 index as searched (``Snapshot``) and on disk beside an embedded store: the bm25s
model, the chunk ids with their filter columns and generation (JSON), and each chunk's tokens
(npz) for incremental updates.

    save_snapshot(directory, snapshot, tokens)
    snapshot = load_snapshot(directory)          # None when absent, stale format or unreadable
    tokens = load_tokens(directory, snapshot.ids)
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .filters import Filters

logger = logging.getLogger(__name__)

META = "newsdesk-bm25.json"
TOKENS = "newsdesk-bm25-tokens.npz"


@dataclass(frozen=True)
class Snapshot:
    """One consistent index: chunk ids, the bm25s model and each chunk's filter columns."""

    generation: str | None
    ids: list[str]
    model: Any
    sources: np.ndarray  # str per chunk
    published: np.ndarray  # float epoch seconds per chunk, NaN when unknown

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        """Which chunks ``filters`` lets through (as ``ChunkStore.query`` would); None: all."""
        if filters is None:
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.sources:
            names, codes = self._source_codes
            keep &= np.isin(names, list(filters.sources))[codes]  # 0.1 ms at 100k chunks
        if filters.published_from is not None:
            keep &= self.published >= filters.published_from  # NaN compares False
        if filters.published_to is not None:
            keep &= self.published <= filters.published_to
        return keep

    @cached_property
    def _source_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct sources, and each chunk's index among them."""
        names, codes = np.unique(self.sources, return_inverse=True)
        return names, codes


EMPTY = Snapshot(None, [], None, np.array([], dtype=str), np.array([], dtype=float))


def save_snapshot(
    directory: Path | None, snapshot: Snapshot, tokens: dict[str, tuple[str, ...]]
) -> None:
    if directory is None or snapshot.model is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        snapshot.model.save(str(directory), show_progress=False)
        _save_tokens(directory / TOKENS, [tokens[i] for i in snapshot.ids])
        meta = {
            "generation": snapshot.generation,
            "ids": snapshot.ids,
            "sources": snapshot.sources.tolist(),
            "published": [None if math.isnan(p) else p for p in snapshot.published.tolist()],
        }
        (directory / META).write_text(json.dumps(meta), encoding="utf-8")
    except OSError as error:
        logger.warning("cannot save the BM25 index to %s (%s); kept in memory", directory, error)


def load_snapshot(directory: Path | None) -> Snapshot | None:
    if directory is None or not (directory / META).is_file():
        return None
    bm25s = import_bm25s()
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(directory), show_progress=False)
        published = [math.nan if p is None else p for p in meta["published"]]
        snapshot = Snapshot(
            generation=str(meta["generation"]),
            ids=list(meta["ids"]),
            model=model,
            sources=np.array(meta["sources"], dtype=str),
            published=np.array(published, dtype=float),
        )
    except (OSError, ValueError, KeyError) as error:  # KeyError: an older format
        logger.warning("ignoring the saved BM25 index in %s (%s)", directory, error)
        return None
    logger.info("BM25 index of %d chunks loaded from %s", len(snapshot.ids), directory)
    return snapshot


def load_tokens(directory: Path | None, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The saved tokens of ``ids`` (the snapshot's chunks, in order); empty when absent."""
    if directory is None or not (directory / TOKENS).is_file():
        return {}
    try:
        with np.load(directory / TOKENS) as data:
            vocab, flat = data["vocab"].tolist(), data["flat"].tolist()
            offsets = data["offsets"].tolist()
    except (OSError, ValueError, KeyError) as error:
        logger.warning("ignoring the saved BM25 tokens in %s (%s)", directory, error)
        return {}
    if len(offsets) != len(ids) + 1:
        return {}
    words = [vocab[i] for i in flat]
    return {chunk_id: tuple(words[offsets[n] : offsets[n + 1]]) for n, chunk_id in enumerate(ids)}


def _save_tokens(path: Path, documents: list[tuple[str, ...]]) -> None:
    vocab: dict[str, int] = {}
    flat = [vocab.setdefault(token, len(vocab)) for doc in documents for token in doc]
    offsets = np.cumsum([0, *(len(doc) for doc in documents)])
    np.savez(
        path,
        vocab=np.array(list(vocab), dtype=str),
        flat=np.array(flat, dtype=np.int32),
        offsets=offsets.astype(np.int64),
    )


def import_bm25s() -> Any:
    """The ``bm25s`` module; importing it sets its logger to DEBUG (a line on every build), so
    the level goes back to WARNING right after."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s
