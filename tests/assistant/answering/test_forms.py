"""Word keys from PyStemmer and lemminflect; opposite statements (no gold-set sentences)."""

from __future__ import annotations

import pytest

from assistant.answering.forms import base_form, inflect_like, key, same_word
from assistant.answering.polarity import agreement, opposite, sides


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("leaving", "left"),  # irregular forms meet before stemming
        ("wins", "won"),
        ("held", "holding"),
        ("died", "dies"),
        ("withdrew", "withdrawn"),
        ("troops", "troop"),
        ("welcomed", "welcoming"),
    ],
)
def test_forms_of_one_word_share_a_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("police", "policy"),
        ("austria", "australia"),
        ("niger", "nigeria"),
        ("state", "statement"),
        ("die", "diet"),
        ("held", "help"),
    ],
)
def test_words_that_only_share_a_beginning_are_different_words(a: str, b: str) -> None:
    assert not same_word(key(a), key(b))


@pytest.mark.parametrize(
    ("place", "adjective"),
    [("haiti", "haitian"), ("iraq", "iraqi"), ("australia", "australians"), ("iran", "iranian")],
)
def test_a_place_and_its_people_are_one_word(place: str, adjective: str) -> None:
    assert same_word(key(place), key(adjective))
    assert same_word(key(adjective), key(place))


def test_base_form_and_inflection() -> None:
    assert base_form("fought") == "fight"
    assert base_form("Kowalski") == "kowalski"  # unknown words stay as they are
    assert inflect_like("reject", "welcomed") == "rejected"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The union welcomed the offer.", {("approval", 1)}),
        ("The union rejected the offer.", {("approval", -1)}),
        ("The union did not accept the offer.", {("approval", -1)}),  # negation turns it over
        ("The union doesn't support the offer.", {("approval", -1)}),
        ("The union does not believe the offer is real.", {("approval", -1)}),
        ("Smith defeated Jones in the final.", {("outcome", 1)}),
        ("Prices rose sharply in May.", {("change", 1)}),
        ("Prices fell sharply in May.", {("change", -1)}),
        ("The Tigers won the final.", {("outcome", 1)}),
        ("The minister denied the report.", {("truth", -1)}),
        ("The jury acquitted him.", {("verdict", -1)}),
        ("The meeting was held in Perth.", set()),
    ],
)
def test_sides_a_sentence_takes(text: str, expected: set[tuple[str, int]]) -> None:
    assert sides(text) == expected


def test_a_sentence_stating_the_opposite_conflicts_with_the_question() -> None:
    question = sides("who rejected the pay offer")
    assert agreement(question, sides("The nurses welcomed the pay offer.")) == (0, 1)
    assert agreement(question, sides("The drivers rejected the pay offer.")) == (1, 0)
    assert agreement(question, sides("The offer was tabled on Monday.")) == (0, 0)
    both = sides("who welcomed it (who rejected the pay offer)")  # a follow-up with its context
    assert agreement(both, sides("The nurses welcomed the pay offer.")) == (1, 0)


def test_opposite_word() -> None:
    assert opposite("welcomed") == "reject"
    assert opposite("fell") == "rise"
    assert opposite("table") is None
