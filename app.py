"""The newsdesk web chat (Gradio): answers with ``[n]`` markers and a sources panel.

The page only; ``server.py`` mounts it beside the JSON API and serves both::

    demo = build_app(Assistant.from_settings())
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from assistant import Answer, Assistant, NewsdeskError
from assistant.serving.rendering import (
    chat_text,
    escape_answer,
    escape_markdown,
    render_sources,
)

logger = logging.getLogger(__name__)

EXAMPLES = ["Which groups reject the withdrawal?", "Who welcomed the withdrawal?"]
NO_SOURCES = "*Sources of the answer appear here.*"
UPLOAD_CACHE_SECONDS = 3600


def build_app(assistant: Assistant) -> gr.Blocks:
    """The page bound to ``assistant``: a Chat tab and an Ingest tab.

    Also exposes ``/chat``, ``/ask`` and ``/ingest`` for ``gradio_client``.
    """

    def ask(question: str) -> tuple[str, str]:
        answer = _ask(assistant, question, [])
        return chat_text(answer), render_sources(answer)

    # delete_cache: uploads not ingested (ingest deletes its own) go within two hours.
    with gr.Blocks(
        title="newsdesk", delete_cache=(UPLOAD_CACHE_SECONDS, UPLOAD_CACHE_SECONDS)
    ) as demo:
        gr.Markdown(
            "## newsdesk\nAsk about the ingested news articles; every answer cites its passages."
        )
        with gr.Tabs():
            with gr.Tab("Chat", elem_id="chat-tab"):
                _chat_tab(assistant, demo)
            with gr.Tab("Ingest", elem_id="ingest-tab"):
                _ingest_tab(assistant)
        gr.api(ask, api_name="ask")
    return demo


def _chat_tab(assistant: Assistant, demo: gr.Blocks) -> None:
    """The chat, its examples and filters, and the sources panel beside it."""

    def respond(
        message: str,
        history: list[dict[str, Any]],
        sources: list[str] | None = None,
        published_from: str | None = None,
        published_to: str | None = None,
    ) -> Iterator[tuple[str, list[dict[str, Any]], Any]]:
        """Stream the answer into the chat token by token; the sources panel follows at the end."""
        filters = make_filters(sources, published_from, published_to)
        turn = [*history, {"role": "user", "content": message}]
        text = ""
        for item in _stream(assistant, message, history, filters):
            if isinstance(item, Answer):
                reply = {"role": "assistant", "content": chat_text(item)}
                yield "", [*turn, reply], render_sources(item)
                return
            text += item  # the article's words: escaped as the final answer will be
            yield "", [*turn, {"role": "assistant", "content": escape_answer(text)}], gr.skip()

    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Chat", height=480, elem_id="chat")
            question = gr.Textbox(
                placeholder="Ask a question about the articles…",
                show_label=False,
                elem_id="question",
                submit_btn=True,
            )
            gr.Examples(EXAMPLES, inputs=question)
            with gr.Accordion("Filters", open=False):
                source_filter = gr.Dropdown(  # choices come at page load, after the login
                    choices=[],
                    multiselect=True,
                    label="Sources (none: all)",
                    elem_id="filter-sources",
                )
                with gr.Row():
                    date_from = gr.Textbox("", label="Published from (YYYY-MM-DD)")
                    date_to = gr.Textbox("", label="Published to (YYYY-MM-DD)")
        with gr.Column(scale=2):
            gr.Markdown("### Sources")
            sources = gr.Markdown(NO_SOURCES, elem_id="sources")
    question.submit(
        respond,
        [question, chatbot, source_filter, date_from, date_to],
        [question, chatbot, sources],
        api_name="chat",
    )
    demo.load(lambda: gr.Dropdown(choices=_source_choices(assistant)), None, source_filter)


def _ingest_tab(assistant: Assistant) -> None:
    """Uploads and URLs, ingested with a progress bar and a result per source."""
    uploads = gr.File(
        label="News files (.txt, .md, .html, .jsonl, .xml feeds)",
        file_count="multiple",
        type="filepath",
        elem_id="ingest-files",
    )
    urls = gr.Textbox(
        label="URLs of articles or RSS/Atom feeds (one per line)",
        lines=3,
        elem_id="ingest-urls",
    )
    ingest_button = gr.Button("Ingest", variant="primary", elem_id="ingest-button")
    ingest_result = gr.Markdown("", elem_id="ingest-result")

    def run_ingest(
        files: list[str] | None,
        url_text: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's own idiom)
    ) -> str:
        return ingest_sources(assistant, files, url_text, progress=progress)

    ingest_button.click(run_ingest, [uploads, urls], ingest_result, api_name="ingest")


def make_filters(
    sources: list[str] | None, published_from: str | None = None, published_to: str | None = None
) -> dict[str, Any] | None:
    """The ``Assistant.ask`` filters of the chat's filter controls (``None`` when all empty)."""
    filters = {
        "sources": list(sources or []),
        "published_from": (published_from or "").strip(),
        "published_to": (published_to or "").strip(),
    }
    filters = {name: value for name, value in filters.items() if value}
    return filters or None


