"""How should the reader read a follow-up question? The readings side by side on
``data/gold/dev/followups.jsonl`` (120 two-turn chats on 40 fold-0 Wikinews articles, a third
of the follow-ups unanswerable), each reader at its stored setting.

    .venv/bin/python bench/followups.py
    .venv/bin/python bench/followups.py --readers build/reader/mine.safetensors

Retrieval always uses the condensed question (the follow-up with the previous question in
brackets, ``conversation.condense_question``); only the text the reader reads beside each
candidate sentence changes:

- ``typed``: the follow-up as typed ("and who welcomed it");
- ``condensed``: what retrieval uses ("and who welcomed it (which groups reject the withdrawal)");
- ``joined``: the previous question, then the follow-up;
- ``resolved``: the follow-up with its pronoun replaced by the previous question's noun
  phrase ("and who welcomed the withdrawal", ``resolve_follow_up``: a heuristic, and often
  wrong: a follow-up's pronoun often stands for the previous *answer*);
- ``max typed/joined``, ``max typed/resolved``: each candidate's larger probability of the two
  readings.

Standalone questions read as before in every reading. Writes build/eval/followups.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.answering.conversation import condensed_parts  # noqa: E402
from assistant.evaluation.metrics import evaluate, load_gold  # noqa: E402
from bench.answerers import EVAL, GOLD, build, memoise_retrieval  # noqa: E402

_PERSONAL = re.compile(r"\b(?:he|she|him|his|her)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:they|them|their)\b", re.IGNORECASE)
_THING = re.compile(r"\b(?:it|its)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<=\S )(?:[A-Z][\w.'-]*)(?:\s+[A-Z][\w.'-]*)*")
_WH_NOUN = re.compile(r"^(?:which|what|how many)\s+((?:[\w-]+\s+)?[\w-]+s)\b", re.IGNORECASE)
_DETERMINED = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|these|those)\s+[^,;:?!()]*?(?=\s+(?:in|on|at|"
    r"by|for|to|from|with|after|before|during|over|about|last|this|next)\b|[?.!]*$)",
    re.IGNORECASE,
)


def resolve_follow_up(own: str, previous: str) -> str:
    """The follow-up with its pronoun replaced by what it most likely stands for in the
    previous question: a name for he / she, the asked-about plural for they ("which groups"),
    else the last noun phrase ("and who welcomed it" after "which groups reject the
    withdrawal" -> "and who welcomed the withdrawal"). Unchanged when nothing fits."""
    previous = previous.strip()
    phrases = _DETERMINED.findall(previous)
    thing = phrases[-1] if phrases else None
    names = [n for n in _NAME.findall(previous) if n.lower() not in {"i"}]
    for pattern, antecedent in (
        (_PERSONAL, names[-1] if names else None),
        (_PLURAL, _wh_plural(previous) or thing),
        (_THING, thing),
    ):
        if antecedent and pattern.search(own):
            return pattern.sub(lambda m, a=antecedent: _substitute(m[0], a), own, count=1)
    return own


def _wh_plural(previous: str) -> str | None:
    match = _WH_NOUN.match(previous)
    return f"the {match[1]}" if match else None


def _substitute(pronoun: str, antecedent: str) -> str:
    possessive = pronoun.lower() in {"his", "its", "their"}
    return f"{antecedent}'s" if possessive else antecedent


Reading = Callable[[str, str], list[str]]
READINGS: dict[str, Reading] = {
    "typed": lambda own, previous: [own],
    "condensed": lambda own, previous: [f"{own} ({previous})"],
    "joined": lambda own, previous: [f"{previous} {own}"],
    "resolved": lambda own, previous: [resolve_follow_up(own, previous)],
    "max typed/joined": lambda own, previous: [own, f"{previous} {own}"],
    "max typed/resolved": lambda own, previous: [own, resolve_follow_up(own, previous)],
    "max typed/condensed": lambda own, previous: [own, f"{own} ({previous})"],
    "max condensed/resolved": lambda own, previous: [
        f"{own} ({previous})",
        resolve_follow_up(own, previous),
    ],
}


def reading_reader(probabilities, reading: Reading):
    """``probabilities`` (a reader's) reading a condensed follow-up by ``reading`` (the larger
    probability per candidate when it gives several texts)."""

    def read(text: str, pairs):
        parts = condensed_parts(text)
        if parts is None:
            return probabilities(text, pairs)
        return np.max([probabilities(t, pairs) for t in reading(*parts)], axis=0)

    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", nargs="*", type=Path, default=[None])
    parser.add_argument("--gold", type=Path, default=GOLD / "dev" / "followups.jsonl")
    parser.add_argument("--readings", nargs="*", choices=list(READINGS), default=list(READINGS))
    args = parser.parse_args()
    settings = Settings(store=build("wikinews-train"))
    gold = load_gold(args.gold)
    rows, retrieved = [], {}
    for weights in args.readers:
        chosen = {"reader_weights": weights} if weights else {}
        assistant = Assistant.from_settings(settings, reader=True, **chosen)
        memoise_retrieval(assistant, retrieved)
        reader = assistant.answerer.reader  # type: ignore[attr-defined]
        plain = reader.probabilities
        for name in args.readings:
            reading = READINGS[name]
            reader.probabilities = reading_reader(plain, reading)
            report = evaluate(assistant.ask, gold, k=settings.k)
            rows.append({"reader": str(weights or "shipped"), "reading": name, **report.metrics})
            print(json.dumps(rows[-1]), flush=True)
    (EVAL / "followups.json").write_text(json.dumps(rows, indent=1))
    keys = ("key_fact_recall", "citation_precision", "refusal_accuracy", "evidence_recall_at_k")
    print("\n| reader | reading | " + " | ".join(keys) + " | mean of 3 |")
    print("|---|---|" + "---|" * (len(keys) + 1))
    for row in rows:
        mean = sum(row[k] for k in keys[:3]) / 3
        figures = " | ".join(f"{row[k]:.3f}" for k in keys)
        print(f"| {Path(row['reader']).name} | {row['reading']} | {figures} | {mean:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
