"""Gold-set evaluation: metric functions on hand-made cases, reports, the CLI, and the seed set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Citation, Passage, Settings, SourceError
from assistant.cli import main
from assistant.evaluation.metrics import (
    METRICS,
    GoldCase,
    citation_hits,
    evaluate,
    evidence_recall,
    key_fact_recall,
    load_gold,
    percentile,
    score_case,
    summarise,
)
from assistant.evaluation.report import write_report
from tests.conftest import ROOT

SEED_GOLD = ROOT / "data" / "gold" / "dev" / "seed.jsonl"
LEE_GOLD = ROOT / "data" / "gold" / "dev" / "lee.jsonl"
# The regression guards: what each answerer scores on the seed set (see README). The feature
# scorer (NEWSDESK_READER=0) is fitted on all the dev sets (389 questions, 40 of them the
# seed's); its refusal threshold, chosen on all of them, answers 4 of the seed's 9 near misses
# (0.946 / 0.978 / 0.969 / 0.875 measured). The reader (the default) never trained on the seed
# article; only its threshold and margins were chosen on the dev sets (0.946 / 0.978 / 0.969 /
# 0.975 measured with the 4-trained-layer reader of session 26; 0.946 / 0.978 / 1.000 / 0.950
# with the 5-layer reader shipped in session 31, whose setting was chosen among those keeping
# these floors): its floors are the first figures less a question's worth.
THRESHOLDS = {
    "key_fact_recall": 0.9,
    "evidence_recall_at_k": 0.9,
    "citation_precision": 0.9,
    "refusal_accuracy": 0.85,
}
READER_THRESHOLDS = {
    "key_fact_recall": 0.93,
    "evidence_recall_at_k": 0.9,
    "citation_precision": 0.94,
    "refusal_accuracy": 0.94,
}


def _passage(chunk_id: str, text: str) -> Passage:
    return Passage(chunk_id=chunk_id, article_id="a", text=text, score=1.0)


def _answer(text: str, quotes: list[str], *, refused: bool = False) -> Answer:
    citations = [
        Citation(n=n, chunk_id="c", article_id="a", title="t", url=None, quote=q, start=0, end=1)
        for n, q in enumerate(quotes, start=1)
    ]
    return Answer(answer=text, refused=refused, citations=citations, retrieved=[])


CASE = GoldCase("q", "Who won and by how much?", True, ("Smith", "120 votes"), ("Smith won",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("SMITH won by 120 votes [1]", 1.0), ("Smith won [1]", 0.5), ("Jones won [1]", 0.0)],
)
def test_key_fact_recall_is_the_case_insensitive_share_of_facts_in_the_answer(
    text: str, expected: float
) -> None:
    assert key_fact_recall(CASE, _answer(text, [])) == expected


def test_evidence_recall_looks_only_at_the_top_k_passages() -> None:
    case = GoldCase("q", "?", True, ("x",), ("alpha beta", "gamma"))
    passages = [_passage("1", "Alpha Beta here."), _passage("2", "and gamma there")]
    assert evidence_recall(case, passages, k=2) == 1.0
    assert evidence_recall(case, passages, k=1) == 0.5


def test_citation_hits_count_quotes_holding_a_key_fact_or_evidence() -> None:
    answer = _answer("...", ["Smith won the seat.", "It rained.", "By 120 votes."])
    assert citation_hits(CASE, answer) == 2


def test_summary_pools_citations_and_scores_refusals_over_all_questions() -> None:
    unanswerable = GoldCase("u", "Who is the king?", False)
    results = [
        score_case(CASE, _answer("Smith won [1]", ["Smith won.", "noise"]), k=5, latency_ms=10),
        score_case(unanswerable, _answer("x [1]", ["x"]), k=5, latency_ms=30),
    ]
    metrics = summarise(results)
    assert set(metrics) == set(METRICS)
    assert metrics["key_fact_recall"] == 0.5
    assert metrics["citation_precision"] == 0.5  # unanswerable questions' citations not counted
    assert metrics["refusal_accuracy"] == 0.5
    assert metrics["latency_ms_p50"] == 20
    assert metrics["n"] == 2
    assert metrics["answerable_refused"] == 0 and metrics["unanswerable_answered"] == 1


def test_percentile_interpolates() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([5], 95) == 5
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not a gold case"),
        ('{"id": "x", "question": "q"}', "not a gold case"),
        ('{"id": "x", "question": "q", "answerable": true, "key_facts": []}', "no key_facts"),
        ('{"id": "x", "question": "q", "answerable": false, "history": "q0"}', "history must"),
        ('["a list", "not an object"]', "not a gold case"),
    ],
)
def test_a_bad_gold_line_names_the_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "ok", "question": "q", "answerable": false}\n' + line + "\n")
    with pytest.raises(SourceError, match=problem) as info:
        load_gold(gold)
    assert info.value.source == f"{gold}:2"


def test_a_follow_up_case_is_asked_in_its_chat(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"id": "a", "question": "who won", "answerable": false}\n'
        '{"id": "b", "question": "and by how much", "answerable": false, '
        '"history": ["who ran", "who won"]}\n'
    )
    asked = []

    def ask(question: str, *, k: int, history: list | None = None) -> Answer:
        asked.append((question, history))
        return _answer(f"answer to {question} [1]", [])

    report = evaluate(ask, load_gold(gold), k=3, warm_up=False)
    first = [{"role": "user", "content": "who ran"}, _reply("who ran")]
    turns = [*first, {"role": "user", "content": "who won"}, _reply("who won")]
    assert asked == [
        ("who won", None),
        ("who ran", None),  # the earlier questions asked and answered first, as in the chat
        ("who won", first),
        ("and by how much", turns),
    ]
    assert len(report.results) == 2  # the earlier questions are not scored
    assert report.to_json()["cases"][1]["history"] == ["who ran", "who won"]


def _reply(question: str) -> dict[str, str]:
    return {"role": "assistant", "content": f"answer to {question} [1]"}


@pytest.mark.parametrize("gold", [SEED_GOLD, LEE_GOLD])
def test_shipped_gold_sets_have_the_required_shape(gold: Path) -> None:
    cases = load_gold(gold)
    unanswerable = [c for c in cases if not c.answerable]
    assert len({c.id for c in cases}) == len(cases)
    assert len(cases) >= (25 if gold == SEED_GOLD else 40)
    assert len(unanswerable) >= (6 if gold == SEED_GOLD else 10)
    assert all(c.evidence for c in cases if c.answerable)


def test_seed_gold_evidence_is_quoted_verbatim_from_the_sample_article() -> None:
    text = (ROOT / "data" / "articles" / "iraq-militias-withdrawal.txt").read_text().lower()
    for case in load_gold(SEED_GOLD):
        for needle in (*case.key_facts, *case.evidence):
            assert needle.lower() in text, (case.id, needle)


@pytest.fixture(scope="module")
def seed_report(seed_settings: Settings):
    scorer = Assistant.from_settings(seed_settings, reader=False)
    return evaluate(scorer.ask, load_gold(SEED_GOLD), k=5)


@pytest.fixture(scope="module")
def seed_reader_report(seed_assistant: Assistant):
    return evaluate(seed_assistant.ask, load_gold(SEED_GOLD), k=5)


@pytest.mark.parametrize("metric", sorted(THRESHOLDS))
def test_seed_gold_set_meets_the_quality_threshold(seed_report, metric: str) -> None:
    assert seed_report.metrics[metric] >= THRESHOLDS[metric], seed_report.metrics


@pytest.mark.parametrize("metric", sorted(READER_THRESHOLDS))
def test_the_reader_meets_its_seed_floors(seed_reader_report, metric: str) -> None:
    assert seed_reader_report.metrics[metric] >= READER_THRESHOLDS[metric], (
        seed_reader_report.metrics
    )


def test_report_files_hold_the_metrics_a_row_per_question_and_a_png(
    seed_report, tmp_path: Path
) -> None:
    paths = write_report(seed_report, tmp_path / "out")
    data = json.loads(paths[0].read_text())
    assert set(METRICS) <= set(data) and len(data["cases"]) == seed_report.metrics["n"]
    markdown = paths[1].read_text()
    assert all(f"| {r.case.id} |" in markdown for r in seed_report.results)
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_eval_json_prints_exactly_the_metrics(
    seed_settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    gold = tmp_path / "two.jsonl"
    gold.write_text("\n".join(SEED_GOLD.read_text().splitlines()[:2]) + "\n")
    code = main(["--store", str(seed_settings.store), "eval", str(gold), "--json"])
    metrics = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(metrics) == set(METRICS)
    assert metrics["n"] == 2


def test_cli_eval_out_asks_a_follow_up_in_its_chat_also_for_the_coverage_plot(
    seed_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gold = tmp_path / "chat.jsonl"
    gold.write_text(
        '{"id": "f", "question": "And who welcomed it?", "answerable": true, '
        '"key_facts": ["national achievement"], "evidence": ["national achievement"], '
        '"history": ["Which groups reject the withdrawal?"]}\n'
    )
    asked: list[tuple[str, list]] = []
    ask = Assistant.ask

    def spy(self: Assistant, question: str, history: list | None = None, **kw: object) -> Answer:
        asked.append((question, list(history or [])))
        return ask(self, question, history, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Assistant, "ask", spy)
    assert (
        main(["--store", str(seed_settings.store), "eval", str(gold), "--out", str(tmp_path)]) == 0
    )
    follow_ups = [h for question, h in asked if question == "And who welcomed it?" and h]
    assert len(follow_ups) == 2  # the evaluation, then the coverage sweep (not the warm-up)
    assert all([t["role"] for t in h] == ["user", "assistant"] for h in follow_ups)
    assert ("And who welcomed it?", []) in asked[:1]  # the untimed warm-up only
    assert (
        "Which groups reject the withdrawal? / And who welcomed it?"
        in (tmp_path / "report.md").read_text()
    )
    assert json.loads((tmp_path / "report.json").read_text())["cases"][0]["history"]


def test_cli_eval_of_a_missing_gold_file_says_so(
    seed_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--store", str(seed_settings.store), "eval", "/nonexistent/gold.jsonl"])
    assert code == 1
    assert "cannot read the gold set" in capsys.readouterr().err
