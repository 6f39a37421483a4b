"""Evaluation of answers against a gold Q&A set (JSON lines): loading, metrics, the run.

Each line of a gold set is ``{"id", "question", "answerable", "key_facts", "evidence"}``, and
``"history"`` (the user's earlier questions, oldest first) for a follow-up::

    cases = load_gold(Path("data/gold/dev/seed.jsonl"))
    report = evaluate(Assistant.from_settings().ask, cases, k=5)
    report.metrics["key_fact_recall"]  # 0.0 .. 1.0
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..models import Answer, Passage

logger = logging.getLogger(__name__)

METRICS = (
    "key_fact_recall",
    "evidence_recall_at_k",
    "citation_precision",
    "refusal_accuracy",
    "latency_ms_p50",
    "latency_ms_p95",
    "n",
    "answerable_refused",
    "unanswerable_answered",
)
QUALITY_METRICS = METRICS[:4]


@dataclass(frozen=True)
class GoldCase:
    """One gold question: ``key_facts`` must appear in a correct answer, ``evidence`` in a chunk.

    >>> case = GoldCase("q1", "Who won?", True, ("Smith",), ("Smith won the vote",))
    >>> case.answerable, case.key_facts
    (True, ('Smith',))
    """

    id: str
    question: str
    answerable: bool
    key_facts: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    """The user's earlier questions in the chat, oldest first: ``question`` is a follow-up."""


@dataclass(frozen=True)
class CaseResult:
    """What one gold question got: the answer, its latency and its per-question metrics."""

    case: GoldCase
    answer: Answer
    latency_ms: float
    key_fact_recall: float | None
    evidence_recall: float | None
    citation_hits: int
    citations: int
    refusal_correct: bool


@dataclass
class EvalReport:
    """Per-question results and the aggregate ``metrics`` (the keys of ``METRICS``)."""

    results: list[CaseResult]
    k: int
    metrics: dict[str, float] = field(default_factory=dict)
    coverage: list[tuple[float, float, float]] = field(default_factory=list)
    """(threshold, share answered, share of those answered right), ``coverage_curve``."""

    def to_json(self) -> dict[str, Any]:
        return {**self.metrics, "k": self.k, "cases": [_case_json(r) for r in self.results]}


def load_gold(path: Path) -> list[GoldCase]:
    """Read a gold set; a malformed line raises ``SourceError`` naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise SourceError(
            str(path), f"cannot read the gold set ({error}). Check the path."
        ) from error
    cases = [_parse_case(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]
    if not cases:
        raise SourceError(str(path), "the gold set has no questions. Add JSON lines.")
    return cases


def _parse_case(line: str, where: str) -> GoldCase:
    try:
        record = json.loads(line)
        if not isinstance(record.get("history", []), list):
            raise TypeError("history must be a list of the earlier questions")
        case = GoldCase(
            id=str(record["id"]),
            question=str(record["question"]),
            answerable=bool(record["answerable"]),
            key_facts=tuple(str(f) for f in record.get("key_facts", [])),
            evidence=tuple(str(e) for e in record.get("evidence", [])),
            history=tuple(str(turn) for turn in record.get("history", [])),
        )
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise SourceError(
            where,
            f"not a gold case ({error!r}); each line needs id, question, answerable, "
            "key_facts and evidence.",
        ) from error
    if case.answerable and not case.key_facts:
        raise SourceError(where, f"answerable case {case.id!r} has no key_facts. Add some.")
    return case


def key_fact_recall(case: GoldCase, answer: Answer) -> float:
    """Fraction of ``case.key_facts`` found (case-insensitive) in the answer text."""
    if not case.key_facts:
        return 1.0
    text = answer.answer.lower()
    return sum(fact.lower() in text for fact in case.key_facts) / len(case.key_facts)


def evidence_recall(case: GoldCase, passages: Sequence[Passage], *, k: int) -> float:
    """Fraction of ``case.evidence`` strings found in at least one of the top ``k`` passages."""
    if not case.evidence:
        return 1.0
    texts = [p.text.lower() for p in passages[:k]]
    return sum(any(e.lower() in t for t in texts) for e in case.evidence) / len(case.evidence)


def citation_hits(case: GoldCase, answer: Answer) -> int:
    """How many citations quote at least one of the case's key facts or evidence strings."""
    return sum(cites_gold(case, c.quote) for c in answer.citations)


