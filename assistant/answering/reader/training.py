"""Train the reader on CPU: cache the frozen layers' output once, then train the top layers.

MiniLM's bottom layers do not change, so each pair goes through them once (bf16, no
gradient) and their hidden states are kept (fp16); every epoch then runs only the top layers
and the head, in fp32 (bf16 made the backward pass slower here)::

    net, tokenizer = load_base()
    data = encode_pairs(net, tokenizer, pairs)
    train(net, data, epochs=3)
    logits = predict(net, data)

Long because: the cache, the two losses, prediction, calibration and the held-out metrics
share the cached-pairs structure; split apart, each piece would import the others.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from tqdm import tqdm

from .examples import Pair
from .model import MAX_TOKENS, Calibration, ReaderNet, pair_text

EPOCHS, LR, LISTWISE, SEED, NEGATIVES = 2, 1e-4, 1.0, 18, 4
"""The shipped recipe (chosen by cross-validation on the training folds): ``train``'s defaults,
and ``newsdesk train``'s and ``bench/reader_curve.py``'s. ``NEGATIVES``: wrong sentences of its
own article per training question (6 until session 27; 4 let a fifth trained layer train in
64 minutes, where 6 projected about 100)."""
WITHHELD = 0.0
"""Weight of the withheld-answer term of the listwise loss (``_listwise``); 0: off, the shipped
recipe's."""


@dataclass
class Encoded:
    """Pairs after the frozen layers: one fp16 (tokens, hidden) tensor each, and labels."""

    hidden: list[torch.Tensor]
    labels: np.ndarray
    question_ids: list[str]

    def subset(self, indices: Sequence[int]) -> Encoded:
        return Encoded(
            [self.hidden[i] for i in indices],
            self.labels[list(indices)],
            [self.question_ids[i] for i in indices],
        )


def encode_pairs(
    net: ReaderNet,
    tokenizer: object,
    pairs: Sequence[Pair],
    *,
    batch: int = 64,
    progress: bool = True,
) -> Encoded:
    """Run every pair through the frozen layers once (longest first, little padding), on the
    net's device; the states are kept in memory (fp16, CPU)."""
    device = device_of(net)
    order = sorted(
        range(len(pairs)), key=lambda i: -len(pairs[i].question) - len(pairs[i].sentence)
    )
    hidden: list[torch.Tensor | None] = [None] * len(pairs)
    bar = tqdm(
        total=len(pairs), desc="reading pairs (frozen layers)", unit="pair", disable=not progress
    )
    for begin in range(0, len(order), batch):
        ids = order[begin : begin + batch]
        encoded = tokenizer(  # type: ignore[operator]
            [pairs[i].question for i in ids],
            [pair_text(pairs[i].title, pairs[i].sentence) for i in ids],
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )
        encoded = {name: tensor.to(device) for name, tensor in encoded.items()}
        with torch.inference_mode(), torch.autocast(device.type, dtype=torch.bfloat16):
            states = net.bottom(encoded)
        lengths = encoded["attention_mask"].sum(dim=1).tolist()
        for row, (index, length) in enumerate(zip(ids, lengths, strict=True)):
            hidden[index] = states[row, : int(length)].to("cpu", torch.float16).clone()
        bar.update(len(ids))
    bar.close()
    labels = np.asarray([p.label for p in pairs], dtype=np.float32)
    return Encoded([h for h in hidden if h is not None], labels, [p.question_id for p in pairs])


