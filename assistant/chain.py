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

from .conversation import Condenser, condense_question  # noqa: F401 (moved; re-exported)
from .errors import EmptyStoreError, QuestionError
from .extractive import ExtractiveAnswerer
from .generative import GenerativeAnswerer, make_answerer, stream_answer
from .models import Answer, Passage
from .retrieval import NewsRetriever
from .settings import Settings
from .store import NewsStore, iso_timestamp

logger = logging.getLogger(__name__)
NO_MATCH = "No ingested article matches the filters; widen or clear them."

Message = Mapping[str, Any]


class Assistant:
    """Answers questions about the ingested articles with numbered citations.

    Build it with ``Assistant.from_settings()``, or pass the parts to use other ones.
    """

    def __init__(
        self,
        *,
        store: NewsStore,
        retriever: NewsRetriever,
        answerer: ExtractiveAnswerer | GenerativeAnswerer,
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
        from .factory import make_chat_model, make_retriever, open_store

        settings = (settings or Settings()).model_copy(update=overrides)
        store = open_store(settings)
        retriever = make_retriever(settings, store)
        model = make_chat_model(settings)
        answerer = make_answerer(
            model,
            store.embeddings,
            timeout=settings.llm_timeout,
            min_support=settings.citation_min_support,
        )
        return cls(
            store=store,
            retriever=retriever,
            answerer=answerer,
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
        elif isinstance(self.answerer, GenerativeAnswerer):
            yield from self.answerer.stream(*prepared)
        else:
            yield from stream_answer(self.answerer.answer(*prepared))

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
        query = self.condenser.condense(question, history or [])
        where = where_from_filters(filters)
        passages = self.retriever.retrieve(query, k=k, where=where)
        if not passages and where is not None:
            return Answer(answer=NO_MATCH, refused=True, citations=[], retrieved=[])
        if not passages:
            raise EmptyStoreError(
                f"Collection '{self.settings.collection}' is empty. "
                "Run: newsdesk ingest data/articles"
            )
        return query, passages

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
        return self.ask(
            value["question"], value.get("history"), k=value.get("k"), filters=value.get("filters")
        )


def where_from_filters(filters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The Chroma ``where`` clause of ``filters`` (see ``Assistant.ask``); ``None`` when empty."""
    filters = dict(filters or {})
    unknown = sorted(set(filters) - {"sources", "published_from", "published_to"})
    if unknown:
        raise QuestionError(
            f"Unknown filter {unknown}; the filters are sources, published_from and published_to."
        )
    clauses: list[dict[str, Any]] = []
    sources = filters.get("sources")
    if isinstance(sources, str):
        sources = [sources]
    if sources:
        clauses.append({"source": {"$in": [str(s) for s in sources]}})
    if filters.get("published_from"):
        start = _filter_timestamp("published_from", filters["published_from"], end_of_day=False)
        clauses.append({"published_ts": {"$gte": start}})
    if filters.get("published_to"):
        end = _filter_timestamp("published_to", filters["published_to"], end_of_day=True)
        clauses.append({"published_ts": {"$lte": end}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _filter_timestamp(name: str, value: Any, *, end_of_day: bool) -> int:
    """Epoch seconds of an ISO date or time; a bare date ``published_to`` covers that whole day."""
    text = str(value).strip()
    try:
        timestamp = iso_timestamp(text)
    except ValueError as error:
        raise QuestionError(
            f"Filter {name} must be an ISO 8601 date such as 2024-05-31; got '{text}'."
        ) from error
    return timestamp + 86_399 if end_of_day and len(text) == 10 else timestamp
