"""``newsdesk train``: fit the reader on labelled questions and write the shipped weights.

A fifth of the articles (``examples.fold_of``: fold 0) is held out: the reader trains on the
questions of the rest, and the held-out questions, each read against every sentence of its
article, fit the calibration (Platt scaling) and the refusal threshold and give the figures
printed (the last point of the learning curve, ``bench/reader_curve.py``). It trains on a
CUDA accelerator when one is present, else on the CPU::

    report = fit_reader(questions, articles, out=WEIGHTS, epochs=3)
    report["held_out"]["top1"], report["held_out"]["accuracy"]
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .examples import (
    Articles,
    LabelledQuestion,
    cross_article_negatives,
    fold_of,
    training_pairs,
)
from .model import FROZEN, Calibration, load_base, round_to_stored, save, to_device
from .training import (
    EPOCHS,
    LISTWISE,
    LR,
    NEGATIVES,
    SEED,
    WITHHELD,
    best_threshold,
    calibrate,
    encode_pairs,
    predict,
    question_scores,
    reading_metrics,
    train,
)


def fit_reader(
    questions: Sequence[LabelledQuestion],
    articles: Articles,
    *,
    out: Path,
    epochs: int = EPOCHS,
    lr: float = LR,
    negatives: int = NEGATIVES,
    listwise: float = LISTWISE,
    withheld: float = WITHHELD,
    seed: int = SEED,
    cross: int = 0,
    frozen: int = FROZEN,
    limit_steps: int | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Train, calibrate on the held-out articles, write ``out``; what happened, as a dict.

    ``cross``: that many negatives per question from the other training articles (the
    sentences most like the question by the embedding model), in place of random ones of its
    own article. ``withheld``: the weight of the listwise loss's withheld-answer term
    (``training._listwise``). ``frozen``: MiniLM's bottom layers kept as they are (the rest
    and the head are trained; one fewer frozen layer costs about half as much again per
    pair). ``limit_steps``
    trains on that many batches only (a smoke test, not a model to ship).
    """
    began = time.monotonic()
    torch.manual_seed(seed)
    train_on = [q for q in questions if fold_of(q.article) != 0]
    check_on = [q for q in questions if fold_of(q.article) == 0]
    others = None
    if cross:
        from ...retrieval.embeddings import SentenceEmbeddings

        embedder = SentenceEmbeddings(precision="bf16")
        others = cross_article_negatives(
            train_on,
            articles,
            lambda texts: np.asarray(embedder.embed_documents(texts)),
            per_question=cross,
            progress=progress,
        )
    pairs, skipped = training_pairs(
        train_on, articles, negatives=negatives, seed=seed, cross=others
    )
    checks, skipped_checks = training_pairs(check_on, articles, negatives=None, seed=seed)
    if not pairs or not checks:
        raise ValueError(
            f"Nothing to train on: {len(pairs)} training and {len(checks)} held-out pairs "
            f"from {len(questions)} questions ({len(skipped) + len(skipped_checks)} without "
            "their article or answer sentence). Check the questions' article ids."
        )
    device = "cuda" if torch.cuda.is_available() else "cpu"  # an accelerator when one is lent
    net, tokenizer = load_base(frozen=frozen)
    to_device(net, device)
    data = encode_pairs(net, tokenizer, pairs, progress=progress)
    if limit_steps is not None:
        data = data.subset(range(min(len(data.labels), limit_steps * 32)))
    losses = train(
        net,
        data,
        epochs=epochs,
        lr=lr,
        listwise=listwise,
        withheld=withheld,
        seed=seed,
        progress=progress,
    )
    round_to_stored(net)  # calibrate and measure the weights the file will hold
    held = encode_pairs(net, tokenizer, checks, progress=progress)
    logits = predict(net, held, progress=progress)
    to_device(net, "cpu")
    scale, shift = calibrate(logits, held.labels)
    answerable = {q.id: q.answerable for q in questions}
    scores = question_scores(held, logits, answerable)
    calibration = Calibration(scale, shift)
    calibration.threshold = best_threshold(scores, calibration)
    metrics = reading_metrics(scores, calibration)
    facts = {
        "trained_on": len({p.question_id for p in pairs}),
        "held_out_questions": len(scores),
        "pairs": len(data.labels),
        "epochs": epochs,
        "lr": lr,
        "negatives": negatives,
        "cross_negatives": cross,
        "listwise": listwise,
        "withheld_loss": withheld,
        "seed": seed,
        "device": device,
        "losses": losses,
        "held_out": metrics,
        "skipped": len(skipped) + len(skipped_checks),
        "minutes": round((time.monotonic() - began) / 60, 1),
    }
    save(net, calibration, out, **{k: v for k, v in facts.items() if k != "losses"})
    return facts
