"""The web server: the JSON API and the Gradio chat in one FastAPI app, on one ``Assistant``.

A composition root, like the CLI: it joins ``app`` (the page), ``assistant`` (the chain and
the API) and ``ingest`` (uploads)::

    python server.py            # or: newsdesk serve
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from typing import Any

import gradio as gr
from fastapi import FastAPI

from app import build_app
from assistant import Assistant, Settings
from assistant.errors import NewsdeskError
from assistant.factory import load_settings
from assistant.serving.api import create_api

logger = logging.getLogger(__name__)


def create_server(assistant: Assistant) -> FastAPI:
    """One FastAPI app: the JSON API at ``/api`` (docs at ``/docs``) and the chat at ``/``.

    With ``NEWSDESK_API_TOKEN`` set, the chat asks for a login: user ``newsdesk``, the token as
    password.
    """
    api = create_api(assistant, ingest_sources=_ingester(assistant))
    token = assistant.settings.api_token
    demo = build_app(assistant)
    server = gr.mount_gradio_app(
        api,
        demo,
        path="/",
        auth=("newsdesk", token) if token else None,
        show_error=True,
        max_file_size=assistant.settings.max_source_bytes,
    )
    # Gradio checks that a file path a client sends lies in its upload folder only in Blocks
    # that were launched; mounted Blocks never are, so say they were (app.py checks too).
    demo.has_launched = True
    return server


def _ingester(assistant: Assistant) -> Any:
    """The API's ingest: the Ingest tab's, so an upload gets the same ``upload:<name>`` id."""
    from ingest.uploads import ingest_each

    def ingest_sources(uploads: Sequence[tuple[str, str]], urls: Sequence[str]) -> Any:
        return ingest_each(uploads, urls, assistant.store, settings=assistant.settings)

    return ingest_sources


def serve(settings: Settings | None = None) -> None:
    """Build the assistant and serve the chat and the API until interrupted."""
    import uvicorn

    began = time.perf_counter()
    settings = settings or load_settings()
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()  # the first question must not wait for the model and the BM25 index
    server = create_server(assistant)
    logger.info(
        "serving the chat at http://%s:%s/ and the API at /api (ready in %.1f s)",
        settings.host,
        settings.port,
        time.perf_counter() - began,
    )
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning")


def main() -> int:
    """``python server.py``: serve; a bad setting or an unusable store is one line, exit 1."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        serve()
    except NewsdeskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