def _source_choices(assistant: Assistant) -> list[str]:
    try:
        return sorted({record.source for record in assistant.store.list_articles()})
    except NewsdeskError:
        return []


def ingest_sources(
    assistant: Assistant, files: list[str] | None, url_text: str, *, progress: Any = None
) -> str:
    """Ingest uploaded files and URLs one by one; Markdown table of each one's result.

    Takes the store's writer lock to write: while ``newsdesk ingest`` writes, it shows that message.
    """
    from ingest.uploads import ingest_each

    uploads = [(path.name, str(path)) for path in uploaded_paths(files)]
    urls = [url for url in (url_text or "").split() if url.strip()]
    if not uploads and not urls:
        raise gr.Error("Nothing to ingest: upload files or enter URLs, one per line.")

    def tell(done: int, total: int, name: str) -> None:
        if progress is not None:
            progress((done, total), desc=f"ingesting {name}", unit="sources")

    try:
        results = ingest_each(
            uploads, urls, assistant.store, settings=assistant.settings, on_progress=tell
        )
    except NewsdeskError as error:
        raise gr.Error(str(error)) from error
    finally:
        for _, path in uploads:  # the upload is read: it does not stay in Gradio's cache
            Path(path).unlink(missing_ok=True)
    rows = [f"| {escape_markdown(r.name)} | {escape_markdown(r.message)} |" for r in results]
    return "\n".join(["| source | result |", "|---|---|", *rows])


def uploaded_paths(files: list[str] | None) -> list[Path]:
    """The paths of files a client uploaded; any other path a client names is refused.

    A web client sends file *paths* (Gradio's FileData); only those inside Gradio's upload
    folder are its uploads. ``server.py`` also turns on Gradio's own check of them.
    """
    folder = Path(get_upload_folder()).resolve()
    paths = [Path(f).resolve() for f in files or []]
    for path in paths:
        if not path.is_relative_to(folder) or not path.is_file():
            logger.warning("refused a client's file path outside the upload folder: %s", path)
            raise gr.Error(
                "Only files uploaded through this page can be ingested here; a path on the "
                "server is not an upload. Upload the file itself."
            )
    return paths


def _stream(
    assistant: Assistant,
    question: str,
    history: list[dict[str, Any]],
    filters: dict[str, Any] | None = None,
) -> Iterator[str | Answer]:
    try:
        yield from assistant.stream(question, _plain_history(history), filters=filters)
    except NewsdeskError as error:
        raise gr.Error(str(error)) from error


def _ask(
    assistant: Assistant,
    question: str,
    history: list[dict[str, Any]],
    filters: dict[str, Any] | None = None,
) -> Answer:
    try:
        return assistant.ask(question, _plain_history(history), filters=filters)
    except NewsdeskError as error:
        raise gr.Error(str(error)) from error


def _plain_history(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Gradio messages may hold structured content; keep the text of each turn."""
    plain = []
    for message in history:
        content = message.get("content")
        if isinstance(content, list):
            content = " ".join(
                str(part.get("text", "")) for part in content if isinstance(part, dict)
            )
        plain.append({"role": str(message.get("role")), "content": str(content or "")})
    return plain
