"""Does the answerer refuse when the article does not say the thing asked? A gold-free check.

    .venv/bin/python bench/withheld.py --store build/eval/lee            # the dev gold sets
    .venv/bin/python bench/withheld.py --store S --gold data/gold/dev/paraphrase.jsonl

For every answerable dev question it retrieves the passages as the chat does, then removes
each sentence that holds the question's key facts or evidence (the text around them stays:
still on the question's topic, no longer answering it) and asks the answerer again. A reader
should refuse nearly all of them; the count it answers anyway is the near-miss defect of
issue 10. The unchanged passages are asked too, as the control. Both answerers run, in one
run: the feature scorer (``NEWSDESK_READER=0``) and the trained reader. Never give it the test
split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.answering.conversation import condense_question  # noqa: E402
from assistant.evaluation.metrics import load_gold  # noqa: E402
from assistant.models import Passage  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

DEV = sorted((ROOT / "data" / "gold" / "dev").glob("*.jsonl"))


def withhold(passage: Passage, spans: list[str]) -> Passage:
    """``passage`` without the sentences that hold any of ``spans`` (lower-cased)."""
    kept = [
        passage.text[a:b]
        for a, b in sentence_spans(passage.text)
        if not any(s in " ".join(passage.text[a:b].lower().split()) for s in spans)
    ]
    return passage.model_copy(update={"text": " ".join(kept)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--gold", type=Path, action="append", default=None)
    args = parser.parse_args()
    gold = args.gold or DEV
    if any("test" in p.parts for p in gold):
        parser.error("the test split is held out; give dev gold sets")
    for label, reader in (("feature scorer", False), ("reader", True)):
        assistant = Assistant.from_settings(Settings(store=args.store), reader=reader)
        print(f"{label}:")
        ask_withheld(assistant, gold)
    return 0


def withheld_cases(assistant: Assistant, cases: list) -> list[tuple[str, list, list]]:
    """For each answerable case: its question, the passages the chat retrieves, and those
    passages with the sentences holding its key facts or evidence taken out."""
    rows = []
    for case in cases:
        if not case.answerable:
            continue
        spans = [" ".join(s.lower().split()) for s in (*case.key_facts, *case.evidence)]
        turns = [{"role": "user", "content": turn} for turn in case.history]
        question = condense_question(case.question, turns)  # a follow-up gets its topic
        passages = assistant.retriever.retrieve(question)
        held = [withhold(p, spans) for p in passages]
        rows.append((question, passages, [p for p in held if p.text]))
    return rows


def answered_withheld(answerer, rows: list[tuple[str, list, list]]) -> int:
    """How many of ``withheld_cases``' questions ``answerer`` answers without their answer."""
    return sum(not answerer.answer(question, held).refused for question, _, held in rows)


def ask_withheld(assistant: Assistant, gold: list[Path]) -> None:
    """Print, per gold set, how many answerable questions are answered without their answer."""
    answerer = assistant.answerer
    for path in gold:
        rows = withheld_cases(assistant, load_gold(path))
        asked = len(rows)
        control = sum(not answerer.answer(q, passages).refused for q, passages, _ in rows)
        answered = answered_withheld(answerer, rows)
        print(
            f"  {path.name}: {asked} answerable questions; answered with their passages "
            f"{control}, answered with the answering sentences withheld {answered} "
            f"({answered / asked:.0%})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
