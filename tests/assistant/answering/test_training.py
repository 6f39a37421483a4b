"""Training questions made from text, and the shipped scorer's weights."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.features import FEATURES, eligible, eligible_all
from assistant.answering.scorer import WEIGHTS, Scorer
from assistant.answering.training import questions_from_text

TEXT = (
    "The Dunmore council approved a new ferry terminal on Tuesday after a long debate. "
    "Mayor Ana Ruiz said the terminal would cost 42 million dollars and open in 2027. "
    "The Ferry Users Group welcomed the decision as a fair deal for commuters. "
    "About 300 residents had signed a petition against the plan because of noise."
)


def test_questions_ask_for_a_name_number_or_date_of_a_sentence() -> None:
    made = list(questions_from_text(TEXT, rng=random.Random(3), other_names=["Tom Reyes"]))
    answerable = [m for m in made if m.answerable]
    assert answerable, made
    for item in answerable:
        assert item.answer in item.source and item.source in TEXT
        if item.style == "cloze":
            assert item.answer.lower() not in item.question.lower()  # the answer is asked for


def test_unanswerable_variants_change_a_year_a_number_a_name_or_the_verb() -> None:
    made = []
    for seed in range(20):
        made += questions_from_text(TEXT, rng=random.Random(seed), other_names=["Tom Reyes"])
    styles = {m.style for m in made if not m.answerable}
    assert styles == {"near_miss", "opposite"}
    opposite = [m.question.lower() for m in made if m.style == "opposite"]
    assert any("rejected" in q or "reject" in q for q in opposite), opposite


def test_shipped_weights_name_the_features_of_this_code() -> None:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert len(data["coef"]) == len(FEATURES)
    assert 0 < data["threshold"] < 1
    assert "test" not in " ".join(data["fitted_on"]["dev"])


def test_scorer_is_a_logistic_regression_and_opposites_cannot_answer() -> None:
    scorer = Scorer.load()
    rows = np.zeros((2, len(FEATURES)))
    rows[:, FEATURES.index("names_article")] = 1.0
    rows[1, FEATURES.index("polarity_conflicts")] = 1.0
    p = scorer.probabilities(rows)
    assert p.shape == (2,) and np.all((p > 0) & (p < 1))
    assert eligible(list(rows[0])) and not eligible(list(rows[1]))


def test_a_missing_name_or_number_gates_but_a_missing_rare_word_only_scores() -> None:
    row = [0.0] * len(FEATURES)
    row[FEATURES.index("names_article")] = 1.0
    row[FEATURES.index("anchors_article")] = 0.5  # a rare word of the question is not there
    assert eligible(row)
    row[FEATURES.index("names_article")] = 0.5  # a name of the question is not there
    assert not eligible(row)


def test_when_a_candidate_takes_the_asked_side_only_such_candidates_answer() -> None:
    def row(agrees: float, *, yesno: float = 0.0) -> list[float]:
        values = [0.0] * len(FEATURES)
        values[FEATURES.index("names_article")] = 1.0
        values[FEATURES.index("polarity_agrees")] = agrees
        values[FEATURES.index("yesno")] = yesno
        return values

    assert eligible_all([row(0.0), row(1.0), row(0.0)]) == [False, True, False]
    assert eligible_all([row(0.0), row(1.0), row(0.0)], sides=False) == [True, True, True]
    assert eligible_all([row(0.0), row(0.0)]) == [True, True]  # nobody takes a side
    both = [row(0.0, yesno=1.0), row(1.0, yesno=1.0)]
    assert eligible_all(both) == [True, True]  # "did they accept it?": "they rejected it"


def test_weights_fitted_on_other_features_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "scorer.json"
    path.write_text(json.dumps({"features": ["coverage"], "coef": [1.0]}))
    with pytest.raises(RuntimeError, match="Refit it"):
        Scorer.load(path)
