"""The JSON API of newsdesk (FastAPI), served beside the chat on the same ``Assistant``.

    api = create_api(Assistant.from_settings())
    uvicorn.run(api, port=8000)  # POST /api/ask, /api/ask/stream, /api/ingest; GET /docs

``POST /api/ask`` returns the ``newsdesk ask --json`` object. With ``settings.api_token`` set,
every ``/api/*`` route needs ``Authorization: Bearer <token>``. ``/api/ingest`` is offered when
the caller passes ``ingest_sources`` (the composition root does; ``assistant`` never imports
``ingest``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ..chain import Assistant
from ..errors import (
    EmptyStoreError,
    NewsdeskError,
    QuestionError,
    StoreBusyError,
    StoreUnavailableError,
)
from ..models import Answer
from ..retrieval.lock import writing
from .ingest_api import IngestSources, add_ingest_route
from .limits import BodyLimit
from .origin import OriginGuard, allowed_hosts

logger = logging.getLogger(__name__)

_STATUS = {
    QuestionError: 422,
    EmptyStoreError: 409,
    StoreBusyError: 409,  # before its base class StoreUnavailableError
    StoreUnavailableError: 503,
}
_END = object()
ANSWER_THREADS = max(1, os.cpu_count() or 1)
"""Questions answered at once; more only contend for the cores (the rest wait in order)."""
BearerCredentials = Annotated[
    HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))
]


class Message(BaseModel):
    """One turn of the chat so far."""

    role: Literal["user", "assistant"]
    content: str


class Filters(BaseModel):
    """Narrow the articles searched; every field is optional, dates are ISO 8601, inclusive."""

    model_config = ConfigDict(extra="forbid")

    sources: list[str] | None = Field(default=None, examples=[["data/articles/a.txt"]])
    published_from: str | None = Field(default=None, examples=["2024-01-01"])
    published_to: str | None = Field(default=None, examples=["2024-12-31"])


class AskRequest(BaseModel):
    """The body of ``POST /api/ask``."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(examples=["Which groups reject the withdrawal?"])
    history: list[Message] = Field(default_factory=list)
    k: int | None = Field(default=None, ge=1, le=50)
    filters: Filters | None = None


def create_api(
    assistant: Assistant,
    *,
    ingest_sources: IngestSources | None = None,
    token: str | None = None,
) -> FastAPI:
    """The FastAPI app: ``/api/*`` routes, ``/healthz`` and the OpenAPI docs at ``/docs``.

    ``token`` defaults to ``assistant.settings.api_token``; without one the API is open.
    """
    token = token if token is not None else assistant.settings.api_token
    app = FastAPI(title="newsdesk", summary="Answers about news articles, with cited passages.")
    app.state.assistant = assistant
    app.add_middleware(BodyLimit, max_bytes=assistant.settings.max_upload_bytes)
    app.add_middleware(OriginGuard, allowed_hosts=allowed_hosts(assistant.settings))
    _add_error_handlers(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, Any]:
        """Liveness and the number of chunks in the store (503 when the store is unreachable)."""
        return {"status": "ok", "chunks": assistant.store.count()}

    app.include_router(_api_router(assistant, ingest_sources), dependencies=_auth(token))
    if token:
        logger.info("the API requires a bearer token (NEWSDESK_API_TOKEN)")
    else:
        logger.warning("NEWSDESK_API_TOKEN is not set: the API and the chat are open to anyone")
    return app


def _api_router(assistant: Assistant, ingest_sources: IngestSources | None) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["api"])

    limiter = anyio.CapacityLimiter(ANSWER_THREADS)

    async def answer(request: AskRequest) -> Answer:
        """Answers in at most ``ANSWER_THREADS`` threads, first come first served."""
        return await anyio.to_thread.run_sync(answer_of, assistant, request, limiter=limiter)

    @router.post("/ask")
    async def ask(request: AskRequest) -> dict[str, Any]:
        """Answer a question: the same object as ``newsdesk ask --json``."""
        return (await answer(request)).model_dump()

    @router.post("/ask/stream")
    async def ask_stream(request: AskRequest) -> StreamingResponse:
        """Server-sent events: ``delta`` events with pieces of the text, then ``answer``."""
        items = assistant.stream(request.question, **_ask_options(request))

        async def pull() -> Any:
            return await anyio.to_thread.run_sync(next, items, _END, limiter=limiter)

        first = await pull()  # a bad question becomes a 4xx before the stream starts
        return StreamingResponse(stream_events(first, pull), media_type="text/event-stream")

    @router.get("/articles")
    def list_articles() -> list[dict[str, Any]]:
        """Every article in the store, sorted by title."""
        return [dataclasses.asdict(record) for record in assistant.store.list_articles()]

    @router.delete(
        "/articles/{article_id:path}",
        responses={
            404: {"description": "no such article"},
            409: {"description": "another writer holds the store"},
        },
    )
    def delete_article(article_id: str) -> dict[str, Any]:
        """Remove an article and all its chunks (404 when no article has this id; 409 while
        another writer, such as an ingest, holds the embedded store's writer lock)."""
        with writing(assistant.settings, "article removal"):
            deleted = assistant.store.delete_article(article_id)
        if not deleted:
            raise HTTPException(
                404, f"No article has id '{article_id}'. List them with GET /api/articles."
            )
        return {"article_id": article_id, "deleted_chunks": deleted}

    if ingest_sources is not None:
        add_ingest_route(router, ingest_sources, settings=assistant.settings)
    return router


def answer_of(assistant: Assistant, request: AskRequest) -> Answer:
    return assistant.ask(request.question, **_ask_options(request))


def _ask_options(request: AskRequest) -> dict[str, Any]:
    return {
        "history": [m.model_dump() for m in request.history],
        "k": request.k,
        "filters": request.filters.model_dump(exclude_none=True) if request.filters else None,
    }


async def stream_events(first: Any, pull: Callable[[], Awaitable[Any]]) -> AsyncIterator[str]:
    """Items of ``Assistant.stream`` as server-sent events: ``delta``s, then ``answer``.

    An error after the stream has started arrives as an ``error`` event.
    """
    item = first
    try:
        while item is not _END:
            if isinstance(item, Answer):
                yield _event("answer", item.model_dump())
            else:
                yield _event("delta", {"text": str(item)})
            item = await pull()
    except NewsdeskError as error:
        yield _event("error", {"detail": str(error)})


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _auth(token: str | None) -> list[Any]:
    if not token:
        return []

    def check(credentials: BearerCredentials) -> None:
        given = credentials.credentials if credentials else ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                401,
                "Missing or wrong bearer token. Send: Authorization: Bearer <NEWSDESK_API_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return [Depends(check)]


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsdeskError)
    def newsdesk_error(request: Request, error: NewsdeskError) -> JSONResponse:
        status = next((s for kind, s in _STATUS.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": str(error)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
            for e in error.errors()
        ]
        return JSONResponse(
            {"detail": "; ".join(problems), "errors": jsonable_encoder(error.errors())},
            status_code=422,
        )
