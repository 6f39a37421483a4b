"""The evaluation report: JSON, a Markdown table and a PNG plot of an ``EvalReport``.

write_report(evaluate(assistant.ask, cases, k=5), Path("eval-out"))
# eval-out/report.json, eval-out/report.md, eval-out/report.png
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..models import Answer
from .metrics import METRICS, QUALITY_METRICS, EvalReport, GoldCase, key_fact_recall


def write_report(report: EvalReport, out: Path) -> list[Path]:
    """Write ``report.json``, ``report.md`` and ``report.png`` into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.png"]
    paths[0].write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    paths[1].write_text(render_markdown(report), encoding="utf-8")
    draw_report(report, paths[2])
    return paths


def render_markdown(report: EvalReport) -> str:
    """The metrics, then one row per question with its metrics, answer and citations."""
    lines = ["# newsdesk evaluation", "", "| metric | value |", "|---|---|"]
    lines += [f"| {name} | {_fmt(report.metrics[name])} |" for name in METRICS]
    lines += [
        "",
        f"Evidence is looked for in the top {report.k} retrieved chunks.",
        "",
        "| id | question | answerable | refused | key facts | evidence | citations ok | ms |"
        " answer | citations |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.results:
        quotes = "<br>".join(f"[{c.n}] {c.quote}" for c in r.answer.citations)
        lines.append(
            f"| {r.case.id} | {_cell(_asked(r.case))} | {r.case.answerable} | {r.answer.refused}"
            f" | {_fmt(r.key_fact_recall)} | {_fmt(r.evidence_recall)}"
            f" | {r.citation_hits}/{r.citations} | {r.latency_ms:.0f}"
            f" | {_cell(r.answer.answer)} | {_cell(quotes)} |"
        )
    return "\n".join(lines) + "\n"


def coverage_curve(
    cases: Sequence[GoldCase], answers: Sequence[Answer], *, steps: int = 41
) -> list[tuple[float, float, float]]:
    """Share answered and share of the answered that are right as the refusal threshold
    moves from 0 to 1, from answers given with no threshold (each with its ``confidence``).

    Right: an answerable question whose answer holds every key fact; an unanswerable question
    answered is wrong.
    """
    scored = [
        (answer.confidence or 0.0, case.answerable and key_fact_recall(case, answer) >= 1.0)
        for case, answer in zip(cases, answers, strict=True)
    ]
    curve = []
    for step in range(steps):
        threshold = step / (steps - 1)
        answered = [right for confidence, right in scored if confidence >= threshold]
        share = len(answered) / len(scored) if scored else 0.0
        curve.append((threshold, share, sum(answered) / len(answered) if answered else 1.0))
    return curve


def draw_report(report: EvalReport, path: Path) -> None:
    """A PNG with the quality metrics as bars and the latency distribution as a histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = 3 if report.coverage else 2
    figure, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4))
    bars, hist = axes[0], axes[1]
    values = [report.metrics[name] for name in QUALITY_METRICS]
    bars.barh(list(QUALITY_METRICS), values, color="#4477aa")
    bars.axvline(0.9, color="#cc6677", linestyle="--", label="target 0.9")
    bars.set_xlim(0, 1)
    bars.set_title(f"quality (n={report.metrics['n']:.0f}, k={report.k})")
    bars.legend(loc="lower right")
    for y, value in enumerate(values):
        bars.text(max(value - 0.02, 0.1), y, f"{value:.2f}", va="center", ha="right", color="white")
    hist.hist([r.latency_ms for r in report.results], bins=20, color="#228833")
    for q, style in ((50, "-"), (95, "--")):
        hist.axvline(
            report.metrics[f"latency_ms_p{q}"],
            color="black",
            linestyle=style,
            label=f"p{q} {report.metrics[f'latency_ms_p{q}']:.0f} ms",
        )
    hist.set_xlabel("ask latency (ms)")
    hist.set_title("latency")
    hist.legend()
    if report.coverage:
        _draw_coverage(axes[2], report.coverage)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _draw_coverage(axis: Any, curve: list[tuple[float, float, float]]) -> None:
    """Share answered against share of them right, as the refusal threshold moves."""
    shares = [share for _, share, _ in curve]
    right = [accuracy for _, _, accuracy in curve]
    axis.plot(shares, right, marker=".", color="#aa3377")
    for threshold, share, accuracy in curve[::8]:
        axis.annotate(f"{threshold:.1f}", (share, accuracy), fontsize=7)
    axis.set_xlabel("share of questions answered")
    axis.set_ylabel("share of answers right (all key facts)")
    axis.set_xlim(0, 1.02)
    axis.set_ylim(0, 1.02)
    axis.set_title("coverage and accuracy by refusal threshold")
    axis.grid(alpha=0.3)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if float(value).is_integer() and value > 1 else f"{value:.3f}"


def _asked(case: GoldCase) -> str:
    """The question as asked: a follow-up after its earlier questions."""
    return " / ".join((*case.history, case.question))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
