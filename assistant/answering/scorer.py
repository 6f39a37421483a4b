"""The learned answer scorer: a logistic regression over ``features.FEATURES``, run with numpy.

Its coefficients, the refusal threshold and the margin for further sentences are fitted by
``bench/train_scorer.py`` and shipped as ``scorer.json`` beside this module::

    scorer = Scorer.load()
    probabilities = scorer.probabilities(matrix)  # one row of FEATURES per sentence
    refuse = probabilities.max() < scorer.threshold
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import FEATURES

WEIGHTS = Path(__file__).with_name("scorer.json")


@dataclass(frozen=True)
class Scorer:
    """``probabilities`` of "this sentence answers the question"; ``threshold`` is the lowest
    probability the best sentence needs (below it the answerer refuses); a further sentence
    joins the answer when its probability is at least ``threshold`` and within ``margin`` of
    the best one (``list_margin`` when the question asks for several)."""

    coef: np.ndarray
    intercept: float
    threshold: float
    margin: float
    list_margin: float

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Scorer:
        """Read fitted weights; they must name the same features, in order, as this code."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise RuntimeError(
                f"Cannot read the answer scorer's weights {path} ({error}). "
                "Refit them: python bench/train_scorer.py"
            ) from error
        if tuple(data["features"]) != FEATURES:
            raise RuntimeError(
                f"{path} was fitted on other features ({data['features']}). "
                "Refit it: python bench/train_scorer.py"
            )
        return cls(
            coef=np.asarray(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            margin=float(data["margin"]),
            list_margin=float(data["list_margin"]),
        )

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """Probability per row of ``matrix`` (one row of ``FEATURES`` per sentence)."""
        if not len(matrix):
            return np.zeros(0)
        logits = np.asarray(matrix, dtype=float) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))
