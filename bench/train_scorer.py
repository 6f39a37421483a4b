"""Fit the extractive answerer's scorer: logistic regression on the dev gold sets and on questions
generated from the articles themselves; calibrate the refusal threshold; write scorer.json.

    .venv/bin/python bench/train_scorer.py                      # Lee corpus + data/articles
    .venv/bin/python bench/train_scorer.py --articles my/news   # also questions from your own

It builds (once) a store of the Lee corpus and the sample articles in build/train/store, asks
the real retriever for every question, computes the answerer's own feature rows for the
candidate sentences and labels them: a sentence answers when it holds a key fact (gold sets)
or the replaced answer of a generated question. Unanswerable questions (gold, near misses,
opposites) label every sentence negative. Never give it the test split.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.extractive import ExtractiveAnswerer, feature_rows, passage_names  # noqa: E402
from assistant.answering.features import FEATURES, Sentence, prefilter, sentences  # noqa: E402
from assistant.answering.questions import analyse, split_question  # noqa: E402
from assistant.answering.scorer import WEIGHTS, Scorer  # noqa: E402
from assistant.answering.terms import names_in  # noqa: E402
from assistant.answering.training import Generated, questions_from_text  # noqa: E402
from assistant.evaluation.metrics import load_gold  # noqa: E402
from assistant.factory import make_retriever, open_store  # noqa: E402
from assistant.retrieval.embeddings import embed_texts, embed_tokens  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402
from bench.lee_corpus import build_store, lee_articles  # noqa: E402
from bench.scorer_fit import fit as _fit  # noqa: E402
from ingest.loaders import load_sources  # noqa: E402

DEV = sorted((ROOT / "data" / "gold" / "dev").glob("*.jsonl"))


@dataclass
class Item:
    """One training question: its candidates' feature rows and what a right answer holds."""

    question: str
    answerable: bool
    facts: tuple[str, ...]  # a right answer holds these (key facts or the replaced answer)
    rows: list[list[float]]
    labels: list[int]  # 1 answers, 0 does not, -1 unknown (holds the answer, other sentence)
    texts: list[str]  # candidate sentence + the next one (what choosing it would show)
    source: str  # "dev" or "generated"
    plural: bool  # asks for several
    group: str  # article (generated) or gold set (dev), for the held-out check


def main() -> int:
    args = _parse()
    if args.reuse:
        items = pickle.loads(args.reuse.read_bytes())
        args.out.write_text(json.dumps(_fit(items, args), indent=1) + "\n", encoding="utf-8")
        return 0
    settings = Settings(store=args.store)
    if not args.store.exists():
        print(build_store(settings))
    store = open_store(settings)
    retriever = make_retriever(settings, store)
    answerer = ExtractiveAnswerer(store.embeddings, scorer=_blank())
    generated = list(_generate(args))
    _warm(store.embeddings, args)
    print(f"{len(generated)} generated questions; dev gold: {[p.name for p in args.gold]}")
    began = time.perf_counter()
    items = [*_dev_items(args.gold, retriever, answerer, settings.k)]
    items += [i for g in generated if (i := _item(g, retriever, answerer, settings.k))]
    print(f"features of {len(items)} questions in {time.perf_counter() - began:.0f} s")
    if args.keep:
        args.keep.write_bytes(pickle.dumps(items))
    weights = _fit(items, args)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "build" / "train" / "store")
    parser.add_argument("--articles", type=Path, action="append", default=[])
    parser.add_argument("--gold", type=Path, action="append", default=None)
    parser.add_argument("--questions", type=int, default=1200, help="generated questions")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--keep", type=Path, help="save the feature rows here (pickle)")
    parser.add_argument("--reuse", type=Path, help="refit from rows saved with --keep")
    args = parser.parse_args()
    args.gold = args.gold or DEV
    if any("test" in p.parts for p in args.gold):
        parser.error("the test split is never trained on; give dev gold sets only")
    return args


