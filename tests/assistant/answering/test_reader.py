"""The reader: its training pairs, one real training step on the bundled MiniLM, and the
shipped weights loading over it (CI never trains the full model)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.reader.examples import (
    LabelledQuestion,
    cross_article_negatives,
    load_questions,
    matching,
    pairs_for,
)
from assistant.answering.reader.model import (
    WEIGHTS,
    Calibration,
    Reader,
    dequantised,
    load_base,
    quantised,
    round_to_stored,
    save,
    set_decision,
)
from assistant.answering.reader.training import encode_pairs, predict, train
from assistant.errors import SourceError

SENTENCES = [
    "Fire destroyed 150 houses in Calder Bay on Monday.",
    "Twelve people were taken to hospital, the fire service said.",
    "The mayor thanked the volunteers who fought the blaze.",
    "Police arrested two men on Tuesday.",
    "The town's ferry kept running through the night.",
]
ANSWERABLE = LabelledQuestion(
    "q1", "how many homes burned in calder bay", "a", True, (SENTENCES[0],)
)
TWIN = LabelledQuestion(
    "q2", "how many homes burned in calder bay in 2004", "a", False, near=SENTENCES[0]
)


def test_the_named_sentences_are_the_positives_whitespace_aside() -> None:
    assert matching(["Fire destroyed 150  houses in Calder Bay on Monday."], SENTENCES) == {0}
    assert matching(["Police arrested two men"], SENTENCES) == {3}  # split differently
    assert matching(["Police"], SENTENCES) == set()  # a fragment is not the sentence


def test_a_label_the_splitter_cuts_otherwise_still_names_its_sentences() -> None:
    # One label spanning two splitter sentences marks both; a label inside a longer splitter
    # sentence (a quotation the splitter did not break) marks that sentence.
    assert matching([SENTENCES[1] + " " + SENTENCES[2]], SENTENCES) == {1, 2}
    joined = [SENTENCES[0] + " " + SENTENCES[1] + " " + SENTENCES[2], "Calder Bay"]
    assert matching([SENTENCES[1]], joined) == {0}
    # ...but a phrase is not a sentence, inside a label or holding one.
    assert matching([SENTENCES[0]], [SENTENCES[0], "Calder Bay"]) == {0}
    assert matching(["taken to hospital, the fire service said."], joined) == set()


def test_a_follow_up_trains_as_the_chat_asks_it_condensed_with_the_earlier_question(
    tmp_path: Path,
) -> None:
    lines = tmp_path / "questions.jsonl"
    lines.write_text(
        '{"id": "f1", "question": "and how many were hurt", "answerable": true, "article": "a", '
        '"answers": ["Twelve"], "sentences": ["Twelve people were taken to hospital."], '
        '"history": ["how many homes burned in calder bay"]}\n'
        '{"id": "f2", "question": "how many homes burned", "answerable": false, "article": "a"}\n'
    )
    follow_up, standalone = load_questions(lines)
    assert follow_up.question == "and how many were hurt (how many homes burned in calder bay)"
    assert standalone.question == "how many homes burned"
    lines.write_text(
        '{"id": "f", "question": "and why", "answerable": false, "article": "a", '
        '"history": "how many homes burned"}\n'
    )
    with pytest.raises(SourceError, match="history must be a list"):
        load_questions(lines)


def test_a_twin_is_paired_with_the_sentence_it_was_written_against_first() -> None:
    pairs = pairs_for(TWIN, "Fire", SENTENCES, negatives=2, rng=random.Random(1))
    assert [p.label for p in pairs] == [0, 0]
    assert pairs[0].sentence == SENTENCES[0]


def test_an_answerable_question_has_its_positive_and_the_hardest_negatives() -> None:
    pairs = pairs_for(ANSWERABLE, "Fire", SENTENCES, negatives=3, rng=random.Random(1))
    assert [p.label for p in pairs] == [1, 0, 0, 0]
    assert pairs_for(ANSWERABLE, "Fire", SENTENCES, negatives=None, rng=random.Random(1))[0].label


def test_other_articles_negatives_take_the_random_ones_places() -> None:
    other = [("Storm", "A storm cut power to 900 homes in Dunmore.")]
    pairs = pairs_for(ANSWERABLE, "Fire", SENTENCES, negatives=3, rng=random.Random(1), cross=other)
    assert [p.label for p in pairs] == [1, 0, 0, 0]  # still three negatives
    assert (pairs[-1].title, pairs[-1].sentence) == other[0]
    alone = pairs_for(ANSWERABLE, "Fire", SENTENCES, negatives=3, rng=random.Random(1))
    assert pairs[1] == alone[1]  # the hardest of its own article stays


def test_cross_article_negatives_are_like_the_question_but_never_its_answer() -> None:
    """The real embedding model: the sentences of the questions' other articles most like the
    question, but not one of its own article's, nor one that retells its answering sentence."""
    from assistant.retrieval.embeddings import SentenceEmbeddings

    retold = "Fire destroyed 150 houses in Calder Bay on Monday night."
    insurers = "Insurers expect claims from homeowners in Calder Bay to pass ten million dollars."
    articles = {
        "a": ("Fire", " ".join(SENTENCES)),
        "b": ("Calder Bay counts the cost", f"{retold} {insurers} The harbour festival was off."),
        "c": ("Football", "The club signed a new striker on Friday. Ticket prices will rise."),
    }
    elsewhere = [LabelledQuestion(f"q{n}", "who won", n, False) for n in ("b", "c", "d")]
    questions = [ANSWERABLE, TWIN, *elsewhere]  # "d" is no article: not in the pool
    embedder = SentenceEmbeddings()
    found = cross_article_negatives(
        questions,
        articles,
        lambda texts: np.asarray(embedder.embed_documents(texts)),
        per_question=2,
    )
    taken = [sentence for _, sentence in found[ANSWERABLE.id]]
    assert len(taken) == 2 and insurers in taken, taken
    assert retold not in taken and not set(taken) & set(SENTENCES)
    assert retold in [sentence for _, sentence in found[TWIN.id]]  # nothing answers a twin


