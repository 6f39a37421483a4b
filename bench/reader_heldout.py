"""Both answerers on the reader's held-out training fold, the way the chat reads an article.

Every question of fold 0 (``examples.fold_of``: the 60 training articles ``newsdesk train``
holds out, 2,520 questions) is asked against its own article split into the chunks ingest
makes; each answerer scores the candidate sentences as in the chat (the best 24 by the
features' matches). Printed per answerer: "best right" (answerable questions whose top sentence
states the answer) and the refusal AUC (how well the top sentence's probability separates
answerable from unanswerable questions). Never touches a test split::

    .venv/bin/python bench/reader_heldout.py            # ~10 min on 2 cores
    # -> build/reader/heldout.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.extractive import ExtractiveAnswerer, passage_names  # noqa: E402
from assistant.answering.questions import analyse  # noqa: E402
from assistant.answering.reader.examples import fold_of, load_questions, matching  # noqa: E402
from assistant.factory import make_embeddings, make_reader  # noqa: E402
from assistant.models import Article, Passage  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.reader_curve import NEWS, QUESTIONS, load_articles  # noqa: E402
from ingest.chunking import split_article  # noqa: E402


def article_passages(
    article_id: str, articles: dict[str, tuple[str, str]], chunk_chars: int
) -> list[Passage]:
    """The article split into the chunks ingest makes, as retrieved passages (the chat's view
    of one whole article)."""
    title, text = articles[article_id]
    article = Article(
        article_id=article_id, title=title, text=text, source="wikinews", content_hash=""
    )
    return [
        Passage(chunk_id=c.chunk_id, article_id=article_id, text=c.text, score=1.0, title=title)
        for c in split_article(article, max_chars=chunk_chars)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="questions (smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "reader" / "heldout.json")
    args = parser.parse_args()

    import numpy as np
    from sklearn.metrics import roc_auc_score
    from tqdm import tqdm

    articles = load_articles(NEWS)
    held = [q for q in load_questions(QUESTIONS) if fold_of(q.article) == 0]
    held = held[: args.limit or len(held)]
    settings = Settings()
    embeddings = make_embeddings(settings)
    reader = make_reader(embeddings, settings)
    answerers = {
        "feature scorer": ExtractiveAnswerer(embeddings),
        "reader": ExtractiveAnswerer(embeddings, reader=reader),
    }
    results: dict[str, dict[str, list]] = {n: {"top": [], "y": [], "p": []} for n in answerers}
    for q in tqdm(held, desc="fold 0 questions", unit="question"):
        passages = article_passages(q.article, articles, settings.chunk_chars)
        question = analyse(q.question, names=passage_names(passages))
        for name, answerer in answerers.items():
            scored = answerer.score(question, passages)
            best = scored[0] if scored else None
            results[name]["y"].append(q.answerable)
            results[name]["p"].append(best.probability if best else 0.0)
            if q.answerable:
                right = best is not None and bool(matching(q.sentences, [best.sentence.text]))
                results[name]["top"].append(right)
    report = {
        name: {
            "questions": len(r["y"]),
            "best_right": float(np.mean(r["top"])),
            "refusal_auc": float(roc_auc_score(r["y"], r["p"])),
        }
        for name, r in results.items()
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    for name, figures in report.items():
        print(f"{name:15} {json.dumps(figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
