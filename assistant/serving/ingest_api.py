"""``POST /api/ingest``: uploaded files and URLs, each ingested on its own, within limits.

The multipart body is parsed here, not by FastAPI, so the limits answer 413 as soon as the
part past ``NEWSDESK_MAX_UPLOAD_FILES`` arrives (not after 10,000 files were spooled), and a body
of the wrong shape is a 422 naming the fields the route takes, never a 400 or 500::

    add_ingest_route(router, ingest_sources, settings=assistant.settings)
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import parse_options_header

from ..errors import TooManySourcesError
from ..settings import Settings
from .limits import BodyTooLarge

IngestSources = Callable[[Sequence[tuple[str, str]], Sequence[str]], Sequence[Any]]
"""Ingests uploads ``(file name, path)`` and URLs into the assistant's store, each on its own;
returns one result per source (``.name``, ``.message`` and its ``.report``), as the Ingest tab."""

FIELDS = ("files", "urls")
MAX_NAME_BYTES = 200
"""Longest upload file name kept, in bytes (file systems take 255)."""
FORM_TYPES = (b"multipart/form-data", b"application/x-www-form-urlencoded")
REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
                },
            }
        }
    },
}


def add_ingest_route(
    router: APIRouter, ingest_sources: IngestSources, *, settings: Settings
) -> None:
    """Add ``POST /ingest`` to ``router``."""

    @router.post(
        "/ingest",
        openapi_extra={"requestBody": REQUEST_BODY},
        responses={409: {"description": "another ingest is writing"}, 413: {}, 422: {}},
    )
    async def ingest(request: Request) -> dict[str, Any]:
        """Ingest uploaded files (.txt, .md, ...) and http(s) URLs; one result per source."""
        async with read_form(request, settings=settings) as form:
            files, urls = form_sources(form)
            results = await anyio.to_thread.run_sync(_save_and_ingest, ingest_sources, files, urls)
        return results_to_json(results)


@asynccontextmanager
async def read_form(request: Request, *, settings: Settings) -> AsyncIterator[FormData]:
    """The request's form within the limits; its spooled upload files are closed after."""
    form = await _parse_form(request, limit=settings.max_upload_files)
    try:
        yield form
    finally:
        await form.close()


async def _parse_form(request: Request, *, limit: int) -> FormData:
    content_type, _ = parse_options_header(request.headers.get("content-type", ""))
    if not content_type:
        raise HTTPException(422, "Nothing to ingest: send files and/or urls form fields.")
    if content_type not in FORM_TYPES:
        raise HTTPException(
            422,
            f"Content type '{content_type.decode('latin-1')}' is not a form: send "
            "multipart/form-data with `files` (uploads) and/or `urls` fields.",
        )
    try:
        return await request.form(max_files=limit, max_fields=limit)
    except BodyTooLarge:
        raise
    except StarletteHTTPException as error:  # starlette's 400 for a multipart it cannot parse
        if str(error.detail).startswith("Too many"):
            raise HTTPException(  # the limit ingest_each has, said the same way
                413, str(TooManySourcesError(limit)), headers={"Connection": "close"}
            ) from error  # the rest of the body is not read
        raise HTTPException(422, f"The form cannot be read: {error.detail}") from error


def form_sources(form: FormData) -> tuple[list[UploadFile], list[str]]:
    """The uploads of ``files`` and the texts of ``urls``; 422 for anything else."""
    unknown = sorted(set(form.keys()) - set(FIELDS))
    if unknown:
        raise HTTPException(
            422, f"Unknown form field(s) {', '.join(unknown)}: send `files` and/or `urls`."
        )
    files, urls = form.getlist("files"), form.getlist("urls")
    if not all(isinstance(f, UploadFile) for f in files):
        raise HTTPException(422, "files: each must be an uploaded file, not a text field.")
    if any(isinstance(u, UploadFile) for u in urls):
        raise HTTPException(422, "urls: each must be a text field holding a URL, not a file.")
    if not files and not urls:
        raise HTTPException(422, "Nothing to ingest: send files and/or urls form fields.")
    return [f for f in files if isinstance(f, UploadFile)], [str(u).strip() for u in urls]


def _save_and_ingest(
    ingest_sources: IngestSources, files: list[UploadFile], urls: list[str]
) -> Sequence[Any]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-upload-") as folder:
        uploads = [save_upload(f, Path(folder) / str(i)) for i, f in enumerate(files)]
        return ingest_sources(uploads, urls)


def save_upload(upload: UploadFile, folder: Path) -> tuple[str, str]:
    """Write an upload into ``folder``; ``(its file name, its path)`` for ``ingest_sources``."""
    name = upload_name(upload.filename)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)  # in blocks, not the whole upload in memory
    return name, str(path)


def upload_name(filename: str | None) -> str:
    """A safe file name for an upload: its last path part, control characters dropped, at most
    ``MAX_NAME_BYTES`` bytes of UTF-8 (the suffix kept), never hidden.

    >>> upload_name("../../etc/pass" + chr(0) + "wd.txt"), upload_name(None)
    ('passwd.txt', 'upload.txt')
    """
    name = "".join(ch for ch in filename or "" if ch.isprintable()).replace("\\", "/")
    name = Path(name.encode("utf-8", "replace").decode("utf-8")).name.lstrip(".")
    stem, suffix = Path(name).stem, Path(name).suffix[:16]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem + suffix) if stem else f"upload{suffix or '.txt'}"


def results_to_json(results: Sequence[Any]) -> dict[str, Any]:
    """One entry per source, and the articles added, updated, unchanged and failed in all."""
    reports = [result.report for result in results]
    return {
        "sources": [{"source": r.name, "result": r.message} for r in results],
        "added": [a for report in reports for a in report.added],
        "updated": [a for report in reports for a in report.updated],
        "unchanged": [a for report in reports for a in report.unchanged],
        "failed": [{"source": e.source, "problem": e.problem} for r in reports for e in r.failed],
        "chunks_written": sum(report.chunks_written for report in reports),
    }
