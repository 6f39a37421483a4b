"""One writer at a time on an embedded store: a second one fails at once with a clear message.

A Chroma server serialises writes itself, so the lock applies to the embedded store only. Every
write takes it (``writing(settings, what)``): ``newsdesk ingest``, ``remove`` and ``migrate``,
the chat's Ingest tab, ``POST /api/ingest`` and ``DELETE /api/articles/{id}``::

    with writing(settings, "ingest"):
        index_articles(...)

The holder writes ``<pid> <what>`` into the lock file, so the refused caller is told who holds
it: ``Another ingest (pid 4242) is writing to the store at '...'``.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from ..errors import StoreBusyError
from ..settings import Settings

LOCK_NAME = ".newsdesk-ingest.lock"
"""The file in the store directory (the name ingest has always used, so writers of an older
release running on the same store still exclude the new ones)."""


def writing(settings: Settings, what: str = "ingest") -> AbstractContextManager[None]:
    """The writer lock of ``settings.store``, or nothing when a Chroma server is used.

    ``what`` names the writer in the message a refused caller gets ("ingest", "removal", ...).
    """
    return nullcontext() if settings.chroma_url else store_lock(settings.store, what)


@contextmanager
def store_lock(store_dir: Path, what: str = "ingest") -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on ``store_dir`` (released even on SIGKILL).

    Raises ``StoreBusyError`` at once when another process, or another open of the file in this
    process (a thread of the web server), holds it.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    path = store_dir / LOCK_NAME
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            pid, _, holder = handle.read().strip().partition(" ")
            raise StoreBusyError(
                f"Another {holder or 'ingest'} (pid {pid or 'unknown'}) is writing to the store "
                f"at '{store_dir}'. Wait for it to finish and run this one again, or share the "
                "store through a Chroma server (NEWSDESK_CHROMA_URL) to ingest from several "
                "processes."
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {what}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
