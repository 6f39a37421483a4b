"""Two or more reader weights files on the same held-out questions, in one run.

Every question of fold 0 (``examples.fold_of``: the articles ``newsdesk train`` holds out) is
read against every sentence of its article by each weights file; printed per file: best
sentence right, refusal AUC and the share handled right at its own threshold
(``training.reading_metrics``). The frozen layers are MiniLM's own in every file, so each pair
goes through them once. ``--ids`` also reports the questions whose id matches a pattern (the
phase 1-3 questions, say, to compare with the learning curve's earlier points). Never touches a
test split::

    .venv/bin/python bench/reader_versus.py assistant/answering/reader/reader.safetensors \\
        build/reader/reader-p4.safetensors --ids '^train-\\d+-(\\d{3}|[23]-\\d+)$'
    # -> build/reader/versus.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.reader import training  # noqa: E402
from assistant.answering.reader.examples import fold_of, load_questions, training_pairs  # noqa: E402
from assistant.answering.reader.model import Reader  # noqa: E402
from bench.reader_curve import NEWS, QUESTIONS, load_articles  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("weights", type=Path, nargs="+")
    parser.add_argument("--ids", default="", help="also report question ids matching this")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="questions (smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "reader" / "versus.json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    keep = re.compile(args.ids)
    questions = load_questions(QUESTIONS)
    held = [q for q in questions if fold_of(q.article) == 0][: args.limit or None]
    pairs, skipped = training_pairs(held, load_articles(NEWS), negatives=None)
    first = Reader.load(args.weights[0])
    bert, tokenizer = first.net.bert[0], first.tokenizer  # one MiniLM under every file's top layers
    readers = [first] + [Reader.load(p, bert=bert, tokenizer=tokenizer) for p in args.weights[1:]]
    if len({reader.net.frozen for reader in readers}) > 1:
        parser.error("the files freeze different numbers of layers; compare them one by one")
    data = training.encode_pairs(readers[0].net, readers[0].tokenizer, pairs)
    answerable = {q.id: q.answerable for q in held}
    report: dict = {"questions": len(held), "skipped": len(skipped), "ids": args.ids, "files": {}}
    for path, reader in zip(args.weights, readers, strict=True):
        scores = training.question_scores(data, training.predict(reader.net, data), answerable)
        figures = {"all": training.reading_metrics(scores, reader.calibration)}
        if args.ids:
            some = {qid: score for qid, score in scores.items() if keep.search(qid)}
            figures[args.ids] = training.reading_metrics(some, reader.calibration)
        report["files"][str(path)] = figures
        for part, metrics in figures.items():
            print(f"{path} [{part}]: {json.dumps(metrics)}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