def _blank() -> Scorer:
    zeros = np.zeros(len(FEATURES))
    return Scorer(coef=zeros, intercept=0.0, threshold=0.5, margin=0.0, list_margin=0.0)


def _generate(args: argparse.Namespace) -> list[Generated]:
    """Questions from the Lee corpus, data/articles and ``--articles``, shuffled, capped."""
    rng = random.Random(args.seed)
    texts = [(a.article_id, a.text) for a in lee_articles()]
    sources = [ROOT / "data" / "articles", *args.articles]
    texts += [
        (a.article_id, a.text)
        for a in load_sources(sources, max_bytes=10_000_000)
        if hasattr(a, "text")
    ]
    names = sorted({n for _, t in texts for n in names_in(t) if " " in n})
    out: list[Generated] = []
    for article_id, text in texts:
        for g in questions_from_text(text, rng=rng, other_names=names):
            out.append(
                Generated(g.question, g.answer, f"{article_id}\t{g.source}", g.answerable, g.style)
            )
    rng.shuffle(out)
    return out[: args.questions]


def _warm(embeddings, args: argparse.Namespace) -> None:
    """Embed every sentence of the articles in large batches (much faster than one question's
    few at a time); the answerer then finds them in the shared cache."""
    texts = [a.text for a in lee_articles()]
    sources = [ROOT / "data" / "articles", *args.articles]
    texts += [a.text for a in load_sources(sources, max_bytes=10_000_000) if hasattr(a, "text")]
    found = list(dict.fromkeys(t[a:b] for t in texts for a, b in sentence_spans(t)))
    for start in range(0, len(found), 512):
        if embed_tokens(embeddings, found[start : start + 512]) is None:  # fills both caches
            embed_texts(embeddings, found[start : start + 512])
    print(f"embedded {len(found)} sentences")


def _candidates(question: str, retriever, answerer: ExtractiveAnswerer, k: int):
    """What the answerer sees: each part's top sentences of the passages retrieved for the
    whole question (as the chain does), their feature rows and the text choosing one shows."""
    rows, texts = [], []
    passages = retriever.retrieve(question, k=k)
    names = passage_names(passages)
    for part in split_question(question):
        q = analyse(part, names=names)
        found = sorted(sentences(passages), key=lambda s: -prefilter(q, s))
        found = found[: answerer.max_embedded]
        if not found:
            continue
        rows += feature_rows(q, found, *answerer.similarities(part, found))
        texts += [_shown(s) for s in found]
    return rows, texts


def _shown(sentence: Sentence) -> str:
    return f"{sentence.text}\n{sentence.following}"


def _dev_items(paths, retriever, answerer, k: int):
    for path in paths:
        for case in load_gold(path):
            rows, texts = _candidates(case.question, retriever, answerer, k)
            facts = tuple(f.lower() for f in case.key_facts)
            labels = [
                int(case.answerable and any(f in t.split("\n")[0].lower() for f in facts))
                for t in texts
            ]
            yield Item(
                case.question,
                case.answerable,
                facts,
                rows,
                labels,
                texts,
                "dev",
                _plural(case.question),
                path.stem,
            )


def _item(g: Generated, retriever, answerer, k: int) -> Item | None:
    rows, texts = _candidates(g.question, retriever, answerer, k)
    if not rows:
        return None
    article, source = g.source.split("\t", 1)
    labels = []
    for text in texts:
        own = text.split("\n")[0]
        if not g.answerable:
            labels.append(0)
        elif own in source or source in own:
            labels.append(1)
        else:
            labels.append(-1 if g.answer.lower() in own.lower() else 0)
    facts = (g.answer.lower(),) if g.answerable else ()
    return Item(
        g.question,
        g.answerable,
        facts,
        rows,
        labels,
        texts,
        "generated",
        _plural(g.question),
        article,
    )


def _plural(question: str) -> bool:
    return any(analyse(part).plural for part in split_question(question))


if __name__ == "__main__":
    raise SystemExit(main())
