"""Would the features help the reader? Stacking, measured on the reader's held-out fold.

Every question of fold 0 (``examples.fold_of``: the articles ``newsdesk train`` holds out) is
asked the chat's way against its own article's chunks: the best ``--cap`` sentences by the
features' matches, the gates applied. Each candidate keeps its feature row and the reader's
logit. Then, with 5-fold cross-validation by article inside fold 0, it compares:

- the reader alone (its logit picks the sentence and decides refusal);
- the features alone (a logistic regression on the feature row);
- a stack: a logistic regression, and boosted trees, on the logit and the feature row;
- a question-level verifier: boosted trees on the best and second-best scores, their gap,
  the number of candidates and the best candidate's feature row, for the refusal only.

Printed per model: best sentence right (answerable questions), refusal AUC and the best share
handled right over thresholds. The ``rank`` feature is left out (here it is the chunk's place in
the article, in the chat the retrieval rank). Never touches a test split::

    .venv/bin/python bench/reader_stack.py        # ~12 min on 2 cores (the candidates, cached)
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.features import FEATURES  # noqa: E402

CACHE = ROOT / "build" / "reader" / "fold0-candidates.pkl"


def candidates(cap: int, limit: int) -> list[dict]:
    """Fold 0's questions, each with its candidates' feature rows, gate verdicts, logits and
    labels (a candidate is right when it is one of the sentences the annotators named)."""
    from tqdm import tqdm

    from assistant.answering.extractive import ExtractiveAnswerer, feature_rows, passage_names
    from assistant.answering.features import eligible_all, prefilter, sentences
    from assistant.answering.questions import analyse
    from assistant.answering.reader.examples import fold_of, load_questions, matching
    from assistant.factory import make_embeddings, make_reader
    from assistant.settings import Settings
    from bench.reader_curve import NEWS, QUESTIONS, load_articles
    from bench.reader_heldout import article_passages

    articles = load_articles(NEWS)
    held = [q for q in load_questions(QUESTIONS) if fold_of(q.article) == 0]
    settings = Settings()
    embeddings = make_embeddings(settings)
    reader = make_reader(embeddings, settings)
    answerer = ExtractiveAnswerer(embeddings, reader=reader)
    out = []
    for q in tqdm(held[: limit or len(held)], desc="fold 0 questions", unit="question"):
        title = articles[q.article][0]
        passages = article_passages(q.article, articles, settings.chunk_chars)
        question = analyse(q.question, names=passage_names(passages))
        chosen = sorted(sentences(passages), key=lambda s: -prefilter(question, s))[:cap]
        rows = feature_rows(question, chosen, *answerer.similarities(question.text, chosen))
        logits = reader.logits(question.text, [(title, c.text) for c in chosen])
        out.append(
            {
                "article": q.article,
                "answerable": q.answerable,
                "rows": rows,
                "ok": eligible_all(rows),
                "logits": [float(x) for x in logits],
                "labels": [bool(q.answerable and matching(q.sentences, [c.text])) for c in chosen],
            }
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cap", type=int, default=24, help="candidates per question")
    parser.add_argument("--limit", type=int, default=0, help="questions (smoke test)")
    parser.add_argument("--fresh", action="store_true", help="recompute the cached candidates")
    args = parser.parse_args()

    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if args.fresh or args.limit or not CACHE.exists():
        data = candidates(args.cap, args.limit)
        if not args.limit:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(pickle.dumps(data))
    else:
        data = pickle.loads(CACHE.read_bytes())
    columns = [i for i, name in enumerate(FEATURES) if name != "rank"]
    rows, logits, labels, articles, owner = [], [], [], [], []
    for n, q in enumerate(data):
        for j in range(min(args.cap, len(q["rows"]))):
            if q["ok"][j]:
                rows.append([q["rows"][j][c] for c in columns])
                logits.append(q["logits"][j])
                labels.append(q["labels"][j])
                articles.append(q["article"])
                owner.append(n)
    x, logit, y, who = np.array(rows), np.array(logits), np.array(labels), np.array(owner)
    answerable = np.array([q["answerable"] for q in data])
    folds = list(GroupKFold(5).split(x, y, np.array(articles)))
    print(f"{len(data)} questions ({answerable.sum()} answerable), {len(y)} eligible candidates")

    def report(score: np.ndarray, name: str) -> np.ndarray:
        best, right = np.full(len(data), -50.0), np.zeros(len(data), bool)
        for s, label, n in zip(score, y, who, strict=True):
            if s > best[n]:
                best[n], right[n] = s, label
        handled = max(
            float(np.mean(np.where(answerable, (best >= t) & right, best < t)))
            for t in np.quantile(best, np.linspace(0, 1, 101))
        )
        print(
            f"{name:38} best right {right[answerable].mean():.3f}  refusal AUC "
            f"{roc_auc_score(answerable, best):.3f}  best handled right {handled:.3f}"
        )
        return best

    def cross(make: Callable[[], object], features: np.ndarray) -> np.ndarray:
        score = np.zeros(len(y))
        for train, test in folds:
            model = make().fit(features[train], y[train])  # type: ignore[attr-defined]
            score[test] = np.log(model.predict_proba(features[test])[:, 1] + 1e-9)  # type: ignore[attr-defined]
        return score

    def logistic() -> object:
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

    def trees() -> object:
        return HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40
        )

    report(logit, "reader alone")
    report(cross(logistic, x), "features alone (logistic)")
    stacked = np.column_stack([logit, x])
    report(cross(logistic, stacked), "stack: logistic (logit + features)")
    report(cross(trees, stacked), "stack: boosted trees")
    question_articles = np.array([q["article"] for q in data])
    table = []
    for n in range(len(data)):
        mine = np.where(who == n)[0]
        if not len(mine):
            table.append([-50.0, -50.0, 0.0, 0.0, *[0.0] * len(columns)])
            continue
        order = mine[np.argsort(-logit[mine])]
        second = logit[order[1]] if len(order) > 1 else -50.0
        table.append([logit[order[0]], second, logit[order[0]] - second, len(mine), *x[order[0]]])
    verifier = np.zeros(len(data))
    for train, test in GroupKFold(5).split(table, answerable, question_articles):
        model = trees().fit(np.array(table)[train], answerable[train])  # type: ignore[attr-defined]
        verifier[test] = model.predict_proba(np.array(table)[test])[:, 1]  # type: ignore[attr-defined]
    print(f"{'verifier over the reader':38} refusal AUC {roc_auc_score(answerable, verifier):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
