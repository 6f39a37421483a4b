"""Does a reader read sides? Side pairs it never trained on, read against their whole article.

For each question of ``--questions`` (default ``data/train/sides.jsonl``) whose article is not
in ``--skip-articles-of`` (the side file a candidate trained on), every sentence of its article
is read with the question, and per reader file:

- ``top1``: an answerable question's best sentence is one of its own;
- ``side_right``: an answerable question whose pair is answerable by other sentences scores its
  own sentence above its pair's (the side asked, not the other);
- ``twin_refused``: a near-miss twin's best probability is under the file's threshold.

    .venv/bin/python bench/side_reading.py --skip-articles-of build/reader/sides-x2.jsonl \\
        --readers assistant/answering/reader/reader.safetensors build/reader/X.safetensors
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.reader.examples import matching  # noqa: E402
from assistant.answering.reader.model import Reader  # noqa: E402
from bench.annotation import article_sentences, news_records  # noqa: E402


def read(reader: Reader, rows: list[dict], articles: dict) -> dict[str, float]:
    by_id = {row["id"]: row for row in rows}
    top1, side, refused = [], [], []
    for row in rows:
        title, sentences = articles[row["article"]]
        probability = reader.probabilities(row["question"], [(title, s) for s in sentences])
        best = int(probability.argmax())
        if not row["answerable"]:
            refused.append(float(probability[best]) < reader.calibration.threshold)
            continue
        own = matching(row["sentences"], sentences)
        if not own:
            continue
        top1.append(best in own)
        pair = by_id.get(row.get("pair") or "")
        if pair and pair["answerable"]:
            other = matching(pair["sentences"], sentences) - own
            if other:
                side.append(max(probability[i] for i in own) > max(probability[i] for i in other))
    mean = lambda xs: round(sum(xs) / len(xs), 3) if xs else float("nan")  # noqa: E731
    return {
        "top1": mean(top1),
        "side_right": mean(side),
        "twin_refused": mean(refused),
        "answerable": len(top1),
        "pairs": len(side),
        "twins": len(refused),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "data/train/sides.jsonl")
    parser.add_argument("--skip-articles-of", type=Path, help="a side file trained on")
    parser.add_argument("--readers", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    load = lambda p: [json.loads(x) for x in p.read_text().splitlines() if x.strip()]  # noqa: E731
    trained = load(args.skip_articles_of) if args.skip_articles_of else []
    skip = {row["article"] for row in trained}
    rows = [row for row in load(args.questions) if row["article"] not in skip]
    wanted = {row["article"] for row in rows}
    articles = {}
    for record in news_records():
        if record["url"] in wanted:
            title, _, sentences = article_sentences(record)
            articles[record["url"]] = (title, sentences)
    print(f"{len(rows)} questions on {len(wanted)} articles", flush=True)
    for path in args.readers:
        figures = read(Reader.load(path), rows, articles)
        print(json.dumps({"reader": str(path)} | figures), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
