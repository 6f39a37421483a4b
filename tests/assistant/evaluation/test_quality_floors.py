"""The floors CI holds the answerer to on the held-out test split (data/gold/test).

The test store is what `make eval` builds: the Lee corpus and data/articles (bench/lee_corpus.py),
the 50 articles of gensim's lee.cor (`--corpus test`) and data/gold/test/articles, built once for
this module. The figures themselves are in the
README's Evaluation section (`make eval`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from assistant import Assistant, Settings
from assistant.evaluation.metrics import EvalReport, evaluate, load_gold
from assistant.factory import open_store
from bench.lee_corpus import build_store
from tests.conftest import ROOT, ingest
from tests.requirements import require_lee_corpus

TEST_SPLIT = ROOT / "data" / "gold" / "test"
# Regression floors a little under what the answerer scores today (README: test 0.653, 0.657,
# 0.758; fresh 0.547, 0.587, 0.770). Issue 10 asks for 0.85 (goal 0.9); the answerer does not
# reach it yet, so these are lower.
FLOORS = {"key_fact_recall": 0.6, "citation_precision": 0.6, "refusal_accuracy": 0.7}
FRESH_FLOORS = {"key_fact_recall": 0.5, "citation_precision": 0.55, "refusal_accuracy": 0.7}


@pytest.fixture(scope="module")
def test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    require_lee_corpus()
    directory = tmp_path_factory.mktemp("test-split-store")
    settings = Settings(store=directory)
    build_store(settings, progress=False)
    build_store(settings, progress=False, corpus="test")
    ingest([TEST_SPLIT / "articles"], open_store(settings), settings)
    yield settings
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def test_report(test_settings: Settings) -> EvalReport:
    cases = [*load_gold(TEST_SPLIT / "lee.jsonl"), *load_gold(TEST_SPLIT / "styles.jsonl")]
    return evaluate(Assistant.from_settings(test_settings).ask, cases, k=5)


def test_the_test_split_is_the_size_the_issue_asks_for(test_report: EvalReport) -> None:
    cases = [r.case for r in test_report.results]
    assert len(cases) >= 120
    assert 0.2 <= sum(not c.answerable for c in cases) / len(cases) <= 0.3


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_held_out_quality_stays_above_the_floor(test_report: EvalReport, metric: str) -> None:
    assert test_report.metrics[metric] >= FLOORS[metric], test_report.metrics


@pytest.fixture(scope="module")
def fresh_report(test_settings: Settings) -> EvalReport:
    """The second held-out set (fresh.jsonl: Lee articles no other gold set uses)."""
    cases = load_gold(TEST_SPLIT / "fresh.jsonl")
    return evaluate(Assistant.from_settings(test_settings).ask, cases, k=5)


@pytest.mark.parametrize("metric", sorted(FRESH_FLOORS))
def test_fresh_held_out_quality_stays_above_the_floor(
    fresh_report: EvalReport, metric: str
) -> None:
    assert len(fresh_report.results) >= 120
    assert fresh_report.metrics[metric] >= FRESH_FLOORS[metric], fresh_report.metrics
