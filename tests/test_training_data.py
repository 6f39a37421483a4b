"""The reader's training questions (``data/train/questions.jsonl``) keep their promises:
unique ids, answers inside the sentences named, twins that name an answerable question of the
same article, and no article of the reader's blind test set."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import ROOT

TRAIN = ROOT / "data" / "train" / "questions.jsonl"
BLIND = ROOT / "data" / "gold" / "test" / "wikinews.jsonl"
FOLLOW_UPS = ROOT / "data" / "gold" / "dev" / "followups.jsonl"
TRAIN_FOLLOW_UPS = ROOT / "data" / "train" / "followups.jsonl"
TEST_FOLLOW_UPS = ROOT / "data" / "gold" / "test" / "followups.jsonl"
SIDES = ROOT / "data" / "train" / "sides.jsonl"
IMPLICIT = ROOT / "data" / "train" / "implicit_sides.jsonl"


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_ids_are_unique_and_every_answer_lies_in_a_named_sentence() -> None:
    rows = _rows(TRAIN)
    assert len(rows) >= 6_000
    assert not [i for i, n in Counter(r["id"] for r in rows).items() if n > 1]
    for row in rows:
        if row["answerable"]:
            assert row["answers"] and row["sentences"], row["id"]
            for answer in row["answers"]:
                assert any(answer.lower() in s.lower() for s in row["sentences"]), row["id"]
        else:
            assert not row["answers"] and not row["sentences"], row["id"]


def test_every_twin_names_an_answerable_question_of_its_article() -> None:
    rows = _rows(TRAIN)
    by_id = {r["id"]: r for r in rows}
    twins = [r for r in rows if not r["answerable"]]
    assert len(twins) >= len(rows) // 3  # about a third near misses
    for twin in twins:
        if twin["twin_of"] in by_id:  # its pair may have been dropped by the second annotator
            pair = by_id[twin["twin_of"]]
            assert pair["answerable"] and pair["article"] == twin["article"], twin["id"]
        assert twin["near"] and twin["missing"], twin["id"]


def test_no_training_question_sits_on_an_article_of_the_blind_test_set() -> None:
    blind_articles = {r["article"] for r in _rows(BLIND)}
    assert len(blind_articles) == 60
    assert not blind_articles & {r["article"] for r in _rows(TRAIN)}


def test_the_follow_up_dev_set_asks_after_an_earlier_question_on_fold_0_articles() -> None:
    from assistant.answering.reader.examples import fold_of

    rows = _rows(FOLLOW_UPS)
    assert len(rows) == 120 and len({r["id"] for r in rows}) == len(rows)
    assert sum(not r["answerable"] for r in rows) == 40
    for row in rows:
        assert row["history"] and all(isinstance(t, str) and t for t in row["history"])
        assert fold_of(row["article"]) == 0, row["id"]  # calibration articles, never trained on
        for fact in row["key_facts"]:
            assert any(fact in sentence for sentence in row["evidence"]), row["id"]
        assert bool(row["key_facts"]) == row["answerable"], row["id"]
    assert not {r["article"] for r in rows} & {r["article"] for r in _rows(BLIND)}


def test_the_training_follow_ups_keep_the_training_promises_off_fold_0() -> None:
    from assistant.answering.reader.examples import fold_of

    rows = _rows(TRAIN_FOLLOW_UPS)
    by_id = {r["id"]: r for r in rows}
    assert len(rows) >= 700 and len(by_id) == len(rows)
    assert not {r["id"] for r in rows} & {r["id"] for r in _rows(TRAIN)}
    for row in rows:
        assert row["history"] and fold_of(row["article"]) != 0, row["id"]
        if row["answerable"]:
            assert all(any(a in s for s in row["sentences"]) for a in row["answers"]), row["id"]
            # implicit_sides.jsonl: the words that state the side lie in an answering sentence
            assert any(row.get("implicit", "") in s for s in row["sentences"]), row["id"]
        else:
            pair = by_id[row["twin_of"]]
            assert pair["answerable"] and pair["history"] == row["history"], row["id"]
            assert row["near"] in pair["sentences"], row["id"]
    assert sum(not r["answerable"] for r in rows) >= len(rows) // 3  # about a third near misses
    assert not {r["article"] for r in rows} & {r["article"] for r in _rows(BLIND)}


def test_the_follow_up_test_set_asks_after_an_earlier_question_on_the_held_out_articles() -> None:
    rows = _rows(TEST_FOLLOW_UPS)
    assert len(rows) == 180 and len({r["id"] for r in rows}) == len(rows)
    assert sum(not r["answerable"] for r in rows) == 60
    assert {r["article"] for r in rows} == {r["article"] for r in _rows(BLIND)}  # held out
    for row in rows:
        assert len(row["history"]) == 1 and row["history"][0], row["id"]
        assert bool(row["key_facts"]) == bool(row["evidence"]) == row["answerable"], row["id"]
        for fact in row["key_facts"]:
            assert any(fact in sentence for sentence in row["evidence"]), row["id"]


@pytest.mark.parametrize("path", [SIDES, IMPLICIT], ids=["sides", "implicit"])
def test_the_side_pairs_ask_both_sides_of_one_topic_off_fold_0(path) -> None:
    from assistant.answering.reader.examples import fold_of

    rows = _rows(path)
    by_id = {r["id"]: r for r in rows}
    assert len(rows) >= 300 and len(by_id) == len(rows)
    other = IMPLICIT if path == SIDES else SIDES
    assert not set(by_id) & {r["id"] for r in [*_rows(TRAIN), *_rows(other)]}
    for row in rows:
        assert fold_of(row["article"]) != 0 and row["side"], row["id"]
        pair = by_id[row["pair"]]
        assert pair["pair"] == row["id"] and pair["article"] == row["article"], row["id"]
        if row["answerable"]:
            assert all(any(a in s for s in row["sentences"]) for a in row["answers"]), row["id"]
            # implicit_sides.jsonl: the words that state the side lie in an answering sentence
            assert any(row.get("implicit", "") in s for s in row["sentences"]), row["id"]
        else:
            twin = by_id[row["twin_of"]]
            assert twin["answerable"] and row["near"] in twin["sentences"], row["id"]
    assert not {r["article"] for r in rows} & {r["article"] for r in _rows(BLIND)}
