"""Ask latency of both answerers, warm, in one run (issue 18: p50 at most 120 ms on the test store).

Only times: it prints no quality figure, so timing on a test set's questions is not a look at
it. Run it on an idle machine; compare the two answerers' ratio, not figures across runs::

    .venv/bin/python bench/ask_latency.py --store build/eval/test \
        --gold data/gold/test/wikinews.jsonl
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.evaluation.metrics import load_gold, percentile  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=120, help="questions asked")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per answerer")
    args = parser.parse_args()
    questions = [case.question for case in load_gold(args.gold)][: args.limit]
    settings = Settings(store=args.store)
    answerers = {
        "feature scorer": Assistant.from_settings(settings, reader=False),
        "reader": Assistant.from_settings(settings, reader=True),
    }
    for assistant in answerers.values():  # warm: models loaded, every sentence embedded once
        for question in questions:
            assistant.ask(question)
    times: dict[str, list[float]] = {name: [] for name in answerers}
    for _ in range(args.rounds):  # alternate, so both see the same machine load
        for name, assistant in answerers.items():
            for question in questions:
                began = time.perf_counter()
                assistant.ask(question)
                times[name].append((time.perf_counter() - began) * 1000)
    report = {
        name: {
            "p50_ms": round(statistics.median(t), 1),
            "p95_ms": round(percentile(t, 95), 1),
            "asks": len(t),
        }
        for name, t in times.items()
    }
    report["ratio_p50"] = round(report["reader"]["p50_ms"] / report["feature scorer"]["p50_ms"], 2)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
