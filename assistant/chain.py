"""The question-answering chain: check the question, condense, retrieve, answer, cite.

assistant = Assistant.from_settings()
answer = assistant.ask("Which groups reject the withdrawal?")
print(answer.answer, [c.quote for c in answer.citations])
chain = assistant.as_runnable()  # a LangChain Runnable: str or {"question", "history"} -> Answer
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from .answering.base import Answerer, stream_answer
from .answering.conversation import Condenser
from .errors import EmptyStoreError, QuestionError
from .models import Answer, Passage
from .retrieval.base import ChunkStore
from .retrieval.filters import parse_filters
from .retrieval.retriever import NewsRetriever
from .settings import Settings

logger = logging.getLogger(__name__)
NO_MATCH = "No ingested article matches the filters; widen or clear them."
HISTORY_MESSAGES = 40
"""The most recent turns of the chat kept for a follow-up (older ones are not needed)."""
ANSWER_TURN_FACTOR = 10
"""An assistant turn of the history may be this many times ``max_question_chars`` long."""

Message = Mapping[str, Any]


class Assistant:
    """Answers questions about the ingested articles with numbered citations.

    Build it with ``Assistant.from_settings()``, or pass the parts to use other ones.
    """

    def __init__(
        self,
        *,
        store: ChunkStore,
        retriever: NewsRetriever,
        answerer: Answerer,
        settings: Settings,
        condenser: Condenser | None = None,
    ) -> None:
        self.store = store
        self.retriever = retriever
        self.answerer = answerer
        self.settings = settings
        self.condenser = condenser or Condenser()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Build from ``settings`` (default: the environment), with fields overridden by name."""
        from .factory import make_answerer, make_chat_model, make_retriever, open_store

        settings = (settings or Settings()).model_copy(update=overrides)
        store = open_store(settings)
        model = make_chat_model(settings)
        return cls(
            store=store,
            retriever=make_retriever(settings, store),
            answerer=make_answerer(model, store.embeddings, settings),
            settings=settings,
            condenser=Condenser(model, timeout=settings.llm_timeout),
        )

    def ask(
        self,
        question: str,
        history: Sequence[Message] | None = None,
        *,
        k: int | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` is the chat so far as ``{"role", "content"}`` dicts.

        ``filters`` narrows the articles: ``{"sources": [...], "published_from": "2024-01-01",
        "published_to": "2024-12-31"}`` (every key optional; dates are ISO 8601, inclusive).
        """
        prepared = self._prepare(question, history, k=k, filters=filters)
        if isinstance(prepared, Answer):
            return prepared
        return self.answerer.answer(*prepared)

    def stream(
        self,
        question: str,
        history: Sequence[Message] | None = None,
        *,
        k: int | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Like ``ask``, but yield the answer's text piece by piece, then the ``Answer``.

        for item in assistant.stream("Who welcomed the withdrawal?"):
            print(item if isinstance(item, str) else "", end="")
        """
        prepared = self._prepare(question, history, k=k, filters=filters)
        if isinstance(prepared, Answer):
            yield from stream_answer(prepared)
        else:
            yield from self.answerer.stream(*prepared)

    def _prepare(
        self,
        question: str,
        history: Sequence[Message] | None,
        *,
        k: int | None,
        filters: Mapping[str, Any] | None,
    ) -> tuple[str, list[Passage]] | Answer:
        """The condensed question and its passages, or the answer when nothing matches."""
        question = self.check_question(question)
        query = self.condenser.condense(question, self.check_history(history))
        narrowed = parse_filters(filters)
        passages = self.retriever.retrieve(query, k=k, filters=narrowed)
        if not passages and narrowed is not None:
            return Answer(answer=NO_MATCH, refused=True, citations=[], retrieved=[])
        if not passages:
            raise EmptyStoreError(
                f"Collection '{self.settings.collection}' is empty. "
                "Run: newsdesk ingest data/articles"
            )
        return query, passages

    def warm_up(self) -> None:
        """Load the models and indexes the first question would otherwise wait for (a server
        calls it before it accepts requests)."""
        self.retriever.warm_up()

    def check_question(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("The question is empty. Type a question about the articles.")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(
                f"The question is {len(question):,} characters long; the limit is {limit:,}. "
                "Ask a shorter question (or raise NEWSDESK_MAX_QUESTION_CHARS)."
            )
        _check_text(question, "The question")
        if not any(ch.isalnum() for ch in question):
            raise QuestionError(
                "The question has no words, only punctuation or symbols. Type a question."
            )
        return question

    def check_history(self, history: Sequence[Message] | None) -> list[Message]:
        """The last ``HISTORY_MESSAGES`` turns; ``QuestionError`` for a turn over its limit
        (a user turn is a question; an answer may be ``ANSWER_TURN_FACTOR`` times longer)."""
        turns = list(history or [])[-HISTORY_MESSAGES:]
        for number, turn in enumerate(turns, start=1):
            content = str(turn.get("content") or "")
            limit = self.settings.max_question_chars
            if turn.get("role") != "user":
                limit *= ANSWER_TURN_FACTOR
            if len(content) > limit:
                raise QuestionError(
                    f"Turn {number} of the history ({turn.get('role')}) is {len(content):,} "
                    f"characters long; the limit is {limit:,}. Send the chat as it was shown."
                )
            _check_text(content, f"Turn {number} of the history")
        return turns

    def as_runnable(self) -> Runnable[Any, Answer]:
        """This assistant as a LangChain Runnable taking a question or a mapping."""
        return RunnableLambda(self._invoke, name="newsdesk")

    def _invoke(self, value: str | Mapping[str, Any]) -> Answer:
        if isinstance(value, str):
            return self.ask(value)
        return self.ask(
            value["question"], value.get("history"), k=value.get("k"), filters=value.get("filters")
        )


def _check_text(text: str, what: str) -> None:
    """``QuestionError`` for text that is not valid Unicode (a lone surrogate such as \\ud800)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QuestionError(
            f"{what} is not valid text: it holds {text[error.start]!r}, half of a UTF-16 pair. "
            "Send it as UTF-8."
        ) from error
