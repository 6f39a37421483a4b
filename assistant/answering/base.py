"""The seam between the chain and whoever writes answers.

``ExtractiveAnswerer`` (quotes, no model) and ``GenerativeAnswerer`` (a chat model behind the
citation check) implement it; a new backend is one new module::

    answerer: Answerer = ExtractiveAnswerer(embeddings)
    for item in answerer.stream("Who welcomed the withdrawal?", passages):
        ...  # text pieces (str), then the finished Answer
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from ..models import Answer, Passage

_WORDS = re.compile(r"\S+\s*")


@runtime_checkable
class Answerer(Protocol):
    """Answers a question from retrieved passages; every claim cites one of them."""

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        """The finished answer."""
        ...

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """The answer's text piece by piece, then the finished ``Answer``."""
        ...


def stream_answer(answer: Answer) -> Iterator[str | Answer]:
    """A finished answer as a stream: its words, then the answer itself."""
    yield from _WORDS.findall(answer.answer)
    yield answer
