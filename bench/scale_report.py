"""bench/scale.py's report: scale.json, a log-log figure scale.png and a Markdown table.

write_report(rows, embed_rate=80.0, out=Path("build/bench"))
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

COLUMNS = [
    ("size", "chunks", "{:,}"),
    ("backend", "store", "{}"),
    ("ingest_seconds", "ingest s", "{:.1f}"),
    ("ingest_reingest_seconds", "unchanged re-ingest s", "{:.2f}"),
    ("ingest_bm25_build_seconds", "BM25 build s", "{:.2f}"),
    ("store_mb", "disk MB", "{:.0f}"),
    ("ask_peak_rss_mb", "ask RSS MB", "{:.0f}"),
    ("first_question_seconds", "first question s", "{:.1f}"),
    ("first_question_model_load_seconds", "of which model import+load s", "{:.1f}"),
    ("ask_p50_ms", "ask p50 ms", "{:.0f}"),
    ("ask_p95_ms", "ask p95 ms", "{:.0f}"),
    ("retrieve_p50_ms", "retrieve p50 ms", "{:.1f}"),
    ("ask_source_filter_p50_ms", "sources filter p50 ms", "{:.0f}"),
    ("ask_date_filter_p50_ms", "date filter p50 ms", "{:.0f}"),
    ("dense_recall_at_5", "dense recall@5", "{:.3f}"),
    ("load_average", "load avg", "{:.1f}"),
]


def write_report(rows: Sequence[dict[str, Any]], *, embed_rate: float, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {_cores()} cores",
        "encoder_chunks_per_second": embed_rate,
        "rows": list(rows),
    }
    (out / "scale.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "scale.md").write_text(markdown_table(rows), encoding="utf-8")
    plot(rows, out / "scale.png")
    print(markdown_table(rows))


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |"]
    lines.append("|" + "---|" * len(COLUMNS))
    for row in rows:
        cells = [_cell(row, key, fmt) for key, _, fmt in COLUMNS]
        if row.get("ingest_estimated"):
            cells[2] += " (est.)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(row: dict[str, Any], key: str, fmt: str) -> str:
    value = row.get(key)
    return "-" if value is None else fmt.format(value)


PANELS = [
    ("Ingest (s)", ["ingest_seconds", "ingest_reingest_seconds", "ingest_bm25_build_seconds"]),
    (
        "Latency (ms): ask (extractive answer) and retrieval alone",
        [
            "ask_p50_ms",
            "ask_p95_ms",
            "ask_source_filter_p50_ms",
            "ask_date_filter_p50_ms",
            "retrieve_p50_ms",
        ],
    ),
    ("Size (MB)", ["store_mb", "ask_peak_rss_mb", "ingest_peak_rss_mb"]),
    (
        "First question after restart (s)",
        ["first_question_seconds", "first_question_model_load_seconds"],
    ),
]


def plot(rows: Sequence[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    for axis, (title, keys) in zip(axes.flat, PANELS, strict=True):
        for backend, style in (("embedded", "-o"), ("server", "s")):
            chosen = [r for r in rows if r["backend"] == backend]
            for number, key in enumerate(keys):
                points = [(r["size"], r[key]) for r in chosen if r.get(key)]
                if points:
                    xs, ys = zip(*points, strict=True)
                    label = key if backend == "embedded" else f"{key} (chroma run)"
                    axis.plot(
                        xs,
                        ys,
                        style,
                        color=f"C{number}",
                        label=label,
                        fillstyle="none" if backend == "server" else "full",
                    )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(title)
        axis.set_xlabel("chunks in the store")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle("newsdesk at scale (bench/scale.py)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))
