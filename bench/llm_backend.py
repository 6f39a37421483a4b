"""What the citation check lets through from a tiny LLM: SmolLM2-135M on the seed gold set.

    .venv/bin/python bench/llm_backend.py [--gold data/gold/dev/seed.jsonl] [--limit N]

Ingests the sample article into a temporary store, answers every gold question with the
in-process ``llamacpp`` backend and prints, per question and in total: the share of generated
sentences that passed the check, fallbacks to the extractive answer, key facts found in the
shown answer, shown answers to unanswerable questions, and seconds per question.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.evaluation import load_gold  # noqa: E402
from assistant.factory import open_store  # noqa: E402
from ingest.loaders import load_sources  # noqa: E402
from ingest.pipeline import index_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, default=ROOT / "data/gold/dev/seed.jsonl")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    cases = load_gold(args.gold)[: args.limit or None]
    with tempfile.TemporaryDirectory() as store:
        settings = Settings(store=Path(store), answerer="llamacpp", llm_timeout=120)
        items = load_sources([ROOT / "data/articles"], max_bytes=settings.max_source_bytes)
        index_articles(items, open_store(settings), chunk_chars=settings.chunk_chars)
        assistant = Assistant.from_settings(settings)
        shares, fallbacks, correct, answered_unanswerable, seconds = [], 0, 0, 0, []
        for case in cases:
            started = time.perf_counter()
            answer = assistant.ask(case.question)
            seconds.append(time.perf_counter() - started)
            fallbacks += answer.notice is not None
            if answer.supported_share is not None:
                shares.append(answer.supported_share)
            hit = all(fact.lower() in answer.answer.lower() for fact in case.key_facts)
            correct += case.answerable and hit
            answered_unanswerable += (not case.answerable) and not answer.refused
            share = "-" if answer.supported_share is None else f"{answer.supported_share:.2f}"
            print(
                f"{case.id:10} share={share:5} fallback={answer.notice is not None!s:5} "
                f"key_facts={hit!s:5} {answer.answer[:70]!r}"
            )
        answerable = sum(c.answerable for c in cases)
        print(f"\nquestions {len(cases)} (answerable {answerable})")
        print(
            f"mean share of generated sentences that passed the check: "
            f"{sum(shares) / max(len(shares), 1):.2f} over {len(shares)} answers"
        )
        print(f"fell back to the extractive answer: {fallbacks}/{len(cases)}")
        print(f"answerable questions with all key facts shown: {correct}/{answerable}")
        print(
            f"unanswerable questions given a non-refusal: {answered_unanswerable}/"
            f"{len(cases) - answerable}"
        )
        print(
            f"seconds per question: mean {sum(seconds) / len(seconds):.1f}, max {max(seconds):.1f}"
        )


if __name__ == "__main__":
    main()
