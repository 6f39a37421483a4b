"""One writer at a time for an embedded store: a second ingest fails at once with a clear message.

A Chroma server serialises writes itself, so the lock applies to the embedded store only.
``newsdesk ingest``, the chat's Ingest tab and ``POST /api/ingest`` all take it
(``writing(settings)``)::

    with writing(settings):
        index_articles(...)
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from assistant.errors import StoreBusyError
from assistant.settings import Settings

logger = logging.getLogger(__name__)

LOCK_NAME = ".newsdesk-ingest.lock"


def writing(settings: Settings) -> AbstractContextManager[None]:
    """The ingest lock of ``settings.store``, or nothing when a Chroma server is used."""
    return nullcontext() if settings.chroma_url else ingest_lock(settings.store)


@contextmanager
def ingest_lock(store_dir: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on ``store_dir`` (released even on SIGKILL)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    path = store_dir / LOCK_NAME
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreBusyError(
                f"Another ingest (pid {holder}) is writing to the store at '{store_dir}'. "
                "Wait for it to finish and run this one again, or share the store through a "
                "Chroma server (NEWSDESK_CHROMA_URL) to ingest from several processes."
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
