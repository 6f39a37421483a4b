from __future__ import annotations

import pytest
from langchain_core.runnables import Runnable

from assistant import Answer, Assistant, EmptyStoreError, QuestionError, Settings
from assistant.answering.conversation import condense_question
from assistant.answering.extractive import REFUSAL


def test_example_question_names_kataib_hezbollah_citing_the_deceptive_declaration(
    seed_assistant: Assistant,
) -> None:
    answer = seed_assistant.ask("Which groups reject the withdrawal?")
    assert not answer.refused
    assert "Kataib Hezbollah" in answer.answer
    quotes = [c.quote for c in answer.citations]
    assert any("deceptive declaration" in quote for quote in quotes)


def test_every_citation_quotes_its_article_at_its_offsets(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Who welcomed the withdrawal?")
    texts = {p.chunk_id: p for p in answer.retrieved}
    assert answer.citations
    for citation in answer.citations:
        passage = texts[citation.chunk_id]
        local = citation.start - passage.start, citation.end - passage.start
        assert passage.text[local[0] : local[1]] == citation.quote
        assert f"{citation.quote} [{citation.n}]" in answer.answer


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "Who won the football match on Saturday?"],
)
def test_question_the_article_cannot_answer_is_refused(
    seed_assistant: Assistant, question: str
) -> None:
    answer = seed_assistant.ask(question)
    assert answer.refused
    assert answer.answer == REFUSAL
    assert answer.citations == []


@pytest.mark.parametrize(
    ("question", "problem"),
    [("", "empty"), ("   ", "empty"), ("x" * 100_000, "100,000 characters")],
)
def test_bad_questions_get_a_clear_error(
    seed_assistant: Assistant, question: str, problem: str
) -> None:
    with pytest.raises(QuestionError, match=problem):
        seed_assistant.ask(question)


def test_empty_store_error_says_how_to_ingest(settings: Settings) -> None:
    with pytest.raises(EmptyStoreError, match="newsdesk ingest"):
        Assistant.from_settings(settings).ask("Who welcomed the withdrawal?")


def test_assistant_is_a_langchain_runnable(seed_assistant: Assistant) -> None:
    runnable = seed_assistant.as_runnable()
    assert isinstance(runnable, Runnable)
    answers = runnable.batch(
        ["Which groups reject the withdrawal?", {"question": "What is the capital of France?"}]
    )
    assert all(isinstance(a, Answer) for a in answers)
    assert [a.refused for a in answers] == [False, True]


def test_follow_up_question_borrows_the_previous_question() -> None:
    history = [
        {"role": "user", "content": "Which groups reject the withdrawal?"},
        {"role": "assistant", "content": "Kataib Hezbollah [1]"},
    ]
    condensed = condense_question("And who welcomed it?", history)
    assert "withdrawal" in condensed
    assert condense_question("Who is Qaani?", history) == "Who is Qaani?"


def test_follow_up_in_a_chat_retrieves_for_the_earlier_topic(seed_assistant: Assistant) -> None:
    history = [{"role": "user", "content": "Which groups reject the withdrawal?"}]
    answer = seed_assistant.ask("And who welcomed it?", history)
    assert not answer.refused
    assert any("national achievement" in c.quote for c in answer.citations)
    assert not any("deceptive declaration" in c.quote for c in answer.citations)


def test_follow_up_after_the_answer_in_the_chat_cites_the_other_side(
    seed_assistant: Assistant,
) -> None:
    """As the chat sends it, with the first answer (quoting the rejection) in the history."""
    question = "Which groups reject the withdrawal?"
    first = seed_assistant.ask(question)
    assert any("deceptive declaration" in c.quote for c in first.citations)
    history = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": first.answer},
    ]
    answer = seed_assistant.ask("And who welcomed it?", history)
    assert not answer.refused
    assert any("national achievement" in c.quote for c in answer.citations)
    assert not any("deceptive declaration" in c.quote for c in answer.citations)


def test_the_reader_reads_a_follow_up_with_the_previous_question(
    seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As retrieval does: reading the follow-up alone scored lower on 120 dev follow-ups
    (bench/followups.py)."""
    reader = seed_assistant.answerer.reader  # type: ignore[attr-defined]
    read: list[str] = []

    def spy(question: str, pairs: list[tuple[str, str]]) -> object:
        read.append(question)
        return probabilities(question, pairs)

    probabilities = reader.probabilities
    monkeypatch.setattr(reader, "probabilities", spy)
    history = [{"role": "user", "content": "Which groups reject the withdrawal?"}]
    seed_assistant.ask("And who welcomed it?", history)
    assert read
    assert all("who welcomed it" in q and "Which groups reject the" in q for q in read)


def test_warm_up_loads_the_model_and_the_keyword_index_before_any_question(
    seed_settings: Settings,
) -> None:
    from assistant.retrieval.embeddings import load_sentence_model

    assistant = Assistant.from_settings(seed_settings)
    assert assistant.retriever.keyword_index.snapshot.ids == []
    load_sentence_model.cache_clear()  # other tests loaded it already
    assistant.warm_up()
    assert load_sentence_model.cache_info().currsize == 1
    assert len(assistant.retriever.keyword_index.snapshot.ids) == assistant.store.count() > 0
