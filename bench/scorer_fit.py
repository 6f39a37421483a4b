"""The fitting half of bench/train_scorer.py: logistic regression (scikit-learn), then the
refusal threshold and margins that maximise the quality metrics of the answerer's choice on
the dev questions; a 5-fold cross-validation reports what to expect on unseen questions.

    weights = fit(items, args)  # the content of assistant/answering/scorer.json
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from assistant.answering.features import FEATURES, eligible_all


def fit(items: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    """Report a 5-fold cross-validation first (each question scored by a model fitted
    without it), then fit on everything."""
    for group, metrics in cross_validate(items).items():
        print(f"5-fold CV, {group}: {_fmt(metrics)}")
    coef, intercept = _logistic(items)
    tuned = _calibrate(items, coef, intercept)
    for source in ("dev", "generated"):
        part = [i for i in items if i.source == source]
        print(f"{source} (trained on): {_fmt(_simulate(part, coef, intercept, **tuned))}")
    return {
        "features": list(FEATURES),
        "coef": [round(float(c), 6) for c in coef],
        "intercept": round(float(intercept), 6),
        **tuned,
        "fitted_on": {
            "dev": [p.name for p in args.gold],
            "generated_questions": sum(i.source == "generated" for i in items),
            "seed": args.seed,
        },
    }


def cross_validate(items: list[Any], folds: int = 5) -> dict[str, dict[str, float]]:
    """Metrics per dev gold set (and for the generated questions) of the answerer's choice
    when each question's fold was left out of the fit and the calibration."""
    chosen: dict[int, list[str]] = {}
    for fold in range(folds):
        kept = [i for i in items if _fold(i, folds) != fold]
        coef, intercept = _logistic(kept)
        tuned = _calibrate(kept, coef, intercept)
        for item in items:
            if _fold(item, folds) == fold:
                chosen[id(item)] = _choose(item, coef, intercept, plural=item.plural, **tuned)
    groups = [*sorted({i.group for i in items if i.source == "dev"}), "generated"]
    return {
        group: _metrics([(i, chosen[id(i)]) for i in items if group in (i.group, i.source)])
        for group in groups
    }


def _fold(item: Any, folds: int) -> int:
    """Dev questions fall in folds one by one; generated ones with their whole article."""
    name = item.group + (item.question if item.source == "dev" else "")
    return hash_group(name) % folds


def hash_group(name: str) -> int:
    return sum(name.encode())


def _logistic(items: list[Any]) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised features, returned in the raw feature space."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    dev = sum(i.source == "dev" for i in items)
    dev_weight = max(1.0, (len(items) - dev) / max(dev, 1))
    x, y, w = [], [], []
    for item in items:
        for row, label in zip(item.rows, item.labels, strict=True):
            if label >= 0:
                x.append(row)
                y.append(label)
                w.append(dev_weight if item.source == "dev" else 1.0)
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=0.5, max_iter=5000, class_weight="balanced")
    model.fit(scaler.transform(x), y, sample_weight=w)
    coef = model.coef_[0] / scaler.scale_
    return coef, float(model.intercept_[0] - coef @ scaler.mean_)


def _calibrate(items: list[Any], coef: np.ndarray, intercept: float) -> dict[str, float]:
    """The refusal threshold and margins that maximise the sum of the three quality metrics
    on the dev questions (people's questions, not generated ones)."""
    best: tuple[float, dict[str, float]] = (-1.0, {})
    dev = [i for i in items if i.source == "dev"] or items
    for threshold in np.arange(0.05, 0.96, 0.025):
        for margin in (0.0, 0.05, 0.1, 0.2):
            for list_margin in (0.1, 0.2, 0.3, 0.5):
                tuned = {
                    "threshold": round(float(threshold), 3),
                    "margin": margin,
                    "list_margin": list_margin,
                }
                score = sum(_simulate(dev, coef, intercept, **tuned).values())
                if score > best[0]:
                    best = (score, tuned)
    return best[1]


def _simulate(
    items: list[Any], coef: np.ndarray, intercept: float, **tuned: float
) -> dict[str, float]:
    """key-fact recall, citation precision and refusal accuracy of the answerer's choice."""
    return _metrics([(i, _choose(i, coef, intercept, plural=i.plural, **tuned)) for i in items])


def _metrics(chosen: list[tuple[Any, list[str]]]) -> dict[str, float]:
    """The quality metrics of what was quoted (``shown``) for each item."""
    recall, hits, cited, refusals = [], 0, 0, []
    for item, shown in chosen:
        refusals.append(float(bool(shown) != item.answerable))
        if not item.answerable:
            continue
        text = " ".join(shown).lower()
        recall.append(sum(f in text for f in item.facts) / len(item.facts))
        cited += len(shown)
        hits += sum(any(f in s.lower() for f in item.facts) for s in shown)
    return {
        "key_fact_recall": float(np.mean(recall)) if recall else 0.0,
        "citation_precision": hits / cited if cited else 0.0,
        "refusal_accuracy": 1 - float(np.mean(refusals)) if refusals else 0.0,
    }


def _choose(
    item: Any,
    coef: np.ndarray,
    intercept: float,
    *,
    plural: bool,
    threshold: float,
    margin: float,
    list_margin: float,
) -> list[str]:
    """What ``ExtractiveAnswerer.choose`` would quote (the sentences' texts)."""
    if not item.rows:
        return []
    p = 1 / (1 + np.exp(-(np.asarray(item.rows) @ coef + intercept)))
    p = np.where(eligible_all(item.rows), p, 0.0)
    order = np.argsort(-p)
    if p[order[0]] < threshold:
        return []
    own = [t.split("\n") for t in item.texts]
    best = order[0]
    shown = [own[best][0]]
    if item.rows[best][FEATURES.index("kind_next")] and own[best][1]:
        shown.append(own[best][1])
    floor = max(threshold, p[best] - (list_margin if plural else margin))
    shown += [own[i][0] for i in order[1:] if p[i] >= floor]
    return shown[:3]


def _fmt(metrics: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
