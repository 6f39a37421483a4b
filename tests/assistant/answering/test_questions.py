"""What a question asks: kind, anchors, plural, focus, split (sentences not from the gold sets)."""

from __future__ import annotations

import pytest

from assistant.answering.forms import key
from assistant.answering.questions import analyse, is_plural, question_kind, split_question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many troops are in Iraq?", "number"),
        ("what is the national road toll", "number"),
        ("by how much did rents rise", "number"),
        ("When will the bridge open?", "date"),
        ("on which day did the council vote", "date"),
        ("what year was the dam finished", "date"),
        ("Where did the general travel?", "place"),
        ("in which new suburb will they build", "place"),
        ("which river flooded", "place"),
        ("why did the residents object", "reason"),
        ("what caused the blackout", "reason"),
        ("Who welcomed the deal?", "name"),
        ("which party voted against it", "name"),
        ("what company built the ferry", "name"),
        ("did the council approve the plan", "yesno"),
        ("is the museum open on sundays", "yesno"),
        ("What did the mayor say?", None),
    ],
)
def test_question_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "plural"),
    [
        ("Which groups oppose the plan?", True),
        ("which companies bid for the contract", True),
        ("What was the final score?", False),  # "was" is no plural noun
        ("Which bus crashed on the highway?", False),  # nor is "bus"
        ("Which news agency broke the story?", False),
    ],
)
def test_plural_questions_ask_for_several(question: str, plural: bool) -> None:
    assert analyse(question).plural is plural


def test_is_plural_uses_the_noun_lemma() -> None:
    assert is_plural("unions") and not is_plural("campus") and not is_plural("series")


def test_names_and_numbers_are_anchors_by_their_rarest_word() -> None:
    question = analyse("When did Mayor Helen Kowalski open the 1,200 seat hall?")
    assert key("kowalski") in question.anchors
    assert "1,200" not in question.anchors  # numbers are matched as numbers
    assert "1200" in question.numbers


def test_the_capital_of_the_first_word_is_no_name() -> None:
    assert analyse("Which ferry sank?").anchors == ()


def test_lower_case_names_are_anchors_when_rare_or_named_in_the_passages() -> None:
    assert key("kowalski") in analyse("who is kowalski").anchors  # too rare to be a word
    assert analyse("how many troops are in iraq").anchors == ()
    names = frozenset({"iraq"})
    assert analyse("how many troops are in iraq", names=names).anchors == (key("iraq"),)


def test_rare_lower_case_words_are_anchors_apart_from_names() -> None:
    question = analyse("how many stevedores joined the walkout at Port Hedland")
    assert key("hedland") in question.anchors and key("hedland") not in question.rare
    assert key("stevedores") in question.anchors and key("stevedores") in question.rare
    assert analyse("who is kowalski", names=frozenset({"kowalski"})).rare == frozenset()


def test_the_kind_word_is_kept_as_the_kind_of_answer() -> None:
    assert analyse("which party does the new premier lead").kind_key == key("party")
    assert analyse("What suburbs were evacuated?").kind_key == key("suburbs")
    assert analyse("what is the toll").kind_key == ""  # no noun names the kind
    assert analyse("who won the seat").kind_key == ""


def test_question_framing_words_and_the_kind_word_carry_no_weight() -> None:
    question = analyse("Which groups are named in the report, according to the mayor?")
    assert key("group") not in question.terms  # names the kind of answer
    assert key("named") not in question.terms and key("according") not in question.terms
    assert set(question.terms) == {key("report"), key("mayor")}


def test_focus_is_what_a_how_many_question_counts() -> None:
    assert analyse("how many fire trucks were sent to the blaze").focus == (
        key("fire"),
        key("trucks"),
    )
    assert analyse("who sent the trucks").focus == ()


def test_polar_words_of_the_question_are_kept() -> None:
    assert analyse("who rejected the pay offer").polar == {("approval", -1)}
    follow_up = analyse("And who welcomed it? (Who rejected the pay offer?)")
    assert follow_up.polar == {("approval", 1)}  # the follow-up's own side, not its context


def test_coverage_weighs_rare_words_more() -> None:
    question = analyse("who repaired the lighthouse")
    found = frozenset({key("lighthouse")})
    assert 0.5 < question.coverage(found) < 1.0
    assert question.missing_weight(found) > 0


def test_multi_part_question_is_split_at_each_new_question_word() -> None:
    assert split_question("Who won the cup, and who lost it?") == [
        "Who won the cup",
        "who lost it?",
    ]
    assert split_question("when did it open; why did it close") == [
        "when did it open",
        "why did it close",
    ]
    assert split_question("Who approved the bridge?") == ["Who approved the bridge?"]
    assert split_question("who won and how") == ["who won how"]  # "how" alone joins the part before


def test_a_follow_up_borrows_the_topic_of_its_context_but_asks_its_own_side() -> None:
    """The condensed follow-up "And who welcomed it? (Which groups reject the council's
    plan?)" is about the plan and asks who welcomed it: "reject" and "groups" are not its
    words, and its side is the welcome."""
    question = analyse("And who welcomed it? (Which groups reject the council's plan?)")
    assert {key("plan"), key("welcomed")} <= set(question.terms)
    assert key("reject") not in question.terms and key("groups") not in question.terms
    assert question.polar == frozenset({("approval", 1)})
    assert not question.plural
