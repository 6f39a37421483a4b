"""Follow-up questions made standalone before retrieval.

"And who welcomed it?" after "Which groups reject the withdrawal?" must retrieve for the
withdrawal. The extractive path rewrites deterministically; an LLM backend condenses with the
``condense`` prompts and falls back to the deterministic rewrite when the model fails::

    condense_question("And who welcomed it?", history)  # deterministic
    Condenser(model, timeout=10).condense("And who welcomed it?", history)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from prompts import load_prompt

from ..text.words import content_terms
from .llm import stream_text

logger = logging.getLogger(__name__)

Message = Mapping[str, Any]
_FOLLOW_UP = re.compile(
    r"^(?:and|but|also|what about|how about|so)\b|\b(?:it|its|they|them|"
    r"their|this|that|these|those|he|she|his|her)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:standalone question|question|rewritten question)\s*:\s*", re.I)
_HISTORY_TURNS = 6


def condense_question(question: str, history: Sequence[Message]) -> str:
    """Make a follow-up standalone by adding the words of the previous question.

    "And who welcomed it?" after "Which groups reject the withdrawal?" retrieves for the
    withdrawal. A question that already stands alone is returned unchanged.
    """
    previous = user_turns(history)
    if not previous or not _FOLLOW_UP.search(question):
        return question
    missing = content_terms(previous[-1]) - content_terms(question)
    if not missing:
        return question
    return f"{question} ({previous[-1]})"


_CONDENSED = re.compile(r"^(?P<own>.*\S)\s\((?P<previous>[^()]+)\)$", re.DOTALL)


def condensed_parts(question: str) -> tuple[str, str] | None:
    """``(follow-up, previous question)`` of a question ``condense_question`` condensed, else
    ``None`` (a question's own brackets are not a previous question)::

        condensed_parts("And who welcomed it? (Which groups reject the withdrawal?)")
        # ("And who welcomed it?", "Which groups reject the withdrawal?")

    The reader reads the condensed question whole: on 120 follow-ups (data/gold/dev/
    followups.jsonl, ``bench/followups.py``) it answered better than reading the follow-up's
    own words, or those joined to or resolved by the previous question.
    """
    match = _CONDENSED.match(question)
    if match and _FOLLOW_UP.search(match["own"]):
        return match["own"], match["previous"]
    return None


def user_turns(history: Sequence[Message]) -> list[str]:
    return [str(m["content"]) for m in history if m.get("role") == "user" and m.get("content")]


class Condenser:
    """Rewrites follow-up questions, with a chat model when one is given.

    ``Condenser()`` is the deterministic rewrite; ``Condenser(model, timeout=10)`` asks the
    model and keeps its rewrite only when it looks like a question built from the conversation.
    """

    def __init__(self, model: BaseChatModel | None = None, *, timeout: float = 30.0) -> None:
        self.model = model
        self.timeout = timeout

    def condense(self, question: str, history: Sequence[Message]) -> str:
        fallback = condense_question(question, history)
        if self.model is None or fallback == question:
            return fallback
        try:
            rewrite = "".join(
                stream_text(self.model, self.messages(question, history), timeout=self.timeout)
            )
        except Exception as error:  # any backend failure: the deterministic rewrite still works
            logger.warning("condensing with the chat model failed (%s); using the rewrite", error)
            return fallback
        rewrite = clean_rewrite(rewrite)
        if not plausible_rewrite(rewrite, question, history):
            logger.info("discarding the model's rewrite %r of %r", rewrite, question)
            return fallback
        return rewrite

    def messages(self, question: str, history: Sequence[Message]) -> list[Any]:
        turns = [m for m in history if m.get("content")][-_HISTORY_TURNS:]
        lines = "\n".join(f"{m.get('role', 'user')}: {m['content']}" for m in turns)
        return [
            SystemMessage(load_prompt("condense_system")),
            HumanMessage(load_prompt("condense_user").format(history=lines, question=question)),
        ]


def clean_rewrite(text: str) -> str:
    """First non-empty line of a model's reply, without a label or surrounding quotes."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    return _LABEL.sub("", line).strip().strip("\"“”'").strip()


def plausible_rewrite(rewrite: str, question: str, history: Sequence[Message]) -> bool:
    """A rewrite is kept when it is short, keeps most words of the follow-up and borrows some
    from the previous question."""
    previous = user_turns(history)
    if not rewrite or len(rewrite) > 2 * len(question) + 200 or not previous:
        return False
    words = content_terms(rewrite)
    asked = content_terms(question)
    keeps_question = len(words & asked) * 2 >= len(asked)
    return keeps_question and bool(words & content_terms(previous[-1]))
