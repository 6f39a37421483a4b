"""The kinds of answer a sentence holds (sentences not from the gold sets)."""

from __future__ import annotations

import pytest

from assistant.answering.questions import analyse
from assistant.answering.terms import (
    answer_spans,
    date_spans,
    kinds_in,
    name_spans,
    names_in,
    numbers_in,
    quantity_spans,
    states_unit,
)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("The ferry carried 1,200 passengers.", {"number"}),
        ("Dozens of volunteers arrived.", {"number"}),
        ("It reopened in 2019.", {"date"}),  # a bare year is a date, not a count
        ("The vote is on Tuesday.", {"date"}),
        ("The vote was held last week.", {"date"}),
        ("It closed because of a storm.", {"reason"}),
        ("The plan was drawn up by Marta Kowalski.", {"name", "place"}),
        ("The ferry sank.", set()),
    ],
)
def test_kinds_in(text: str, kinds: set[str]) -> None:
    assert kinds_in(text) == kinds


def test_names_and_numbers_the_question_mentions_are_no_answer() -> None:
    question = analyse("Who is Marta Kowalski and what happened to the 40 staff?")
    assert "name" not in kinds_in("Marta Kowalski spoke.", question)
    assert "name" in kinds_in("Marta Kowalski met Tom Reyes.", question)
    assert "number" not in kinds_in("The 40 staff went home.", question)


def test_a_form_of_a_name_the_question_mentions_is_no_new_name() -> None:
    question = analyse("Whose home did the rebels storm in Haiti?")
    assert "name" not in kinds_in("Rebels stormed a house in the Haitian capital.", question)
    assert "name" in kinds_in("They stormed the home of Senator Duval.", question)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Iran-backed groups met in Basra.", {"Basra"}),  # an adjective from a name is none
        ("The Government said so.", set()),  # a lone institution word is none
        ("Hundreds marched past City Hall.", {"City Hall"}),  # a common opener is none
        ("Residents thanked Omar al-Rashid.", {"Omar al-Rashid"}),
    ],
)
def test_names_in(text: str, names: set[str]) -> None:
    assert names_in(text) == names


def test_spans_point_at_the_text() -> None:
    text = "On Friday 300 workers left Dunmore Mill."
    assert [text[a:b] for a, b in quantity_spans(text)] == ["300"]
    assert [text[a:b] for a, b in date_spans(text)] == ["Friday"]
    assert [text[a:b] for a, b in name_spans(text)] == ["Dunmore Mill"]
    assert numbers_in("1,500 or three") == {"1500", "3"}
    assert numbers_in("a twenty-minute trip") == numbers_in("a 20 minute trip") == {"20"}


def test_answer_spans_by_kind() -> None:
    text = "Mayor Ana Ruiz said 12 homes flooded in March."
    question = analyse("Who said homes flooded?")
    assert [text[a:b] for a, b in answer_spans(text, "name", question)] == ["Ana Ruiz"]
    assert [text[a:b] for a, b in answer_spans(text, "number")] == ["12"]
    assert [text[a:b] for a, b in answer_spans(text, "date")] == ["March"]
    assert answer_spans(text, "reason") == []


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("how much will the new footbridge cost", "money"),
        ("What was the skipper's salary?", "money"),
        ("how many job losses are expected at the cannery", None),  # counts jobs, not dollars
        ("how old was the cyclist", "age"),
        ("what percentage of members backed the merger", "percent"),
        ("how long will the dock strike last", "duration"),
        ("in what year did the tannery close", "year"),
        ("when did the tannery close", None),  # any date answers "when"
        ("how far did the trawler drift", "distance"),
        ("how many trawlers were in the harbour", None),
        ("who paid for the footbridge", None),  # not a number question
    ],
)
def test_the_unit_a_number_question_asks_for(question: str, unit: str | None) -> None:
    assert analyse(question).unit == unit


@pytest.mark.parametrize(
    ("text", "unit", "states"),
    [
        ("The footbridge will cost $4.5 million.", "money", True),
        ("Repairs will cost the council 900,000 dollars.", "money", True),
        ("The footbridge will take 48 hours to assemble.", "money", False),
        ("The cyclist, Tom Reed, 19, was taken to hospital.", "age", True),
        ("A 64-year-old woman was rescued from the water.", "age", True),
        ("Five cyclists were taken to hospital.", "age", False),
        ("Support for the merger rose to 61 per cent.", "percent", True),
        ("Sixty-one members backed the merger.", "percent", False),
        ("The dock strike is expected to last three weeks.", "duration", True),
        ("The dock strike began on Monday.", "duration", False),
        ("The tannery closed in 1987.", "year", True),
        ("The tannery closed in March.", "year", False),
        ("The trawler drifted 40 kilometres before it was found.", "distance", True),
        ("The trawler drifted for hours before it was found.", "distance", False),
    ],
)
def test_a_sentence_states_an_amount_in_the_unit_asked(text: str, unit: str, states: bool) -> None:
    assert states_unit(text, unit) is states