def cites_gold(case: GoldCase, quote: str) -> bool:
    """Whether ``quote`` holds one of the case's key facts or evidence strings (a right
    citation, as citation precision counts it)."""
    quoted = quote.lower()
    return any(n.lower() in quoted for n in (*case.key_facts, *case.evidence))


def score_case(case: GoldCase, answer: Answer, *, k: int, latency_ms: float) -> CaseResult:
    """The per-question metrics of ``answer`` to ``case``."""
    return CaseResult(
        case=case,
        answer=answer,
        latency_ms=latency_ms,
        key_fact_recall=key_fact_recall(case, answer) if case.answerable else None,
        evidence_recall=evidence_recall(case, answer.retrieved, k=k) if case.answerable else None,
        citation_hits=citation_hits(case, answer) if case.answerable else 0,
        citations=len(answer.citations) if case.answerable else 0,
        refusal_correct=answer.refused == (not case.answerable),
    )


def summarise(results: Sequence[CaseResult]) -> dict[str, float]:
    """The aggregate metrics of ``results`` (see the module docstring of the CLI ``eval``)."""
    answerable = [r for r in results if r.case.answerable]
    cited = sum(r.citations for r in answerable)
    latencies = [r.latency_ms for r in results]
    return {
        "key_fact_recall": _mean([r.key_fact_recall or 0.0 for r in answerable]),
        "evidence_recall_at_k": _mean([r.evidence_recall or 0.0 for r in answerable]),
        "citation_precision": sum(r.citation_hits for r in answerable) / cited if cited else 0.0,
        "refusal_accuracy": _mean([1.0 if r.refusal_correct else 0.0 for r in results]),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "n": len(results),
        "answerable_refused": sum(r.answer.refused for r in answerable),
        "unanswerable_answered": sum(
            not r.case.answerable and not r.answer.refused for r in results
        ),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` by linear interpolation (0.0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


Ask = Callable[..., Answer]


def evaluate(ask: Ask, cases: Sequence[GoldCase], *, k: int, warm_up: bool = True) -> EvalReport:
    """Ask every case through ``ask(question, k=k)`` (e.g. ``Assistant.ask``) and score it; a
    follow-up is asked in its chat: each earlier question asked and answered first (untimed),
    then the follow-up with ``history=`` those turns.

    ``warm_up`` asks the first question once, untimed, so loading the models is not counted.
    """
    if warm_up and cases:
        ask(cases[0].question, k=k)
    results = []
    for case in cases:
        turns: list[dict[str, str]] = []  # the chat so far: each earlier question and its answer
        for earlier in case.history:
            reply = ask(earlier, k=k, **({"history": turns} if turns else {})).answer
            turns = [*turns, {"role": "user", "content": earlier}]  # a new list: ask may keep it
            turns.append({"role": "assistant", "content": reply})
        began = time.perf_counter()
        answer = ask(case.question, k=k, **({"history": turns} if turns else {}))
        latency = (time.perf_counter() - began) * 1000
        results.append(score_case(case, answer, k=k, latency_ms=latency))
        logger.debug("%s refused=%s %.0f ms", case.id, answer.refused, latency)
    return EvalReport(results=results, k=k, metrics=summarise(results))


def _case_json(result: CaseResult) -> dict[str, Any]:
    return {
        "id": result.case.id,
        "question": result.case.question,
        "history": list(result.case.history),
        "answerable": result.case.answerable,
        "refused": result.answer.refused,
        "refusal_correct": result.refusal_correct,
        "key_fact_recall": result.key_fact_recall,
        "evidence_recall": result.evidence_recall,
        "citation_hits": result.citation_hits,
        "citations": result.citations,
        "latency_ms": round(result.latency_ms, 2),
        "answer": result.answer.answer,
        "quotes": [c.quote for c in result.answer.citations],
    }
