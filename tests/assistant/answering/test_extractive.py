"""The grounded answerer: answer kinds, support checks, multi-part questions (real MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Passage
from assistant.answering.extractive import REFUSAL, ExtractiveAnswerer
from assistant.answering.questions import analyse, question_kind, split_question
from assistant.answering.terms import kinds_in
from assistant.retrieval.embeddings import SentenceEmbeddings
from assistant.text.words import content_terms, same_word, stem

STORY = (
    "The Riverside council approved the new bridge on Tuesday. Mayor Helen Park said the "
    "bridge would open in March 2026. The project will cost 42 million dollars. Residents "
    "had opposed the plan because of noise. The Green Party voted against the bridge."
)
SPORT = (
    "Spain beat Argentina 3-0 to open the Hopman Cup in Perth. Arantxa Sanchez-Vicario won "
    "her singles match in straight sets."
)


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(SentenceEmbeddings())


@pytest.fixture
def passages() -> list[Passage]:
    return [
        Passage(chunk_id="c1", article_id="bridge", title="Bridge approved", text=STORY, score=1),
        Passage(chunk_id="c2", article_id="cup", title="Hopman Cup", text=SPORT, score=0.5),
    ]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many troops are in Iraq?", "number"),
        ("What is the national road toll?", "number"),
        ("When will the bridge open?", "date"),
        ("On which day did the council vote?", "date"),
        ("Where did the general travel?", "place"),
        ("In which new suburb will they build?", "place"),
        ("Why did the residents object?", "reason"),
        ("Who welcomed the deal?", "name"),
        ("Which party voted against it?", "name"),
        ("What did the mayor say?", None),
    ],
)
def test_question_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def test_multi_part_question_is_split_at_each_new_question_word() -> None:
    assert split_question("Who won the cup, and who lost it?") == [
        "Who won the cup",
        "who lost it?",
    ]
    assert split_question("Who approved the bridge?") == ["Who approved the bridge?"]


def test_names_the_question_already_mentions_are_no_answer() -> None:
    question = analyse("Who is Helen Park?")
    assert "name" not in kinds_in("Helen Park spoke.", question)
    assert "name" in kinds_in("Helen Park met Tom Lee.", question)


def test_content_terms_drop_stopwords_and_stem() -> None:
    assert content_terms("Who welcomed the withdrawals?") == {"welcom", "withdrawal"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much will the bridge cost?", "42 million dollars"),
        ("When will the new bridge open?", "March 2026"),
        ("Which party voted against the bridge?", "Green Party"),
        ("Why had residents opposed the bridge plan?", "noise"),
        ("Who said when the bridge would open?", "Helen Park"),
    ],
)
def test_answers_with_the_sentence_holding_the_wanted_kind_of_answer(
    answerer: ExtractiveAnswerer, passages: list[Passage], question: str, expected: str
) -> None:
    answer = answerer.answer(question, passages)
    assert not answer.refused
    assert expected in answer.answer
    assert all(c.quote in STORY for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "How much will the tunnel under the Thames cost?",  # names absent from the articles
        "When will the bridge in Oslo open?",
        "How many people were injured on the bridge?",  # no count of people anywhere
        "What is the capital of France?",
    ],
)
def test_refuses_what_the_passages_do_not_support(
    answerer: ExtractiveAnswerer, passages: list[Passage], question: str
) -> None:
    answer = answerer.answer(question, passages)
    assert answer.refused
    assert answer.answer == REFUSAL and answer.citations == []


def test_each_part_of_a_two_part_question_is_answered_and_cited(
    answerer: ExtractiveAnswerer, passages: list[Passage]
) -> None:
    answer = answerer.answer(
        "How much will the bridge cost, and who won the Hopman Cup opener?", passages
    )
    assert "42 million" in answer.answer and "Spain" in answer.answer
    assert {c.article_id for c in answer.citations} == {"bridge", "cup"}
    assert [c.n for c in answer.citations] == [1, 2]


def test_citation_offsets_point_into_the_passage(
    answerer: ExtractiveAnswerer, passages: list[Passage]
) -> None:
    answer = answerer.answer("When will the new bridge open?", passages)
    citation = answer.citations[0]
    assert STORY[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("died", "dead", True),  # irregular forms of one word
        ("death", "dying", True),
        ("held", "hold", True),
        ("withdrew", "withdrawal", True),
        ("iraq", "iraqi", True),  # a longer ending, as before
        ("die", "diet", False),  # short words must still be equal or of one family
        ("held", "help", False),
    ],
)
def test_same_word_joins_irregular_forms(a: str, b: str, same: bool) -> None:
    assert same_word(stem(a), stem(b)) is same


def test_a_form_of_a_name_the_question_mentions_is_no_new_name() -> None:
    question = analyse("Whose residence did the rebels storm in Haiti?")
    assert "name" not in kinds_in("Rebels stormed the palace in the Haitian capital.", question)
    assert "name" in kinds_in("They stormed the home of President Aristide.", question)


def test_a_count_is_found_under_another_form_of_the_question_word(
    answerer: ExtractiveAnswerer,
) -> None:
    crash = Passage(
        chunk_id="c3",
        article_id="crash",
        title="Bus crash",
        text="A bus crashed on the coast road near Lorne. The crash left at least 12 dead.",
        score=1,
    )
    answer = answerer.answer("How many people died in the bus crash near Lorne?", [crash])
    assert not answer.refused
    assert "12 dead" in answer.answer
