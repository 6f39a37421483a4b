"""Follow-up questions: the deterministic rewrite and the model condenser (with
GenericFakeChatModel, a fake, for exact replies)."""

from __future__ import annotations

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_openai import ChatOpenAI

from assistant.answering.conversation import (
    Condenser,
    clean_rewrite,
    condense_question,
    condensed_parts,
)

HISTORY = [
    {"role": "user", "content": "Which groups reject the withdrawal?"},
    {"role": "assistant", "content": "Kataib Hezbollah [1]"},
]


def fake_model(*replies: str) -> GenericFakeChatModel:
    """A fake chat model (GenericFakeChatModel) replying ``replies`` in turn."""
    return GenericFakeChatModel(messages=iter(replies))


def test_deterministic_rewrite_adds_the_previous_question() -> None:
    assert "withdrawal" in condense_question("And who welcomed it?", HISTORY)
    assert condense_question("Who is Qaani?", HISTORY) == "Who is Qaani?"
    assert condense_question("And who welcomed it?", []) == "And who welcomed it?"


def test_model_rewrite_is_used_when_it_builds_on_the_conversation() -> None:
    condenser = Condenser(fake_model("Standalone question: Who welcomed the withdrawal?"))
    assert condenser.condense("And who welcomed it?", HISTORY) == "Who welcomed the withdrawal?"


@pytest.mark.parametrize(
    "reply", ["", "lol", "banana " * 300, "Who is the pope?", "Who rejects the withdrawal?"]
)
def test_implausible_model_rewrite_falls_back_to_the_deterministic_one(reply: str) -> None:
    condenser = Condenser(fake_model(reply))
    assert condenser.condense("And who welcomed it?", HISTORY) == condense_question(
        "And who welcomed it?", HISTORY
    )


def test_standalone_question_never_calls_the_model() -> None:
    condenser = Condenser(fake_model())  # no reply: calling it would raise
    assert condenser.condense("Who is Qaani?", HISTORY) == "Who is Qaani?"


def test_down_model_falls_back_to_the_deterministic_rewrite() -> None:
    model = ChatOpenAI(base_url="http://127.0.0.1:9/v1", api_key="x", model="m", max_retries=0)
    rewritten = Condenser(model, timeout=5).condense("And who welcomed it?", HISTORY)
    assert "withdrawal" in rewritten


@pytest.mark.parametrize(
    ("reply", "clean"),
    [
        ('"Who welcomed the withdrawal?"', "Who welcomed the withdrawal?"),
        ("\n\nQuestion: Who met?\nExtra line", "Who met?"),
    ],
)
def test_clean_rewrite_keeps_the_first_line_without_label(reply: str, clean: str) -> None:
    assert clean_rewrite(reply) == clean


def test_a_condensed_follow_up_parts_back_into_the_follow_up_and_the_previous_question() -> None:
    history = [{"role": "user", "content": "Which groups reject the withdrawal?"}]
    condensed = condense_question("And who welcomed it?", history)
    assert condensed != "And who welcomed it?"  # retrieval gets the earlier topic
    assert condensed_parts(condensed) == (
        "And who welcomed it?",
        "Which groups reject the withdrawal?",
    )
    # a question's own brackets are not a previous question when it is not a follow-up
    assert condensed_parts("What did Biden promise (on Monday)?") is None
    assert condensed_parts("Who won (the final)") is None
