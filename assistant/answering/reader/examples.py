"""Labelled questions (``data/train/questions.jsonl``) turned into the reader's sentence pairs.

A question is paired with sentences of its article: every sentence the annotators named as
stating the answer is a positive; the others are negatives, hardest first (for a near-miss
twin, the sentence it was written against; then the sentences sharing most words with the
question), plus a few at random::

    questions = load_questions(Path("data/train/questions.jsonl"))
    pairs = training_pairs(questions, articles, negatives=6)   # articles: id -> (title, text)
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ...errors import SourceError
from ...text.sentences import sentence_spans
from ...text.words import content_terms

Articles = Mapping[str, tuple[str, str]]
"""Article id -> (title, text as ingest stores it)."""


@dataclass(frozen=True)
class LabelledQuestion:
    """A question with the sentences of its article that state the answer (none: it is not
    answered there)."""

    id: str
    question: str
    article: str
    answerable: bool
    sentences: tuple[str, ...] = ()
    near: str | None = None
    form: str = ""


@dataclass(frozen=True)
class Pair:
    """One (question, candidate sentence) example; ``label`` 1 when the sentence answers."""

    question_id: str
    question: str
    title: str
    sentence: str
    label: int


FOLDS = 5


def fold_of(article: str) -> int:
    """The article's fold (of ``FOLDS``, by a hash of its id): fold 0 is held out to calibrate
    the reader and to measure it; folds split by article, so no article is on both sides."""
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % FOLDS


def load_questions(path: Path) -> list[LabelledQuestion]:
    """Read a questions file (the ``data/train`` format); a bad line names file and line."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                LabelledQuestion(
                    id=str(row["id"]),
                    question=str(row["question"]),
                    article=str(row["article"]),
                    answerable=bool(row["answerable"]),
                    sentences=tuple(row.get("sentences") or ()),
                    near=row.get("near"),
                    form=str(row.get("form") or ""),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SourceError(
                f"{path}:{number}",
                f"not a training question ({error!r}); each line needs id, question, article, "
                "answerable and, when answerable, the sentences stating the answer.",
            ) from error
    return questions


def article_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def matching(labelled: Iterable[str], sentences: list[str]) -> set[int]:
    """Indices of ``sentences`` that are the labelled ones (whitespace aside; a labelled
    sentence split or joined differently by today's splitter still matches by containment)."""
    found = set()
    for label in labelled:
        want = " ".join(label.split())
        for index, sentence in enumerate(sentences):
            have = " ".join(sentence.split())
            if have == want or (
                min(len(have), len(want)) >= 0.6 * max(len(have), len(want))
                and (have in want or want in have)
            ):
                found.add(index)
    return found


def pairs_for(
    question: LabelledQuestion,
    title: str,
    sentences: list[str],
    *,
    negatives: int | None,
    rng: random.Random,
) -> list[Pair]:
    """The question's pairs: every positive, and ``negatives`` negatives (``None``: all)."""
    positive = matching(question.sentences, sentences)
    chosen = sorted(positive)
    others = [i for i in range(len(sentences)) if i not in positive]
    if negatives is None:
        chosen += others
    else:
        near = matching([question.near], sentences) if question.near else set()
        asked = content_terms(question.question)
        by_overlap = sorted(others, key=lambda i: -len(asked & content_terms(sentences[i])))
        hard = [i for i in others if i in near] + [i for i in by_overlap if i not in near]
        picked = hard[: max(negatives - 2, 1)]
        rest = [i for i in others if i not in picked]
        picked += rng.sample(rest, min(len(rest), negatives - len(picked)))
        chosen += picked
    return [
        Pair(question.id, question.question, title, sentences[i], int(i in positive))
        for i in chosen
    ]


def training_pairs(
    questions: Iterable[LabelledQuestion],
    articles: Articles,
    *,
    negatives: int | None = 6,
    seed: int = 18,
) -> tuple[list[Pair], list[str]]:
    """Pairs of every question whose article is known and whose answer is found in it; and
    the ids of the questions left out (article missing, or labelled sentences not found)."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    skipped: list[str] = []
    split: dict[str, list[str]] = {}
    for question in questions:
        if question.article not in articles:
            skipped.append(question.id)
            continue
        title, text = articles[question.article]
        sentences = split.setdefault(question.article, article_sentences(text))
        mine = pairs_for(question, title, sentences, negatives=negatives, rng=rng)
        if question.answerable and not any(p.label for p in mine):
            skipped.append(question.id)
            continue
        pairs.extend(mine)
    return pairs, skipped
