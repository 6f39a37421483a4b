"""Where the answerer's wrong citations come from, on the dev gold sets: the answer's own article
or another one the retriever brought (dev only; never give it a test split)::

    .venv/bin/python bench/wrong_citations.py
    NEWSDESK_READER_WEIGHTS=build/reader/mine.safetensors .venv/bin/python bench/wrong_citations.py
    .venv/bin/python bench/wrong_citations.py --show build/reader/wrong.jsonl   # to read them

For each answerable question answered, each citation is *right* (its quote holds a key fact or
an evidence span: ``metrics.cites_gold``, as citation precision counts it), *wrong, same
article* (the quote is from an article that holds the evidence: near-duplicate articles count
as the same) or *wrong, other article*. For each
unanswerable question answered, whether it cites the top retrieved passage's article. The
reader is trained on its own article's sentences; the second kind is what it never met there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.evaluation.metrics import cites_gold, evaluate  # noqa: E402
from assistant.factory import open_store  # noqa: E402
from bench.answerers import SETS, build, cases  # noqa: E402


def flat(text: str) -> str:
    return " ".join(text.lower().split())


def kinds(report, chunks: list[tuple[str, str]], show: list[dict] | None = None) -> Counter:
    """Count the citations of ``report`` by where they come from (see the module's doc);
    ``show`` collects the wrong ones from another article."""
    counted: Counter = Counter()
    for result in report.results:
        case, answer = result.case, result.answer
        if answer.refused:
            continue
        if not case.answerable:
            top = answer.retrieved[0].article_id if answer.retrieved else None
            cited = {c.article_id for c in answer.citations}
            counted[
                "unanswerable answered, cites the top passage's article"
                if top in cited
                else "unanswerable answered, cites another article"
            ] += 1
            continue
        evidence = [flat(e) for e in case.evidence]
        homes = {article for text, article in chunks if any(e in flat(text) for e in evidence)}
        for citation in answer.citations:
            if cites_gold(case, citation.quote):
                counted["right"] += 1
            elif citation.article_id in homes:
                counted["wrong, same article"] += 1
            else:
                counted["wrong, other article"] += 1
                if show is not None:
                    show.append(
                        {
                            "question": case.question,
                            "evidence": case.evidence[:1],
                            "cited": citation.quote,
                            "title": citation.title,
                        }
                    )
    return counted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reader", type=int, default=1, help="0: the feature scorer")
    parser.add_argument("--show", type=Path, help="write the wrong ones from another article here")
    args = parser.parse_args()
    shown: list[dict] = []
    stores: dict[str, list[str]] = {}
    for _, store, spec in SETS["dev"]:
        stores.setdefault(store, []).append(spec)
    for store, specs in stores.items():
        settings = Settings(store=build(store), reader=bool(args.reader))
        raw = open_store(settings).collection.get(include=["documents", "metadatas"])
        pairs = zip(raw["documents"], raw["metadatas"], strict=True)
        chunks = [(text, meta.get("article_id")) for text, meta in pairs]
        gold = [case for spec in specs for case in cases(spec)]
        report = evaluate(Assistant.from_settings(settings).ask, gold, k=settings.k)
        counted = kinds(report, chunks, shown)
        print(json.dumps({"store": store, "questions": len(gold), **counted}))
    if args.show:
        args.show.write_text("\n".join(json.dumps(row) for row in shown) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
