"""bench/withheld.py (the answering sentence is taken out, its neighbours stay) and how
bench/answerers.py chooses and labels readers with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.models import Passage
from bench.withheld import withhold


def test_only_the_sentences_holding_the_answer_are_taken_out() -> None:
    text = (
        "The harbour ferry strike entered its third day. "
        "The union said   400 crew members walked off on Monday. "
        "Commuters queued for buses instead."
    )
    passage = Passage(chunk_id="c", article_id="a", text=text, score=1.0)
    held = withhold(passage, ["400 crew members"])
    assert held.text == (
        "The harbour ferry strike entered its third day. Commuters queued for buses instead."
    )
    assert held.chunk_id == "c"  # the rest of the passage is as it was
    assert withhold(passage, ["no such words"]).text == text  # nothing holds it: all kept


class _Retriever:
    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages

    def retrieve(self, question: str) -> list[Passage]:
        return self.passages


class _Assistant:
    def __init__(self, passages: list[Passage]) -> None:
        self.retriever = _Retriever(passages)


class _Answerer:
    """Answers when a passage still says how many walked off (a stand-in for a reader that
    reads: the plumbing is what is tested here)."""

    def answer(self, question: str, passages: list[Passage]):
        from types import SimpleNamespace

        return SimpleNamespace(refused=not any("400" in p.text for p in passages))


def test_withheld_cases_take_out_the_answer_and_count_what_is_still_answered() -> None:
    from assistant.evaluation.metrics import GoldCase
    from bench.withheld import answered_withheld, withheld_cases

    strike = Passage(
        chunk_id="c",
        article_id="a",
        text="The union said 400 crew members walked off. Commuters queued for buses.",
        score=1.0,
    )
    only = Passage(chunk_id="d", article_id="b", text="400 crew members.", score=0.5)
    cases = [
        GoldCase("1", "how many walked off", True, ("400 crew members",)),
        GoldCase("2", "who queued", True, ("commuters queued",)),
        GoldCase("3", "what did the mayor say", False),
    ]
    rows = withheld_cases(_Assistant([strike, only]), cases)  # type: ignore[arg-type]
    assert [question for question, _, _ in rows] == ["how many walked off", "who queued"]
    _, passages, held = rows[0]
    assert passages == [strike, only]
    assert [p.text for p in held] == ["Commuters queued for buses."]  # the emptied one dropped
    # without its answer the first is refused; the second still has "400" beside it: answered
    assert answered_withheld(_Answerer(), rows) == 1


def test_the_dev_choice_counts_withheld_refusals_only_when_asked_to(tmp_path) -> None:
    """``bench/answerers.py --write`` picks the setting with the best mean of the three figures;
    the share of withheld questions refused is averaged in only with ``--withheld-objective``."""
    import json
    import shutil

    from safetensors import safe_open

    from assistant.answering.reader.model import WEIGHTS
    from bench.answerers import write_best

    def row(answerer: str, figures: float, withheld: float | None) -> dict:
        measured = dict.fromkeys(
            ("key_fact_recall", "citation_precision", "refusal_accuracy"), figures
        )
        return {"answerer": answerer, **measured} | (
            {} if withheld is None else {"withheld_refused": withheld}
        )

    settings = {"reader @ 0.005": (0.005, 0.01, 0.05), "reader @ 0.1": (0.1, 0.02, 0.1)}

    def chosen(rows: list[dict], withheld: bool = False) -> dict:
        target = tmp_path / "reader.safetensors"
        shutil.copy(WEIGHTS, target)
        write_best(rows, settings, target, withheld=withheld)
        with safe_open(str(target), framework="pt") as handle:
            return json.loads(handle.metadata()["newsdesk"])

    eager = chosen([row("reader @ 0.005", 0.85, None), row("reader @ 0.1", 0.82, None)])
    assert eager["calibration"]["threshold"] == 0.005
    assert not eager["decision_chosen_on"].endswith("--withheld")
    # answering less costs 0.03 on each figure and refuses 0.3 more withheld questions:
    # reported beside the three figures, the withheld share does not move the choice ...
    rows = [row("reader @ 0.005", 0.85, 0.3), row("reader @ 0.1", 0.82, 0.6)]
    assert chosen(rows)["calibration"]["threshold"] == 0.005
    # ... averaged in (--withheld-objective), it does
    strict = chosen(rows, withheld=True)
    assert strict["calibration"]["threshold"] == 0.1
    assert strict["calibration"]["margin"] == 0.02
    assert strict["decision_chosen_on"].endswith("--withheld --withheld-objective")


def test_the_dev_choice_can_count_one_set_and_report_the_others(tmp_path) -> None:
    """``--choose-on 'wikinews fold 0'``: the mean that chooses is fold 0's alone, however the
    small sets vote; without it every set counts equally."""
    import json
    import shutil

    from safetensors import safe_open

    from assistant.answering.reader.model import WEIGHTS
    from bench.answerers import write_best

    def row(dev_set: str, answerer: str, figure: float) -> dict:
        figures = ("key_fact_recall", "citation_precision", "refusal_accuracy")
        return {"set": dev_set, "answerer": answerer, **dict.fromkeys(figures, figure)}

    settings = {"reader @ 0.01": (0.01, 0.01, 0.05), "reader @ 0.05": (0.05, 0.02, 0.1)}
    # seed prefers 0.05 by 0.10; fold 0 prefers 0.01 by 0.02
    rows = [
        row("seed", "reader @ 0.01", 0.85),
        row("seed", "reader @ 0.05", 0.95),
        row("wikinews fold 0", "reader @ 0.01", 0.74),
        row("wikinews fold 0", "reader @ 0.05", 0.72),
    ]

    def chosen(**options) -> dict:
        target = tmp_path / "reader.safetensors"
        shutil.copy(WEIGHTS, target)
        write_best(rows, settings, target, "dev+fold0", **options)
        with safe_open(str(target), framework="pt") as handle:
            return json.loads(handle.metadata()["newsdesk"])

    assert chosen()["calibration"]["threshold"] == 0.05
    on_fold0 = chosen(choose_on=["wikinews fold 0"])
    assert on_fold0["calibration"]["threshold"] == 0.01
    assert "--choose-on 'wikinews fold 0'" in on_fold0["decision_chosen_on"]
    # a floor on seed leaves out 0.01 (seed 0.85 < 0.9): fold 0's best that keeps it is 0.05
    kept = chosen(choose_on=["wikinews fold 0"], floors=["seed:key_fact_recall=0.9"])
    assert kept["calibration"]["threshold"] == 0.05
    assert "--floor seed:key_fact_recall=0.9" in kept["decision_chosen_on"]
    with pytest.raises(SystemExit, match="no setting keeps the floors"):
        chosen(floors=["seed:key_fact_recall=0.99"])


def test_choose_on_names_a_set_of_the_split() -> None:
    """A prefix that matches no set of the split is an error naming the sets, before any work."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]

    def refused(*options: str) -> str:
        """``bench/answerers.py --split dev --write OPTIONS``: exit 2 before any work; stderr."""
        run = subprocess.run(
            [
                sys.executable,
                str(root / "bench/answerers.py"),
                "--split",
                "dev",
                "--write",
                *options,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 2
        return run.stderr

    stderr = refused("--choose-on", "wikinews fold 0")
    assert "'wikinews fold 0': no set of --split dev is named so" in stderr
    assert "'paraphrase'" in stderr
    assert "no metric 'key_fact_recal'" in refused("--floor", "seed:key_fact_recal=0.93")


def test_readers_compared_in_one_run_get_labels_that_tell_them_apart() -> None:
    from bench.answerers import reader_label

    one = Path("assistant/answering/reader/reader.safetensors")
    other = Path("build/reader/reader.safetensors")
    mine = Path("build/reader/mine.safetensors")
    assert reader_label(one, [one]) == "reader"
    assert reader_label(mine, [one, mine]) == "reader mine.safetensors"
    assert reader_label(one, [one, other, mine]) == f"reader {one}"
    assert reader_label(other, [one, other, mine]) == f"reader {other}"


def test_the_fold_0_dev_set_is_the_training_questions_no_weights_learn_from() -> None:
    """``bench/answerers.py``'s fold-0 dev set: training questions on fold-0 articles only (which
    calibrate the reader, never train it), none on an article held out for the test sets."""
    from assistant.answering.reader.examples import fold_of, load_questions
    from bench.answerers import fold0_cases

    articles = {q.id: q.article for q in load_questions(Path("data/train/questions.jsonl"))}
    cases = fold0_cases()
    judge = Path("data/gold/test/wikinews.jsonl").read_text().splitlines()
    held = {json.loads(line)["article"] for line in judge if line.strip()}
    assert 2500 < len(cases) < len(articles) / 3  # about a fifth of the questions
    assert all(fold_of(articles[case.id]) == 0 for case in cases)
    assert len(held) == 60
    assert not {articles[case.id] for case in cases} & held
    answerable = [case for case in cases if case.answerable]
    assert 0.5 < len(answerable) / len(cases) < 0.7
    for case in answerable:  # the answer spans are key facts, stated by the evidence
        assert case.key_facts and case.evidence
        assert any(fact in sentence for fact in case.key_facts for sentence in case.evidence)
    assert all(not case.key_facts for case in cases if not case.answerable)