def test_one_training_step_changes_the_scores_and_round_trips_through_the_file(
    tmp_path: Path,
) -> None:
    import torch

    torch.manual_seed(0)
    net, tokenizer = load_base()
    pairs = pairs_for(ANSWERABLE, "Fire", SENTENCES, negatives=None, rng=random.Random(1))
    data = encode_pairs(net, tokenizer, pairs, progress=False)
    before = predict(net, data)
    losses = train(net, data, epochs=1, batch=2, lr=1e-3, progress=False)
    after = predict(net, data)
    assert np.isfinite(losses[0]) and not np.allclose(before, after)
    path = tmp_path / "reader.safetensors"
    save(net, Calibration(1.0, 0.0, 0.5), path, trained_on=1)
    assert path.stat().st_size < 16 * 2**20
    reader = Reader.load(path, precision="fp32")
    loaded = reader.logits(ANSWERABLE.question, [("Fire", s) for s in SENTENCES])
    assert np.allclose(loaded, after, atol=0.05)  # int8 rows, bf16-free inference
    assert reader.calibration.side_gate  # the gate stays unless the decision turns it off
    set_decision(path, threshold=0.2, margin=0.05, list_margin=0.1, side_gate=False)
    decided = Reader.load(path, precision="fp32").calibration
    assert (decided.threshold, decided.side_gate, decided.scale) == (0.2, False, 1.0)
    round_to_stored(net)  # what training calibrates on is what the file holds
    rounded = predict(net, data)  # (its frozen layers' output cached in fp16: not exact)
    assert np.abs(loaded - rounded).max() < 0.01 <= np.abs(after - rounded).max() * 10


def test_the_file_stores_weight_matrices_as_int8_rows_so_six_trained_layers_fit() -> None:
    """Each trained matrix is int8 with a scale per row (every weight within half a step of
    its value); biases, norms and the head stay fp16; an all-fp16 file (written before) loads
    as it is. With every MiniLM layer trained the file is still under the issue's 16 MB."""
    import torch
    from safetensors.torch import save

    net, _ = load_base(frozen=0)
    state = net.trained_state()
    stored = quantised(state)
    name = "top.0.attention.self.query.weight"
    assert stored[name].dtype == torch.int8 and stored[f"{name}.scale"].shape == (384,)
    assert stored["top.0.attention.self.query.bias"].dtype == torch.float16
    assert stored["head.weight"].dtype == torch.float16
    back = dequantised(stored)
    assert set(back) == set(state)
    step = stored[f"{name}.scale"][:, None]
    assert bool(((back[name] - state[name]).abs() <= step / 2 + 1e-6).all())
    assert not torch.equal(back[name], state[name])  # really rounded
    half = {k: v.to(torch.float16) for k, v in state.items()}
    assert all(torch.equal(dequantised(half)[k], half[k].float()) for k in half)
    assert len(save(stored)) < 16 * 2**20 < len(save(half))


