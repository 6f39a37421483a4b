"""Turn source paths into cleaned ``Article`` objects, one loader per kind of source.

for item in load_sources(["data/articles"], max_bytes=10_000_000):
    ...  # an Article, or a SourceError naming the source and the problem
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from assistant.errors import SourceError
from assistant.models import Article

from .cleaning import clean_text

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


def load_sources(
    sources: Iterable[str | Path], *, max_bytes: int
) -> Iterator[Article | SourceError]:
    """Yield an ``Article`` per readable source and a ``SourceError`` per unreadable one.

    Folders are walked recursively (files of unsupported kinds in them are skipped quietly);
    a file named directly must be of a supported kind.
    """
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(file, path):
                    yield _load_or_error(file, max_bytes=max_bytes)
        elif path.exists():
            yield _load_or_error(path, max_bytes=max_bytes)
        else:
            yield SourceError(str(source), "no such file or folder. Check the path.")


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


def _load_or_error(path: Path, *, max_bytes: int) -> Article | SourceError:
    try:
        return load_text_file(path, max_bytes=max_bytes)
    except SourceError as error:
        return error
    except OSError as error:
        return SourceError(str(path), f"cannot be read ({error.strerror}).")


def load_text_file(path: Path, *, max_bytes: int) -> Article:
    """Load a ``.txt``/``.md`` article: first line the headline, the rest its body."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise SourceError(
            str(path), f"unsupported kind of file '{path.suffix}'. Use one of {kinds}."
        )
    data = read_bytes(path, max_bytes=max_bytes)
    title, body = clean_text(decode_text(data, source=str(path)))
    if not body:
        raise SourceError(str(path), "no article text left after cleaning; nothing to ingest.")
    return make_article(
        article_id=str(path.resolve()), title=title or path.stem, text=body, source=str(path)
    )


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise SourceError(str(path), "empty file (0 bytes); nothing to ingest.")
    if size > max_bytes:
        raise SourceError(
            str(path),
            f"file is {size:,} bytes, over the limit of {max_bytes:,}. "
            "Split it or raise NEWSDESK_MAX_SOURCE_BYTES.",
        )
    return path.read_bytes()


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (BOM allowed); fall back to Windows-1252 with a warning; refuse binary data."""
    if b"\x00" in data[:8192]:
        raise SourceError(
            source,
            "binary file, not text (it contains NUL bytes). "
            "Convert it to .txt, .md or .html first.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        logger.warning(
            "%s: not valid UTF-8 (byte 0x%02x at offset %d); read as Windows-1252/Latin-1. "
            "Re-save it as UTF-8 if the text looks wrong.",
            source,
            data[error.start],
            error.start,
        )
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:8192]) // 50):
        raise SourceError(
            source,
            "binary file, not text (it is full of control characters). "
            "Convert it to .txt, .md or .html first.",
        )
    return text


def make_article(
    *,
    article_id: str,
    title: str,
    text: str,
    source: str,
    url: str | None = None,
    published: str | None = None,
) -> Article:
    """Build an ``Article`` whose ``content_hash`` covers everything that is indexed."""
    digest = hashlib.sha256("\x1f".join([title, text, url or "", published or ""]).encode())
    return Article(
        article_id=article_id,
        title=title,
        text=text,
        source=source,
        content_hash=digest.hexdigest(),
        url=url,
        published=published,
    )
