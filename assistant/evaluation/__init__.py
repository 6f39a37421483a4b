"""Evaluation: a gold Q&A set scored against the assistant (``metrics``), and its report."""

from .metrics import METRICS, QUALITY_METRICS, EvalReport, GoldCase, evaluate, load_gold
from .report import write_report

__all__ = [
    "METRICS",
    "QUALITY_METRICS",
    "EvalReport",
    "GoldCase",
    "evaluate",
    "load_gold",
    "write_report",
]
