"""Write the side pairs (``data/train/sides.jsonl``) as a training file that weights them up
and names each answerable question's opposite side as its hard negative.

An answerable side question whose pair is also answerable, by other sentences, gets the
pair's first sentence as ``near`` (the negative ``pairs_for`` takes first); the near-miss twins
keep theirs. Each question is written ``--copies`` times under distinct ids (``ID#2``...), so
the side questions weigh as much as that many more (their random negatives differ per copy).

    .venv/bin/python bench/side_training.py --copies 2 --out build/reader/sides-x2.jsonl
    newsdesk train build/reader/questions-p3.jsonl build/reader/sides-x2.jsonl ...

``--hold-out PATH`` keeps a fifth of the articles (by a hash of the article id) out of the
training file and writes their questions to PATH, the unseen side questions
``bench/side_reading.py --questions PATH`` reads.

Session 30's candidate read the first 566 (``git show 60602a9:data/train/sides.jsonl >
build/reader/sides-566.jsonl``, then ``--sides build/reader/sides-566.jsonl``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def side_rows(rows: list[dict], copies: int) -> list[dict]:
    by_id = {row["id"]: row for row in rows}
    out = []
    for copy in range(1, copies + 1):
        for row in rows:
            row = dict(row)
            other = by_id.get(row.get("pair") or "")
            if (
                row["answerable"]
                and not row.get("near")
                and other is not None
                and other["answerable"]
                and other["sentences"]
                and set(other["sentences"]) != set(row["sentences"])
            ):
                row["near"] = other["sentences"][0]
            if copy > 1:
                row["id"] = f"{row['id']}#{copy}"
            out.append(row)
    return out


def held_out(article: str) -> bool:
    """One article in five, by a hash of its id (independent of the reader's folds)."""
    return int(hashlib.sha1(f"side-reading {article}".encode()).hexdigest(), 16) % 5 == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sides", type=Path, default=ROOT / "data/train/sides.jsonl")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hold-out", type=Path, help="write one article in five's questions here")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.sides.read_text().splitlines() if line.strip()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.hold_out:
        args.hold_out.parent.mkdir(parents=True, exist_ok=True)
        kept = [row for row in rows if held_out(row["article"])]
        args.hold_out.write_text("".join(json.dumps(row) + "\n" for row in kept))
        rows = [row for row in rows if not held_out(row["article"])]
        print(f"held out {len(kept)} questions in {args.hold_out}")
    written = side_rows(rows, args.copies)
    args.out.write_text("".join(json.dumps(row) + "\n" for row in written))
    hard = sum(1 for row in written[: len(rows)] if row["answerable"] and row.get("near"))
    print(
        f"wrote {args.out}: {len(written)} questions ({args.copies} x {len(rows)}; {hard} "
        "answerable ones with the opposite side as their hard negative)"
    )


if __name__ == "__main__":
    main()
