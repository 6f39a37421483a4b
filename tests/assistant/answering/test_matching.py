"""Word-level matching of a question and a sentence (sentences not from the gold sets)."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.embeddings import FakeEmbeddings

from assistant.answering.matching import (
    best_matches,
    content_words,
    maxsim,
    question_weights,
    weakest,
)
from assistant.retrieval.embeddings import (
    SentenceEmbeddings,
    Tokens,
    embed_texts,
    embed_tokens,
)


@pytest.fixture(scope="module")
def embeddings() -> SentenceEmbeddings:
    return SentenceEmbeddings()


def test_stopwords_and_punctuation_carry_no_weight(embeddings: SentenceEmbeddings) -> None:
    (question,) = embed_tokens(embeddings, ["How many ferries sank near Whitby?"]) or []
    weights = dict(zip(question.pieces, question_weights(question), strict=True))
    assert weights["how"] == weights["many"] == weights["?"] == 0.0
    assert weights["ferries"] == weights["sank"] == 1.0
    # every wordpiece of a content word counts: "whitby" is split into pieces
    assert all(w == 1.0 for p, w in weights.items() if p.startswith("##"))


def test_each_question_word_matched_in_other_words_beats_the_topic_word_alone(
    embeddings: SentenceEmbeddings,
) -> None:
    question, answer, topic, other = (
        embed_tokens(
            embeddings,
            [
                "how many residents fled the bushfire",
                "About 400 residents left their homes as the bushfire spread.",  # fled ~ left
                "The bushfire season began early this year, the council said.",
                "The council approved the budget on Monday.",
            ],
        )
        or []
    )
    weights = question_weights(question)
    scores = [maxsim(weights, best_matches(question, s)) for s in (answer, topic, other)]
    assert scores == sorted(scores, reverse=True) and scores[0] - scores[1] > 0.1


def test_one_pass_gives_wordpieces_and_the_cached_sentence_vector(
    embeddings: SentenceEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "The harbour ferry resumed its twenty minute service on Tuesday."
    (tokens,) = embed_tokens(embeddings, [text]) or []
    assert isinstance(tokens, Tokens) and tokens.vectors.shape == (len(tokens.pieces), 384)
    assert np.allclose(np.linalg.norm(tokens.vectors.astype(np.float32), axis=1), 1, atol=1e-2)
    direct = np.asarray(embeddings.embed_documents([text])[0])
    assert float(direct @ tokens.sentence) > 0.9999
    monkeypatch.setattr(embeddings, "embed_documents", _no_second_pass)
    assert np.array_equal(embed_texts(embeddings, [text])[0], tokens.sentence)


def _no_second_pass(texts: list[str]) -> list[list[float]]:
    raise AssertionError(f"encoded again: {texts}")


def test_a_model_without_wordpieces_gets_none() -> None:
    assert embed_tokens(FakeEmbeddings(size=8), ["any text"]) is None


def test_nothing_to_match_scores_zero(embeddings: SentenceEmbeddings) -> None:
    (question,) = embed_tokens(embeddings, ["who won"]) or []
    empty = Tokens(np.zeros((0, 384), dtype=np.float16), (), np.zeros(384, dtype=np.float32))
    assert maxsim(question_weights(question), best_matches(question, empty)) == 0.0
    assert weakest(content_words(question), best_matches(question, empty)) == 0.0


def test_the_weakest_word_falls_when_the_one_thing_asked_is_not_said(
    embeddings: SentenceEmbeddings,
) -> None:
    question, answer, near_miss = (
        embed_tokens(
            embeddings,
            [
                "how many protesters were arrested outside the mill",
                "Police arrested 14 protesters outside the mill on Friday.",
                "About 200 protesters gathered outside the mill on Friday.",  # nobody arrested
            ],
        )
        or []
    )
    spans = content_words(question)
    words = ["".join(question.pieces[i].removeprefix("##") for i in s) for s in spans]
    assert words == ["protesters", "arrested", "outside", "mill"]
    right, wrong = best_matches(question, answer), best_matches(question, near_miss)
    assert weakest(spans, right) - weakest(spans, wrong) > 0.1
    # the average hides the difference the weakest word shows
    weights = question_weights(question)
    mean_gap = maxsim(weights, right) - maxsim(weights, wrong)
    assert mean_gap < weakest(spans, right) - weakest(spans, wrong)