def test_the_shipped_reader_prefers_the_sentence_that_states_the_number_asked() -> None:
    if not WEIGHTS.exists():
        pytest.fail(f"{WEIGHTS} is missing: the shipped reader must be in the package")
    reader = Reader.load()
    candidates = [
        ("Fire", "Twelve people were taken to hospital, the fire service said."),
        ("Fire", "Fire destroyed 150 houses in Calder Bay on Monday."),
        ("Fire", "The mayor thanked the volunteers who fought the blaze."),
    ]
    probabilities = reader.probabilities(
        "how many homes were lost in the calder bay fire", candidates
    )
    assert int(np.argmax(probabilities)) == 1


@pytest.mark.parametrize(
    "options", [[], ["--frozen", "4", "--negatives", "2", "--withheld-loss", "0.5"]]
)
def test_newsdesk_train_fits_and_writes_a_reader_from_questions_and_articles(
    tmp_path: Path, options: list[str]
) -> None:
    """The real command on invented articles (two held out by ``fold_of``), one epoch; with
    ``--frozen 4`` the file holds two trained layers (the default: five) and loads as such,
    and the other options reach the file."""
    import json

    from assistant.answering.reader.examples import fold_of
    from assistant.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    paths = [folder / f"story{n}.txt" for n in range(60)]
    held = [p for p in paths if fold_of(str(p.resolve())) == 0][:2]
    kept = [p for p in paths if fold_of(str(p.resolve())) != 0][:3]
    rows = []
    for n, path in enumerate(held + kept):
        answer = SENTENCES[0].replace("150", str(100 + n))
        path.write_text(f"Story {n}\n\n" + " ".join([answer, *SENTENCES[1:]]))
        article = str(path.resolve())
        rows.append(
            {
                "id": f"s{n}",
                "question": ANSWERABLE.question,
                "article": article,
                "answerable": True,
                "sentences": [answer],
            }
        )
        rows.append(
            {
                "id": f"t{n}",
                "question": TWIN.question,
                "article": article,
                "answerable": False,
                "near": answer,
            }
        )
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "reader.safetensors"
    code = main(
        [
            "train",
            str(questions),
            "--articles",
            str(folder),
            "--out",
            str(out),
            "--epochs",
            "1",
            *options,
        ]
    )
    assert code == 0
    reader = Reader.load(out)
    frozen = 4 if options else 1
    assert reader.net.frozen == frozen and len(reader.net.top) == 6 - frozen
    from safetensors import safe_open

    with safe_open(str(out), framework="pt") as handle:
        meta = json.loads(handle.metadata()["newsdesk"])
    assert meta["negatives"] == (2 if options else 4)
    assert meta["withheld_loss"] == (0.5 if options else 0.0)
    assert 0.0 <= reader.calibration.threshold <= 1.0
    assert len(reader.logits("how many homes burned", [("Story", SENTENCES[0])])) == 1


def test_the_withheld_term_asks_the_null_above_an_answerable_questions_wrong_sentences() -> None:
    """``_listwise(withheld=w)``: for an answerable question, -log P(null) over its wrong
    sentences and the null is added with weight ``w``; near misses are unchanged by it."""
    import math

    import torch

    from assistant.answering.reader.training import Encoded, _listwise

    data = Encoded([], np.zeros(5, dtype=np.float32), ["a", "a", "a", "b", "b"])
    labels = torch.tensor([1.0, 0.0, 0.0, 0.0, 0.0])  # "a" answerable, "b" a near miss
    logits = torch.tensor([3.0, 1.0, 0.5, 0.2, -1.0])
    null = torch.tensor([0.0])
    ids = list(range(5))
    plain = _listwise(logits, labels, ids, data, null)
    held = _listwise(logits, labels, ids, data, null, withheld=0.5)
    expected = math.log(1 + math.exp(1.0) + math.exp(0.5))  # -log P(null | null, 1.0, 0.5)
    assert float(held - plain) == pytest.approx(0.5 * expected, rel=1e-5)
    # only the answerable question's wrong sentences count: moving the near miss's changes
    # both losses alike, moving a wrong sentence of "a" down shrinks the added term
    lower = torch.tensor([3.0, -2.0, 0.5, 0.2, -1.0])
    added = _listwise(lower, labels, ids, data, null, withheld=0.5) - _listwise(
        lower, labels, ids, data, null
    )
    assert float(added) < float(held - plain)
    nearby = torch.tensor([3.0, 1.0, 0.5, 2.0, -1.0])
    assert float(
        _listwise(nearby, labels, ids, data, null, withheld=0.5)
        - _listwise(nearby, labels, ids, data, null)
    ) == pytest.approx(float(held - plain), rel=1e-5)
