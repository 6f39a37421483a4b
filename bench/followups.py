"""How should the reader read a follow-up question? The readings side by side on
``data/gold/dev/followups.jsonl`` (120 two-turn chats on 40 fold-0 Wikinews articles, a third
of the follow-ups unanswerable), each reader at its stored setting.

    .venv/bin/python bench/followups.py
    .venv/bin/python bench/followups.py --readers build/reader/mine.safetensors
    .venv/bin/python bench/followups.py --readings condensed --answers   # + the previous answer
    # ONE look, recorded in data/gold/test/README.md:
    .venv/bin/python bench/followups.py --gold data/gold/test/followups.jsonl --store test \
        --readings condensed

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

Each chat is replayed as the chat runs it (``evaluate``): the first question is asked and
answered, then the follow-up with both turns. ``--answers`` measures a rewrite that also adds
the first 40 words of the previous answer when it was answered with a citation
(``rewrite_with_answer``: "how old is he (who opened the scoring: Winger Christian Pulisic
opened the scoring.)"), read by retrieval and the features; the reader reads it without them
unless ``--reader-reads-answer``. Session 29 measured it: better on the dev follow-ups, worse on
the test follow-ups (one look), so the product keeps the previous question alone.

Standalone questions read as before in every reading. Writes build/eval/followups.json
(``followups-answers.json`` with ``--answers``).
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
from assistant.answering import conversation  # noqa: E402
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


_MARKERS = re.compile(r"\s*\[\d+\]")
_NOTE = re.compile(r"\n\s*\*Note:.*", re.DOTALL)
_ANSWER_WORDS = 40


def rewrite_with_answer(question: str, history) -> str:
    """``condense_question`` with the previous answer's first words after the previous question
    (``question (previous question: answer)``), when the assistant answered with a citation."""
    previous = conversation.user_turns(history)
    answer = previous_answer(history)
    if not previous or not answer or not conversation._FOLLOW_UP.search(question):
        return plain_rewrite(question, history)
    return f"{question} ({previous[-1].replace(': ', ' ')}: {answer})"


def previous_answer(history) -> str | None:
    """The assistant's reply to the last question when it cites (a refusal cites nothing),
    without markers, Markdown escapes, a note or brackets, cut to ``_ANSWER_WORDS`` words."""
    last = next((m for m in reversed(history) if m.get("content")), None)
    if last is None or last.get("role") != "assistant" or not _MARKERS.search(last["content"]):
        return None
    text = _MARKERS.sub("", _NOTE.sub("", str(last["content"]))).replace("\\", "")
    return " ".join(re.sub(r"[()]", " ", text).split()[:_ANSWER_WORDS]) or None


def without_answer(text: str) -> str:
    """A condensed follow-up without the previous answer's words (what the reader reads)."""
    parts = condensed_parts(text)
    if parts is None or ": " not in parts[1]:
        return text
    return f"{parts[0]} ({parts[1].partition(': ')[0]})"


plain_rewrite = conversation.condense_question
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
    "min typed/condensed": lambda own, previous: [own, f"{own} ({previous})"],
}
"""A reading whose name starts with ``min`` takes each candidate's smaller probability: a
sentence must answer the follow-up read both ways (against near misses the previous question
makes look answered)."""


def reading_reader(probabilities, reading: Reading, combine=np.max, *, reads_answer=False):
    """``probabilities`` (a reader's) reading a condensed follow-up by ``reading`` (``combine``,
    the larger probability per candidate by default, when it gives several texts); without the
    previous answer's words unless ``reads_answer``."""

    def read(text: str, pairs):
        text = text if reads_answer else without_answer(text)
        parts = condensed_parts(text)
        if parts is None:
            return probabilities(text, pairs)
        return combine([probabilities(t, pairs) for t in reading(*parts)], axis=0)

    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", nargs="*", type=Path, default=[None])
    parser.add_argument("--gold", type=Path, default=GOLD / "dev" / "followups.jsonl")
    parser.add_argument(
        "--store", default="wikinews-train", help="'test' for data/gold/test/followups.jsonl"
    )
    parser.add_argument("--readings", nargs="*", choices=list(READINGS), default=list(READINGS))
    parser.add_argument("--answers", action="store_true", help="rewrite with the answer too")
    parser.add_argument("--reader-reads-answer", action="store_true")
    args = parser.parse_args()
    if args.answers:
        conversation.condense_question = rewrite_with_answer
    settings = Settings(store=build(args.store))
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
            combine = np.min if name.startswith("min") else np.max
            reader.probabilities = reading_reader(
                plain, reading, combine, reads_answer=args.reader_reads_answer
            )
            report = evaluate(assistant.ask, gold, k=settings.k)
            variant = " (+ answer)" if args.answers else ""
            variant += " (reader reads the answer)" if args.reader_reads_answer else ""
            reading_name = f"{name}{variant}"
            rows.append(
                {"reader": str(weights or "shipped"), "reading": reading_name, **report.metrics}
            )
            print(json.dumps(rows[-1]), flush=True)
    out = EVAL / f"followups{'-answers' if args.answers else ''}.json"
    out.write_text(json.dumps(rows, indent=1))
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
