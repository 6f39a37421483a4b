"""The exceptions newsdesk raises; every message names the problem, the value and the fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class NewsdeskError(Exception):
    """Base class: anything newsdesk reports to a user as a plain message."""


class SettingsError(NewsdeskError):
    """``NEWSDESK_*`` variables or flags with values newsdesk cannot use (pydantic's error list):
    ``setting k = '0' (NEWSDESK_K): Input should be greater than 0``."""

    def __init__(self, problems: Sequence[Mapping[str, Any]]) -> None:
        lines = []
        for problem in problems:
            name = ".".join(map(str, problem["loc"]))
            value, says = problem.get("input"), problem["msg"]
            lines.append(f"setting {name} = {value!r} (NEWSDESK_{name.upper()}): {says}")
        super().__init__("; ".join(lines))


class SourceError(NewsdeskError):
    """A source (file, page, URL, feed) that cannot be ingested.

    ``source`` names it so a report can list it beside the other results.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class EmptyStoreError(NewsdeskError):
    """The collection holds no articles yet."""


class StoreUnavailableError(NewsdeskError):
    """The Chroma store cannot be opened or reached."""


class StoreBusyError(StoreUnavailableError):
    """Another writer holds the embedded store's writer lock; try again when it is done."""


class TooManySourcesError(NewsdeskError):
    """One ingest request named more files, or more URLs, than ``NEWSDESK_MAX_UPLOAD_FILES``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Too many sources at once: at most {limit} files and {limit} URLs "
            "(NEWSDESK_MAX_UPLOAD_FILES). Ingest them in smaller groups."
        )
        self.limit = limit


class QuestionError(NewsdeskError):
    """A question that cannot be asked as given (empty, too long)."""


class BackendError(NewsdeskError):
    """A chat-model backend that is misconfigured, unreachable, too slow or unusable."""
