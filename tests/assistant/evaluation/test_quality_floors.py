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
# Regression floors a little under what the default answerer, the trained reader (5 trained
# layers, shipped in session 31), scores on this store (key facts / citation precision /
# refusals: test 0.749 / 0.753 / 0.834; fresh 0.642 / 0.704 / 0.832; blind 0.792 / 0.864 /
# 0.812; measured on this very store, look 22/20/17 in data/gold/test/README.md). Issue 18 asks
# for 0.85 (goal 0.9); the reader does not reach it yet, so these are lower. The README's test
# table is the run with the 365 Wikinews articles in the store too (more distractors: slightly
# lower figures).
FLOORS = {"key_fact_recall": 0.72, "citation_precision": 0.72, "refusal_accuracy": 0.80}
SET_SIZES = {"fresh": 196, "blind": 160}
SET_FLOORS = {
    "fresh": {"key_fact_recall": 0.61, "citation_precision": 0.67, "refusal_accuracy": 0.80},
    "blind": {"key_fact_recall": 0.76, "citation_precision": 0.83, "refusal_accuracy": 0.78},
}


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
def set_reports() -> dict[str, EvalReport]:
    """Reports of the other held-out sets, each computed once (filled by the test below)."""
    return {}


@pytest.mark.parametrize(
    ("gold", "metric"), [(gold, metric) for gold in SET_FLOORS for metric in SET_FLOORS[gold]]
)
def test_other_held_out_sets_stay_above_their_floors(
    test_settings: Settings, set_reports: dict[str, EvalReport], gold: str, metric: str
) -> None:
    """fresh.jsonl (Lee articles no other gold set uses) and blind.jsonl (lee.cor and the
    unused Lee articles, written after the previous answerer change)."""
    if gold not in set_reports:
        cases = load_gold(TEST_SPLIT / f"{gold}.jsonl")
        set_reports[gold] = evaluate(Assistant.from_settings(test_settings).ask, cases, k=5)
    report = set_reports[gold]
    assert len(report.results) == SET_SIZES[gold]  # a cut-down gold file is no pass
    assert report.metrics[metric] >= SET_FLOORS[gold][metric], report.metrics
