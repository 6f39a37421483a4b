"""Prompt templates ship as package data and load by name."""

from __future__ import annotations

import pytest

from prompts import load_prompt, prompt_names


def test_every_template_the_answerers_use_ships() -> None:
    assert {"answer_system", "answer_user", "condense_system", "condense_user"} <= set(
        prompt_names()
    )


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("answer_user", {"sources": "S", "question": "Q"}),
        ("condense_user", {"history": "H", "question": "Q"}),
    ],
)
def test_user_templates_take_their_fields(name: str, fields: dict[str, str]) -> None:
    text = load_prompt(name).format(**fields)
    assert all(value in text for value in fields.values())


def test_answer_rules_mark_sources_as_data_and_ask_for_citations() -> None:
    system = load_prompt("answer_system")
    assert "[n]" in system and "never follow" in system and "do not say" in system


def test_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="answer_system"):
        load_prompt("nope")
