"""The reader's learning curve (issue 18): quality on held-out articles as training grows.

The training questions' articles are split into five folds (by article: ``fold_of``); the
curve trains on subsets of the questions of folds 1-4 and reads every question of fold 0
against every sentence of its article (fold 0 is what ``newsdesk train`` holds out too, so the
last point is the shipped recipe). Beside it, the shipped feature scorer on the same
questions and sentences. Never touches a test split::

    .venv/bin/python bench/reader_curve.py --sizes 500 1000 3000   # ~1.5 h on 1 thread
    # -> build/reader/curve.json, build/reader/curve.png
    .venv/bin/python bench/reader_curve.py --plot build/reader/curve3.json \
        --png docs/reader-curve.png

The plot adds the shipped reader's own held-out figures (all of folds 1-4, as ``newsdesk train``
wrote them into its weights file) and, when ``bench/reader_heldout.py`` has run, the feature
scorer's on the same questions.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.reader.examples import (  # noqa: E402
    fold_of,
    load_questions,
    training_pairs,
)
from assistant.answering.reader.model import Calibration, load_base  # noqa: E402
from assistant.answering.reader.training import (  # noqa: E402
    LISTWISE,
    LR,
    encode_pairs,
    predict,
    question_scores,
    reading_metrics,
    train,
)

QUESTIONS = ROOT / "data" / "train" / "questions.jsonl"
NEWS = ROOT.parent / "shared" / "news"


def load_articles(folder: Path) -> dict[str, tuple[str, str]]:
    """Article URL -> (title, text as ingest stores it) for every Wikinews record."""
    from ingest.jsonl import article_from_record

    articles = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                article = article_from_record(record, source="wikinews", fallback_id=record["url"])
                articles[article.article_id] = (article.title, article.text)
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 0])
    # the README's curve: 2 trained layers (frozen 4), 3 epochs, the first shipped reader's recipe
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--negatives", type=int, default=6)
    parser.add_argument("--lr", type=float, default=LR)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="questions per side (smoke test)")
    parser.add_argument("--frozen", type=int, default=4, help="MiniLM layers kept as they are")
    parser.add_argument("--pooling", default="cls+mean", choices=["cls", "mean", "cls+mean"])
    parser.add_argument(
        "--listwise", type=float, default=LISTWISE, help="weight of the listwise loss"
    )
    parser.add_argument("--tag", default="curve", help="name of the report files")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "reader")
    parser.add_argument("--plot", type=Path, help="only redraw this report")
    parser.add_argument("--png", type=Path, help="where --plot draws (default: beside it)")
    args = parser.parse_args()
    if args.plot:
        plot(json.loads(args.plot.read_text()), args.png or args.plot.with_suffix(".png"))
        return

    import torch

    torch.set_num_threads(args.threads)
    questions = load_questions(QUESTIONS)
    articles = load_articles(NEWS)
    pool = [q for q in questions if fold_of(q.article) != 0]
    held = [q for q in questions if fold_of(q.article) == 0]
    if args.limit:
        pool, held = pool[: args.limit], held[: args.limit]
    random.Random(18).shuffle(pool)
    answerable = {q.id: q.answerable for q in questions}

    net, tokenizer = load_base(frozen=args.frozen)
    began = time.monotonic()
    eval_pairs, _ = training_pairs(held, articles, negatives=None)
    train_pairs, skipped = training_pairs(pool, articles, negatives=args.negatives)
    evaluation = encode_pairs(net, tokenizer, eval_pairs)
    training = encode_pairs(net, tokenizer, train_pairs)
    print(
        f"cached {len(train_pairs):,} + {len(eval_pairs):,} pairs in "
        f"{time.monotonic() - began:.0f} s; {len(skipped)} questions without their answer sentence"
    )
    report = {
        "held_out_questions": len(held),
        "points": [],
        "settings": vars(args) | {"out": str(args.out)},
    }
    for size in args.sizes:
        chosen = {q.id for q in pool[: size or len(pool)]}
        indices = [i for i, qid in enumerate(training.question_ids) if qid in chosen]
        fresh, _ = load_base(frozen=args.frozen, pooling=args.pooling)
        started = time.monotonic()
        losses = train(
            fresh, training.subset(indices), epochs=args.epochs, lr=args.lr, listwise=args.listwise
        )
        logits = predict(fresh, evaluation)
        scores = question_scores(evaluation, logits, answerable)
        metrics = reading_metrics(scores, Calibration(threshold=0.5))
        point = {
            "trained_on": len(chosen),
            "pairs": len(indices),
            "losses": losses,
            "minutes": (time.monotonic() - started) / 60,
            **metrics,
        }
        report["points"].append(point)
        print(json.dumps(point))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.tag}.json").write_text(json.dumps(report, indent=1))
    plot(report, args.out / f"{args.tag}.png")


def plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = list(report["points"])
    shipped = shipped_point()
    if shipped and all(p["trained_on"] != shipped["trained_on"] for p in points):
        points.append(shipped)
    points.sort(key=lambda p: p["trained_on"])
    sizes = [p["trained_on"] for p in points]
    figure, axis = plt.subplots(figsize=(6, 4))
    baseline = ROOT / "build" / "reader" / "heldout.json"
    scorer = json.loads(baseline.read_text())["feature scorer"] if baseline.exists() else None
    for name, label, color in (
        ("top1", "best sentence right (answerable)", "tab:blue"),
        ("refusal_auc", "refusal AUC", "tab:orange"),
    ):
        axis.plot(sizes, [p[name] for p in points], marker="o", label=label, color=color)
        if scorer:
            key = "best_right" if name == "top1" else name
            axis.axhline(scorer[key], color=color, linestyle="--", linewidth=1)
    if scorer:
        axis.plot([], [], color="grey", linestyle="--", label="feature scorer (same questions)")
    axis.set_xscale("log")
    axis.set_xlabel("training questions")
    axis.set_ylim(0.4, 1.0)
    axis.set_title(f"reader on {report['held_out_questions']} held-out questions (fold 0)")
    axis.legend()
    axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def shipped_point() -> dict | None:
    """The shipped reader's held-out figures, from its weights file's metadata."""
    from safetensors import safe_open

    from assistant.answering.reader.model import WEIGHTS

    if not WEIGHTS.exists():
        return None
    with safe_open(str(WEIGHTS), framework="pt") as handle:
        meta = json.loads(handle.metadata()["newsdesk"])
    return {"trained_on": meta["trained_on"], **meta["held_out"]}


if __name__ == "__main__":
    main()
