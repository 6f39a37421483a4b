"""The grounded answerer: answer kinds, support checks, multi-part questions (real MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Passage
from assistant.answering.extractive import REFUSAL, ExtractiveAnswerer
from assistant.retrieval.embeddings import SentenceEmbeddings

STORY = (
    "The Riverside council approved the new bridge on Tuesday. Mayor Helen Park said the "
    "bridge would open in March 2026. The project will cost 42 million dollars. Residents "
    "had opposed the plan because of noise. The Green Party voted against the bridge."
)
TOLLS = (
    "The Harbour Users Group welcomed the new toll plan as a fair deal for commuters. "
    "The Freight Drivers Union rejected the toll plan, calling it a tax on workers. "
    "Average tolls rose by 8 per cent in the first year. Truck traffic fell by 3 per cent."
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
    ("question", "expected", "opposite"),
    [
        ("which union rejected the toll plan", "Freight Drivers Union", "Harbour Users Group"),
        ("who welcomed the toll plan", "Harbour Users Group", "Freight Drivers Union"),
        ("by how much did tolls rise", "8 per cent", "3 per cent"),
    ],
)
def test_a_sentence_stating_the_opposite_is_no_answer(
    answerer: ExtractiveAnswerer, question: str, expected: str, opposite: str
) -> None:
    passages = [Passage(chunk_id="t", article_id="tolls", title="Toll plan", text=TOLLS, score=1)]
    answer = answerer.answer(question, passages)
    assert expected in answer.answer
    assert opposite not in answer.answer


def test_a_lower_case_question_finds_its_names(
    answerer: ExtractiveAnswerer, passages: list[Passage]
) -> None:
    answer = answerer.answer("how did sanchez-vicario win her singles match", passages)
    assert "straight sets" in answer.answer


def test_never_more_than_max_sentences(passages: list[Passage]) -> None:
    answerer = ExtractiveAnswerer(SentenceEmbeddings(), max_sentences=1)
    answer = answerer.answer("How much will the bridge cost, and who won the opener?", passages)
    assert not answer.refused and len(answer.citations) == 1


def test_a_yes_no_question_is_answered_by_the_opposite_statement(
    answerer: ExtractiveAnswerer,
) -> None:
    passages = [Passage(chunk_id="t", article_id="tolls", title="Toll plan", text=TOLLS, score=1)]
    answer = answerer.answer("did the freight drivers union accept the toll plan", passages)
    assert "rejected the toll plan" in answer.answer


@pytest.mark.parametrize("side_gate", [True, False])
def test_the_reader_file_says_whether_the_side_gate_applies(side_gate: bool) -> None:
    from dataclasses import replace

    from assistant.answering.questions import analyse
    from assistant.answering.reader.model import Reader

    reader = Reader.load()
    reader.calibration = replace(reader.calibration, side_gate=side_gate)
    answerer = ExtractiveAnswerer(SentenceEmbeddings(), reader=reader)
    passages = [Passage(chunk_id="t", article_id="tolls", title="Toll plan", text=TOLLS, score=1)]
    scored = answerer.score(analyse("who welcomed the toll plan"), passages)
    read = {s.sentence.text.split()[1] for s in scored}  # each sentence's second word
    assert "Freight" not in read  # the opposite side is never read: polarity stays a gate
    if side_gate:  # only the candidates that state the side asked
        assert read == {"Harbour"}
    else:  # a reader trained on side pairs reads the others too
        assert "Harbour" in read and len(read) > 1
