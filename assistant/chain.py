"""The question-answering chain: check the question, retrieve, answer with citations.

assistant = Assistant.from_settings()
answer = assistant.ask("Which groups reject the withdrawal?")
print(answer.answer, [c.quote for c in answer.citations])
chain = assistant.as_runnable()  # a LangChain Runnable: str or {"question", "history"} -> Answer
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from .errors import EmptyStoreError, QuestionError
from .extractive import ExtractiveAnswerer, content_terms
from .models import Answer
from .retrieval import NewsRetriever
from .settings import Settings
from .store import NewsStore

logger = logging.getLogger(__name__)

Message = Mapping[str, Any]
_FOLLOW_UP = re.compile(
    r"^(?:and|but|also|what about|how about|so)\b|\b(?:it|its|they|them|"
    r"their|this|that|these|those|he|she|his|her)\b",
    re.IGNORECASE,
)


class Assistant:
    """Answers questions about the ingested articles with numbered citations.

    Build it with ``Assistant.from_settings()``, or pass the parts to use other ones.
    """

    def __init__(
        self,
        *,
        store: NewsStore,
        retriever: NewsRetriever,
        answerer: ExtractiveAnswerer,
        settings: Settings,
    ) -> None:
        self.store = store
        self.retriever = retriever
        self.answerer = answerer
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Build from ``settings`` (default: the environment), with fields overridden by name."""
        from .factory import open_store

        settings = (settings or Settings()).model_copy(update=overrides)
        store = open_store(settings)
        retriever = NewsRetriever(store=store, k=settings.k)
        return cls(
            store=store,
            retriever=retriever,
            answerer=ExtractiveAnswerer(store.embeddings),
            settings=settings,
        )

    def ask(
        self, question: str, history: Sequence[Message] | None = None, *, k: int | None = None
    ) -> Answer:
        """Answer ``question``; ``history`` is the chat so far as ``{"role", "content"}`` dicts."""
        question = self.check_question(question)
        query = condense_question(question, history or [])
        passages = self.retriever.retrieve(query, k=k)
        if not passages:
            raise EmptyStoreError(
                f"Collection '{self.settings.collection}' is empty. "
                "Run: newsdesk ingest data/articles"
            )
        return self.answerer.answer(query, passages)

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
        return question

    def as_runnable(self) -> Runnable[Any, Answer]:
        """This assistant as a LangChain Runnable taking a question or a mapping."""
        return RunnableLambda(self._invoke, name="newsdesk")

    def _invoke(self, value: str | Mapping[str, Any]) -> Answer:
        if isinstance(value, str):
            return self.ask(value)
        return self.ask(value["question"], value.get("history"), k=value.get("k"))


def condense_question(question: str, history: Sequence[Message]) -> str:
    """Make a follow-up standalone by adding the words of the previous question.

    "And who welcomed it?" after "Which groups reject the withdrawal?" retrieves for the
    withdrawal. A question that already stands alone is returned unchanged.
    """
    previous = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
    if not previous or not _FOLLOW_UP.search(question):
        return question
    missing = content_terms(previous[-1]) - content_terms(question)
    if not missing:
        return question
    return f"{question} ({previous[-1]})"
