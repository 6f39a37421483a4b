"""The newsdesk web chat (Gradio): answers with ``[n]`` markers and a sources panel.

python app.py            # or: newsdesk serve
"""

from __future__ import annotations

import html
import logging
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, NewsdeskError, Settings

logger = logging.getLogger(__name__)

EXAMPLES = ["Which groups reject the withdrawal?", "Who welcomed the withdrawal?"]
NO_SOURCES = "*Sources of the answer appear here.*"


def render_sources(answer: Answer) -> str:
    """Markdown for the sources panel: every cited passage with its article title and quote."""
    if answer.refused or not answer.citations:
        return "*No passage of the ingested articles answers this question.*"
    blocks = []
    for citation in answer.citations:
        title = html.escape(citation.title or citation.article_id)
        heading = f"[{title}]({citation.url})" if citation.url else title
        blocks.append(f"**[{citation.n}]** {heading}\n\n> {html.escape(citation.quote)}")
    return "\n\n".join(blocks)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page bound to ``assistant``; also exposes ``/ask`` for ``gradio_client``."""

    def respond(
        message: str, history: list[dict[str, Any]]
    ) -> tuple[str, list[dict[str, Any]], str]:
        answer = _ask(assistant, message, history)
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": answer.answer},
        ]
        return "", history, render_sources(answer)

    def ask(question: str) -> tuple[str, str]:
        answer = _ask(assistant, question, [])
        return answer.answer, render_sources(answer)

    with gr.Blocks(title="newsdesk") as demo:
        gr.Markdown(
            "## newsdesk\nAsk about the ingested news articles; every answer cites its passages."
        )
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
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.Markdown(NO_SOURCES, elem_id="sources")
        question.submit(respond, [question, chatbot], [question, chatbot, sources], api_name="chat")
        gr.api(ask, api_name="ask")
    return demo


def _ask(assistant: Assistant, question: str, history: list[dict[str, Any]]) -> Answer:
    try:
        return assistant.ask(question, _plain_history(history))
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


def serve(settings: Settings | None = None) -> None:
    """Build the assistant and serve the chat until interrupted."""
    settings = settings or Settings()
    demo = build_app(Assistant.from_settings(settings))
    demo.queue().launch(server_name=settings.host, server_port=settings.port, show_error=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    serve()
