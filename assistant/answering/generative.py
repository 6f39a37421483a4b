"""The LLM answerer: a chat model writes the answer, the citation check decides what is shown.

Sentences stream out as soon as each one has passed the check, so an invented sentence never
reaches the user. Citations are renumbered ``[1]``, ``[2]``... in order of first use and point
at the passage sentence that supports the claim. When the model is down, slower than its
timeout, or leaves nothing supported, the extractive answer is given with a ``notice``::

    answerer = GenerativeAnswerer(model, checker=CitationChecker(emb), fallback=Extractive(emb))
    answer = answerer.answer("Who welcomed the withdrawal?", passages)
    for item in answerer.stream("Who welcomed the withdrawal?", passages):
        ...  # text pieces (str), then the finished Answer
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from prompts import load_prompt

from ..models import Answer, Citation, Passage
from ..text.sentences import sentence_spans
from .base import stream_answer
from .citations import MARKER, CheckedSentence, CitationChecker
from .extractive import ExtractiveAnswerer
from .llm import BackendTimeoutError
from .llm import stream_text as stream_model_text

logger = logging.getLogger(__name__)

_FENCE = re.compile(r"</?\s*sources?\b[^>]*>", re.IGNORECASE)
_WORDS = re.compile(r"\S+\s*")
_MAX_SENTENCES = 6
_LETTERS = re.compile(r"[^\W\d_]{2}")


class GenerativeAnswerer:
    """Answers with a chat model, keeping only sentences that pass the citation check.

    ``timeout`` bounds every wait for the model (seconds); ``fallback`` answers instead when
    the model fails or leaves no supported sentence.
    """

    def __init__(
        self,
        model: BaseChatModel,
        *,
        checker: CitationChecker,
        fallback: ExtractiveAnswerer,
        timeout: float = 30.0,
    ) -> None:
        self.model = model
        self.checker = checker
        self.fallback = fallback
        self.timeout = timeout

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        """The finished answer (the last item of ``stream``)."""
        for item in self.stream(question, passages):
            if isinstance(item, Answer):
                return item
        raise AssertionError("stream ended without an Answer")  # pragma: no cover

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Yield the checked answer's text piece by piece, then the finished ``Answer``."""
        draft = _Draft(passages)
        try:
            buffer = ""
            for piece in stream_model_text(
                self.model, build_messages(question, passages), timeout=self.timeout
            ):
                buffer += piece
                sentences = _split(buffer)
                keep = 1 if sentences and _has_words(sentences[-1][1]) else 2
                for _, sentence in sentences[:-keep]:
                    yield from draft.add(self.checker.check_sentence(sentence, passages))
                if len(sentences) > keep:
                    buffer = buffer[sentences[-keep][0] :]
                if draft.generated >= _MAX_SENTENCES:
                    break
            for sentence in split_sentences(buffer):
                yield from draft.add(self.checker.check_sentence(sentence, passages))
        except BackendTimeoutError as error:
            draft.notice = f"The language model timed out: {error}"
        except Exception as error:  # a backend can fail in many ways; the fallback always works
            logger.warning("chat model failed: %s", error, exc_info=logger.isEnabledFor(10))
            draft.notice = f"The language model failed ({type(error).__name__}: {error})."
        if draft.parts:
            yield draft.finish()
            return
        yield from self._fall_back(question, passages, draft)

    def _fall_back(
        self, question: str, passages: list[Passage], draft: _Draft
    ) -> Iterator[str | Answer]:
        count = f"{draft.generated} sentence" + ("" if draft.generated == 1 else "s")
        reason = draft.notice or (
            f"The language model wrote {count}, none cited a retrieved passage that supports it."
            if draft.generated
            else "The language model wrote nothing."
        )
        notice = f"{reason} Showing the extractive answer instead."
        logger.info(notice)
        answer = self.fallback.answer(question, passages)
        yield from stream_answer(
            answer.model_copy(update={"notice": notice, "supported_share": draft.share})
        )


@dataclass
class _Draft:
    """The answer being assembled from checked sentences."""

    passages: list[Passage]
    parts: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    numbers: dict[tuple[int, int, int], int] = field(default_factory=dict)
    generated: int = 0
    notice: str | None = None

    @property
    def share(self) -> float | None:
        return len(self.parts) / self.generated if self.generated else None

    def add(self, checked: CheckedSentence) -> Iterator[str]:
        self.generated += 1
        if not checked.supported:
            logger.info("dropping unsupported sentence (%.2f): %r", checked.score, checked.text)
            return
        markers = "".join(f"[{self._number(support)}]" for support in checked.supports)
        text = f"{checked.claim} {markers}"
        yield from _WORDS.findall(("" if not self.parts else " ") + text)
        self.parts.append(text)

    def _number(self, support: tuple[int, int, int]) -> int:
        if support not in self.numbers:
            n, start, end = support
            passage = self.passages[n - 1]
            self.numbers[support] = len(self.numbers) + 1
            self.citations.append(
                Citation(
                    n=self.numbers[support],
                    chunk_id=passage.chunk_id,
                    article_id=passage.article_id,
                    title=passage.title,
                    url=passage.url,
                    quote=passage.text[start:end],
                    start=passage.start + start,
                    end=passage.start + end,
                )
            )
        return self.numbers[support]

    def finish(self) -> Answer:
        return Answer(
            answer=" ".join(self.parts),
            refused=False,
            citations=self.citations,
            retrieved=self.passages,
            notice=self.notice,
            supported_share=self.share,
        )


def build_messages(question: str, passages: list[Passage]) -> list[BaseMessage]:
    """System rules, then the question and the numbered sources fenced as data."""
    sources = "\n".join(
        f'<source n="{n}" title="{_clean(p.title)}">\n{_clean(p.text)}\n</source>'
        for n, p in enumerate(passages, start=1)
    )
    user = load_prompt("answer_user").format(sources=sources, question=question)
    return [SystemMessage(load_prompt("answer_system")), HumanMessage(user)]


def _clean(text: str) -> str:
    """Source text with anything that could close or open a source fence defused."""
    return _FENCE.sub("", text).replace('"', "'") if "<" in text or '"' in text else text


def _has_words(sentence: str) -> bool:
    """False for a trailing piece that may still be a marker being written ("[", " [1")."""
    return bool(_LETTERS.search(MARKER.sub("", sentence)))


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text; a marker written after the full stop stays with it."""
    return [sentence for _, sentence in _split(text)]


def _split(text: str) -> list[tuple[int, str]]:
    sentences: list[tuple[int, str]] = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        if sentences and not MARKER.sub("", piece).strip():
            sentences[-1] = (sentences[-1][0], f"{sentences[-1][1]} {piece}")
        else:
            sentences.append((start, piece))
    return sentences
