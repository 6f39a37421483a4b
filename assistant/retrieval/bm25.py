"""A BM25 keyword index (``bm25s``) over every chunk of a store, kept current cheaply.

Staying current costs one call per search: the store's ``generation()`` token, which every
write through the store changes (a counter in the Chroma collection's metadata). When it
changed, the index catches up incrementally: it lists the chunk ids, fetches and tokenizes only
the chunks it has not seen, forgets deleted ones and re-indexes from the kept tokens. An index
of up to ``sync_limit`` chunks catches up before the search; a larger one in a background
thread while searches use the previous snapshot. Filters become a numpy mask over per-chunk
source and published_ts arrays, so a filtered search asks the store nothing::

    index = KeywordIndex(store, directory=Path(".newsdesk/bm25"))
    hits = index.search("Who welcomed the withdrawal?", k=20)  # [(chunk_id, score), ...]
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..text.words import content_tokens
from .base import ChunkStore
from .bm25_snapshot import (
    EMPTY,
    Snapshot,
    import_bm25s,
    load_snapshot,
    load_tokens,
    save_snapshot,
)
from .filters import Filters

logger = logging.getLogger(__name__)


class KeywordIndex:
    """BM25 search over the chunks of ``store``, kept current with it.

    ``directory`` (optional) is where the index is saved and loaded from; without one it lives
    in memory only (e.g. when the store is a Chroma server). ``recheck_seconds`` is the least
    time between two generation reads (0: every search).
    """

    def __init__(
        self,
        store: ChunkStore,
        *,
        directory: Path | None = None,
        recheck_seconds: float = 0.0,
        sync_limit: int = 20_000,
    ) -> None:
        self.store = store
        self.directory = directory
        self.recheck_seconds = recheck_seconds
        self.sync_limit = sync_limit
        self._snapshot = EMPTY
        self._tokens: dict[str, tuple[str, ...]] | None = None  # loaded when first needed
        self._columns: dict[str, tuple[str, float]] = {}
        self._update_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._checked_at = -float("inf")
        self._loaded = False

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def search(
        self, query: str, *, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ``(chunk_id, score)`` for ``query`` among the chunks ``filters`` keeps."""
        self.refresh(wait=False)
        snap = self._snapshot
        tokens = [t for t in content_tokens(query) if snap.model and t in snap.model.vocab_dict]
        if not tokens:
            return []
        scores = np.asarray(snap.model.get_scores(tokens), dtype=float)
        mask = snap.mask(filters)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = min(k, int(np.count_nonzero(scores > 0)))
        if top == 0:
            return []
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(snap.ids[i], float(scores[i])) for i in best]

    def refresh(self, *, force: bool = False, wait: bool = True) -> bool:
        """Catch up with the store if its generation changed (``force``: rebuild whole).

        Returns whether this call updated the index. With ``wait=False`` a large index that is
        behind is updated in a background thread and this returns False at once.
        """
        if not self._loaded:
            self._loaded = True
            self._snapshot = load_snapshot(self.directory) or EMPTY
        now = time.monotonic()
        if not force and now - self._checked_at < self.recheck_seconds:
            return False
        self._checked_at = now
        generation = self.store.generation()
        if not force and generation == self._snapshot.generation:
            return False
        if wait or len(self._snapshot.ids) <= self.sync_limit:
            return self._update(generation, force=force)
        self._start_background(generation)
        return False

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background update to finish (tests, benchmarks)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _start_background(self, generation: str) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        self._worker = threading.Thread(
            target=self._update, args=(generation,), name="bm25-update", daemon=True
        )
        self._worker.start()

    def _update(self, generation: str, *, force: bool = False) -> bool:
        with self._update_lock:
            if not force and generation == self._snapshot.generation:
                return False  # another thread caught up meanwhile
            began = time.perf_counter()
            tokens = self._known_tokens(force)
            ids = sorted(self.store.chunk_ids())
            current = set(ids)
            for gone in [i for i in tokens if i not in current]:
                del tokens[gone]
                self._columns.pop(gone, None)
            new = [i for i in ids if i not in tokens]
            self._add(new, tokens)
            self._snapshot = self._build(generation, ids, tokens)
            logger.info(
                "BM25 index of %d chunks (%d new) updated in %.2f s",
                len(ids),
                len(new),
                time.perf_counter() - began,
            )
            save_snapshot(self.directory, self._snapshot, tokens)
            return True

    def _known_tokens(self, force: bool) -> dict[str, tuple[str, ...]]:
        if force:
            self._tokens, self._columns = {}, {}
        if self._tokens is None:
            snap = self._snapshot
            self._tokens = load_tokens(self.directory, snap.ids)
            self._columns = {
                i: (str(s), float(p))
                for i, s, p in zip(snap.ids, snap.sources, snap.published, strict=True)
                if i in self._tokens
            }
        return self._tokens

    def _add(self, ids: Sequence[str], tokens: dict[str, tuple[str, ...]]) -> None:
        for begin in range(0, len(ids), 2000):
            for chunk_id, passage in self.store.passages(ids[begin : begin + 2000]).items():
                tokens[chunk_id] = tuple(content_tokens(passage.text))
                published = passage.metadata.get("published_ts")
                self._columns[chunk_id] = (
                    str(passage.metadata.get("source", "")),
                    float("nan") if published is None else float(published),
                )

    def _build(
        self, generation: str, ids: list[str], tokens: dict[str, tuple[str, ...]]
    ) -> Snapshot:
        ids = [i for i in ids if i in tokens]  # a chunk deleted while we fetched
        if not ids:
            return Snapshot(generation, [], None, EMPTY.sources, EMPTY.published)
        model = import_bm25s().BM25()
        # bm25s rejects an empty document; a placeholder token keeps positions aligned with ids.
        model.index([list(tokens[i]) or ["\x00"] for i in ids], show_progress=False)
        columns = [self._columns[i] for i in ids]
        return Snapshot(
            generation=generation,
            ids=ids,
            model=model,
            sources=np.array([c[0] for c in columns], dtype=str),
            published=np.array([c[1] for c in columns], dtype=float),
        )