def _listwise(
    logits: torch.Tensor,
    labels: torch.Tensor,
    ids: list[int],
    data: Encoded,
    null: torch.Tensor,
    *,
    withheld: float = 0.0,
) -> torch.Tensor:
    """Mean over the batch's questions of -log P(a right sentence, or none when unanswered)
    under a softmax over the question's pairs and the null score.

    ``withheld`` adds, with that weight, for each answerable question: -log P(none) over its
    wrong sentences and the null score, the question asked again with its answering sentences
    taken out (``bench/withheld.py``'s check, built from the labels): the null score must
    rise above the wrong sentences of answerable questions too, not only of near misses.
    """
    names: dict[str, int] = {}
    device = logits.device
    group = torch.tensor(
        [names.setdefault(data.question_ids[i], len(names)) for i in ids], device=device
    )
    top = torch.maximum(logits.max(), null).detach()
    weights, none = torch.exp(logits - top), torch.exp(null - top)
    right = labels > 0
    total = none.expand(len(names)).index_add(0, group, weights)
    zeros = torch.zeros(len(names), device=device)
    found = zeros.index_add(0, group, torch.where(right, weights, 0.0))
    answered = zeros.index_add(0, group, right.float()) > 0
    wanted = torch.where(answered, found, none.expand(len(names)))
    loss = (torch.log(total) - torch.log(wanted)).mean()
    if withheld and bool(answered.any()):
        rest = none.expand(len(names)).index_add(0, group, torch.where(right, 0.0, weights))
        loss = loss + withheld * (torch.log(rest) - torch.log(none))[answered].mean()
    return loss


def _batches(indices: list[int], size: int, *, whole: list[str] | None = None) -> list[list[int]]:
    """``indices`` (in the given order) cut into batches of ``size``; with ``whole`` (each
    index's question), a batch ends only between questions."""
    cuts, begin = [], 0
    while begin < len(indices):
        end = min(begin + size, len(indices))
        while (
            whole is not None
            and end < len(indices)
            and whole[indices[end]] == whole[indices[end - 1]]
        ):
            end += 1
        cuts.append(indices[begin:end])
        begin = end
    return cuts


