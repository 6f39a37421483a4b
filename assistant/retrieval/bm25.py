"""A BM25 keyword index (``bm25s``) over every chunk of a Chroma collection.

The index is built once, saved next to an embedded store, and rebuilt only when the
collection changes: its chunk count is compared on every search (one cheap call) and a hash
of all chunk ids at most every ``recheck_seconds`` (chunk ids hash their text, so a replaced
article changes them even when the count stays the same)::

    index = KeywordIndex(store, directory=Path(".newsdesk/bm25"))
    hits = index.search("Who welcomed the withdrawal?", k=20)  # [(chunk_id, score), ...]
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..text.words import content_tokens
from .base import ChunkStore

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG and logs every build

_META = "newsdesk-bm25.json"


class KeywordIndex:
    """BM25 search over the chunks of ``store``, kept current with it.

    ``directory`` (optional) is where the index is saved and loaded from; without one the
    index lives in memory only (e.g. when the store is a Chroma server).
    """

    def __init__(
        self, store: ChunkStore, *, directory: Path | None = None, recheck_seconds: float = 5.0
    ) -> None:
        self.store = store
        self.directory = directory
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._ids: list[str] = []
        self._fingerprint: str | None = None
        self._model: Any = None
        self._checked_at = 0.0
        self._loaded = False

    def search(
        self, query: str, *, k: int, allowed_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ``(chunk_id, score)`` for ``query``, only ``allowed_ids`` if given."""
        self.refresh()
        with self._lock:  # a consistent pair, never one half of a rebuild
            ids, model = self._ids, self._model
        tokens = [t for t in content_tokens(query) if model and t in model.vocab_dict]
        if not tokens or not ids:
            return []
        scores = np.asarray(model.get_scores(tokens))
        order = np.argsort(-scores)
        hits: list[tuple[str, float]] = []
        for position in order:
            if scores[position] <= 0 or len(hits) >= k:
                break
            chunk_id = ids[position]
            if allowed_ids is None or chunk_id in allowed_ids:
                hits.append((chunk_id, float(scores[position])))
        return hits

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild the index if the collection changed; return whether it was rebuilt."""
        with self._lock:
            if not self._loaded:
                self._loaded = True
                self._load()
            count = self.store.count()
            due = time.monotonic() - self._checked_at >= self.recheck_seconds
            if not force and count == len(self._ids) and not due:
                return False
            ids = sorted(self.store.chunk_ids())
            self._checked_at = time.monotonic()
            fingerprint = fingerprint_ids(ids)
            if not force and fingerprint == self._fingerprint:
                return False
            self._build(ids, fingerprint)
            return True

    def _build(self, ids: list[str], fingerprint: str) -> None:
        began = time.perf_counter()
        passages = self.store.passages(ids)
        texts = [passages[i].text if i in passages else "" for i in ids]
        model = _index([content_tokens(t) for t in texts]) if ids else None
        self._ids, self._fingerprint, self._model = ids, fingerprint, model
        logger.info(
            "BM25 index of %d chunks built in %.2f s", len(ids), time.perf_counter() - began
        )
        self._save()

    def _save(self) -> None:
        if self.directory is None or self._model is None:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._model.save(str(self.directory), show_progress=False)
            meta = {"fingerprint": self._fingerprint, "ids": self._ids}
            (self.directory / _META).write_text(json.dumps(meta), encoding="utf-8")
        except OSError as error:
            logger.warning(
                "cannot save the BM25 index to %s (%s); kept in memory", self.directory, error
            )

    def _load(self) -> None:
        if self.directory is None or not (self.directory / _META).is_file():
            return
        import bm25s

        try:
            meta = json.loads((self.directory / _META).read_text(encoding="utf-8"))
            model = bm25s.BM25.load(str(self.directory), show_progress=False)
        except (OSError, ValueError, KeyError) as error:
            logger.warning("ignoring the saved BM25 index in %s (%s)", self.directory, error)
            return
        self._ids, self._fingerprint, self._model = list(meta["ids"]), meta["fingerprint"], model
        self._checked_at = 0.0
        logger.info("BM25 index of %d chunks loaded from %s", len(self._ids), self.directory)


def fingerprint_ids(ids: Sequence[str]) -> str:
    """A short hash of the sorted chunk ids: it changes whenever any chunk is added or replaced."""
    return hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()


def _index(corpus: list[list[str]]) -> Any:
    import bm25s

    model = bm25s.BM25()
    # bm25s rejects an empty document; a placeholder token keeps positions aligned with ids.
    model.index([tokens or ["\x00"] for tokens in corpus], show_progress=False)
    return model
