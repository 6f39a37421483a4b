"""Several trained readers as one: the mean of their calibrated probabilities, on the gold sets
(dev to choose; a test split only as a recorded look)::

    .venv/bin/python bench/reader_ensemble.py --grid 0.01,0.02,0.1 0.03,0.02,0.1 \
        --members assistant/answering/reader/reader.safetensors build/reader/reader-p4.safetensors

Members with the same frozen layers share one pass through them (MiniLM's own layers, the
embedding model's copy); each member's top layers and head then read the batch. The answerer is
the chat's (``Assistant``, candidates and gates unchanged); only the reader behind it is
swapped. Prints one JSON line per (set, setting) and the mean of key facts, citation precision
and refusals per setting over the sets.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.answering.reader.model import Reader  # noqa: E402
from assistant.evaluation.metrics import evaluate  # noqa: E402
from bench.answerers import SETS, build, cases, memoise  # noqa: E402

MEASURED = ("key_fact_recall", "citation_precision", "refusal_accuracy")


class Ensemble:
    """The mean calibrated probability of ``members`` (``Reader``s over one MiniLM)."""

    def __init__(self, members: Sequence[Reader]) -> None:
        self.members = list(members)
        self.calibration = members[0].calibration

    @torch.inference_mode()
    def probabilities(self, question: str, candidates: Sequence[tuple[str, str]]) -> np.ndarray:
        if not candidates:
            return np.zeros(0)
        encoded = self.members[0].encode(question, candidates)
        bottoms: dict[int, torch.Tensor] = {}
        total = np.zeros(len(candidates))
        for member in self.members:
            frozen = member.net.frozen
            if frozen not in bottoms:
                bottoms[frozen] = member.bottom(encoded)
            logits = member.logits_over(bottoms[frozen], encoded["attention_mask"])
            total += member.calibration.probabilities(logits)
        return total / len(self.members)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=Path, nargs="+", required=True)
    parser.add_argument("--split", choices=sorted(SETS), default="dev")
    parser.add_argument("--grid", nargs="+", required=True, help="threshold,margin,list_margin")
    args = parser.parse_args()
    means: dict[str, list[float]] = {}
    for name, store, spec in SETS[args.split]:
        settings = Settings(store=build(store))
        assistant = Assistant.from_settings(settings, reader=True)
        answerer = assistant.answerer
        shared = answerer.reader  # type: ignore[attr-defined]
        bert, tokenizer = shared.net.bert[0], shared.tokenizer
        members = [Reader.load(path, bert=bert, tokenizer=tokenizer) for path in args.members]
        answerer.reader = Ensemble(members)  # type: ignore[attr-defined]
        memoise(answerer)
        gold = cases(spec)
        for setting in args.grid:
            t, m, lm = (float(x) for x in setting.split(","))
            answerer.threshold, answerer.margin, answerer.list_margin = t, m, lm  # type: ignore[attr-defined]
            report = evaluate(assistant.ask, gold, k=settings.k)
            row = {"set": name, "setting": setting, **report.metrics}
            means.setdefault(setting, []).extend(report.metrics[k] for k in MEASURED)
            print(json.dumps(row), flush=True)
    for setting, values in sorted(means.items(), key=lambda kv: -sum(kv[1])):
        print(f"{setting}: mean {sum(values) / len(values):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