def _padded(data: Encoded, ids: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """One batch's cached states padded to its longest pair (fp32), and its attention mask;
    made when the batch is used, so memory holds one batch, not an epoch."""
    longest = max(data.hidden[i].shape[0] for i in ids)
    width = data.hidden[ids[0]].shape[1]
    hidden = torch.zeros(len(ids), longest, width)
    attention = torch.zeros(len(ids), longest, dtype=torch.long)
    for row, i in enumerate(ids):
        n = data.hidden[i].shape[0]
        hidden[row, :n] = data.hidden[i].float()
        attention[row, :n] = 1
    return hidden, attention


def train(
    net: ReaderNet,
    data: Encoded,
    *,
    epochs: int = EPOCHS,
    lr: float = LR,
    batch: int = 32,
    positive_weight: float = 2.0,
    listwise: float = LISTWISE,
    withheld: float = WITHHELD,
    seed: int = SEED,
    progress: bool = True,
) -> list[float]:
    """Train the top layers and the head on ``data``; the mean loss of each epoch.

    The loss is binary cross-entropy per pair, plus ``listwise`` times a softmax over each
    question's pairs and a learned "none of them" score (the SQuAD 2.0 shape: the right
    sentence above its article's others, or none above the null when it is not answered;
    ``withheld``: also the null above an answerable question's wrong sentences).
    Batches hold whole questions of similar length (fixed seed); AdamW with a linear warm-up
    over the first tenth and a linear decay.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    parameters = [p for p in net.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(parameters, lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(data.labels) / batch)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    device = device_of(net)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(positive_weight, device=device))
    labels = torch.from_numpy(data.labels).to(device)
    groups: dict[str, list[int]] = {}
    for index, qid in enumerate(data.question_ids):
        groups.setdefault(qid, []).append(index)
    longest = {id(g): max(data.hidden[i].shape[0] for i in g) for g in groups.values()}
    losses = []
    net.train()
    bar = tqdm(total=steps, desc="training the reader", unit="batch", disable=not progress)
    for _ in range(epochs):
        questions = sorted(groups.values(), key=lambda g: (longest[id(g)] // 4, rng.random()))
        order = [i for group in questions for i in group]
        batches = _batches(order, batch, whole=data.question_ids)
        rng.shuffle(batches)
        total = 0.0
        for ids in batches:
            hidden, attention = _padded(data, ids)
            logits = net(hidden.to(device), attention.to(device))
            loss = loss_fn(logits, labels[ids])
            if listwise:
                loss = loss + listwise * _listwise(
                    logits, labels[ids], ids, data, net.null, withheld=withheld
                )
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            total += loss.item() * len(ids)
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}")
        losses.append(total / len(data.labels))
    bar.close()
    net.eval()
    return losses


@torch.inference_mode()
def predict(
    net: ReaderNet, data: Encoded, *, batch: int = 128, progress: bool = False
) -> np.ndarray:
    """The logit of every pair of ``data`` (``progress``: a bar over the pairs)."""
    net.eval()
    order = sorted(range(len(data.labels)), key=lambda i: data.hidden[i].shape[0])
    logits = np.zeros(len(data.labels), dtype=np.float32)
    device = device_of(net)
    bar = tqdm(total=len(order), desc="reading held-out pairs", unit="pair", disable=not progress)
    for ids in _batches(order, batch):
        hidden, attention = _padded(data, ids)
        logits[ids] = net(hidden.to(device), attention.to(device)).float().cpu().numpy()
        bar.update(len(ids))
    bar.close()
    return logits


def device_of(net: ReaderNet) -> torch.device:
    """Where the net's trained layers are (``model.to_device`` puts them there)."""
    return next(net.head.parameters()).device


def calibrate(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling: ``(scale, shift)`` so that ``sigmoid(scale * logit + shift)`` is a
    probability (fitted on held-out logits)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e4).fit(np.asarray(logits).reshape(-1, 1), labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def question_scores(
    data: Encoded, logits: np.ndarray, answerable: dict[str, bool]
) -> dict[str, tuple[bool, float, bool]]:
    """Per question: ``(answerable, best logit, best sentence is a right one)``."""
    best: dict[str, tuple[float, bool]] = {}
    for qid, logit, label in zip(data.question_ids, logits, data.labels, strict=True):
        if qid not in best or logit > best[qid][0]:
            best[qid] = (float(logit), bool(label))
    return {qid: (answerable[qid], score, right) for qid, (score, right) in best.items()}


def reading_metrics(
    scores: dict[str, tuple[bool, float, bool]], calibration: Calibration
) -> dict[str, float]:
    """How well the reader reads held-out questions, each against all its article's sentences:

    - ``top1``: share of answerable questions whose best sentence states the answer;
    - ``refusal_auc``: how well the best sentence's score separates answerable from not;
    - ``accuracy``: share handled right at ``calibration.threshold`` (answered with a right
      sentence, or refused when unanswerable), ``answered_right`` and ``refused_right`` its parts.
    """
    from sklearn.metrics import roc_auc_score

    rows = list(scores.values())
    answerable = [r for r in rows if r[0]]
    unanswerable = [r for r in rows if not r[0]]
    probability = calibration.probabilities(np.asarray([r[1] for r in rows]))
    answered = probability >= calibration.threshold
    right = [
        (a and ok and s) or (not a and not ok) for (a, _, s), ok in zip(rows, answered, strict=True)
    ]
    answered_right = [ok and s for (a, _, s), ok in zip(rows, answered, strict=True) if a]
    refused_right = [not ok for (a, _, _), ok in zip(rows, answered, strict=True) if not a]
    return {
        "questions": float(len(rows)),
        "top1": float(np.mean([r[2] for r in answerable])) if answerable else math.nan,
        "refusal_auc": float(roc_auc_score([r[0] for r in rows], [r[1] for r in rows]))
        if answerable and unanswerable
        else math.nan,
        "accuracy": float(np.mean(right)),
        "answered_right": float(np.mean(answered_right)) if answered_right else math.nan,
        "refused_right": float(np.mean(refused_right)) if refused_right else math.nan,
    }


def best_threshold(scores: dict[str, tuple[bool, float, bool]], calibration: Calibration) -> float:
    """The probability threshold that handles most of ``scores``' questions right."""
    candidates = np.linspace(0.05, 0.95, 91)
    accuracy = [
        reading_metrics(scores, Calibration(calibration.scale, calibration.shift, t))["accuracy"]
        for t in candidates
    ]
    return float(candidates[int(np.argmax(accuracy))])
