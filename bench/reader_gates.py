"""Do the feature gates still help the reader? An ablation on the dev gold sets (issue 18).

The extractive answerer keeps a candidate only when it passes ``features.eligible_all``: the
article names the question's names and numbers, the sentence does not state the opposite of
what is asked, and when some candidate states the side asked about, only those (the "side"
gate, which the reader file's decision turns off: ``Calibration.side_gate``). This asks the dev
sets with the reader three ways, in one run, whatever its file says: all gates, the side gate
off, every gate off. Give it the test split only for a recorded look::

    .venv/bin/python bench/reader_gates.py          # ~10 min on 2 cores
    .venv/bin/python bench/reader_gates.py --split fold0   # the 3,283 fold-0 questions
    # ONE look, recorded in data/gold/test/README.md:
    .venv/bin/python bench/reader_gates.py --split test --variants 'all gates' 'side gate off'
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.answering import extractive  # noqa: E402
from assistant.answering.features import eligible_all  # noqa: E402
from assistant.evaluation.metrics import evaluate  # noqa: E402
from bench.answerers import SETS, build, cases, memoise_retrieval  # noqa: E402

# (the side gate on, every gate off): the side gate is the reader file's decision
# (``Calibration.side_gate``), set here per variant whatever the file says
VARIANTS = {
    "all gates": (True, False),
    "side gate off": (False, False),
    "every gate off": (False, True),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "fold0", "test"], default="dev")
    parser.add_argument("--variants", nargs="*", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--sets", nargs="*", help="only the sets whose name starts with these")
    args = parser.parse_args()
    rows = []
    chosen = [s for s in SETS[args.split] if not args.sets or s[0].startswith(tuple(args.sets))]
    for name, store, spec in chosen:
        settings = Settings(store=build(store))
        gold, retrieved = cases(spec), {}
        for variant in args.variants:
            sided, none = VARIANTS[variant]
            extractive.eligible_all = (  # the answerer's own module-level gate
                (lambda rows, **_: [True] * len(rows)) if none else eligible_all
            )
            assistant = Assistant.from_settings(settings, reader=True)
            reader = assistant.answerer.reader  # type: ignore[attr-defined]
            reader.calibration = replace(reader.calibration, side_gate=sided)
            memoise_retrieval(assistant, retrieved)  # the same passages for every variant
            report = evaluate(assistant.ask, gold, k=settings.k)
            keep = ("key_fact_recall", "citation_precision", "refusal_accuracy")
            rows.append({"set": name, "variant": variant} | {m: report.metrics[m] for m in keep})
            print(json.dumps(rows[-1]), flush=True)
    extractive.eligible_all = eligible_all
    print("\n| set | gates | key facts | citation precision | refusals |\n|---|---|---|---|---|")
    for row in rows:
        figures = " | ".join(f"{row[m]:.3f}" for m in keep)
        print(f"| {row['set']} | {row['variant']} | {figures} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
