"""Labelled questions (``data/train/questions.jsonl``) turned into the reader's sentence pairs.

A question is paired with sentences of its article: every sentence the annotators named as
stating the answer is a positive; the others are negatives, hardest first (for a near-miss
twin, the sentence it was written against; then the sentences sharing most words with the
question), plus a few at random. ``cross_article_negatives`` adds sentences of *other* articles
most like the question (the distractors the chat's retrieval brings from the rest of a store);
they take the random negatives' places::

    questions = load_questions(Path("data/train/questions.jsonl"))
    pairs = training_pairs(questions, articles, negatives=6)   # articles: id -> (title, text)
    others = cross_article_negatives(questions, articles, embed, per_question=2)
    pairs = training_pairs(questions, articles, negatives=6, cross=others)
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ...errors import SourceError
from ...text.sentences import sentence_spans
from ...text.words import content_terms
from ..conversation import condense_question
from .labels import matching

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
    answers: tuple[str, ...] = ()
    """The answer spans, exact substrings of ``sentences`` (what a gold case calls key facts)."""


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
    """Read a questions file (the ``data/train`` format); a bad line names file and line. A
    follow-up (a line with ``"history"``, the earlier questions) is read as the chat reads it,
    condensed with the previous question (``conversation.condense_question``)."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                LabelledQuestion(
                    id=str(row["id"]),
                    question=_as_asked(str(row["question"]), row.get("history") or []),
                    article=str(row["article"]),
                    answerable=bool(row["answerable"]),
                    sentences=tuple(row.get("sentences") or ()),
                    near=row.get("near"),
                    form=str(row.get("form") or ""),
                    answers=tuple(row.get("answers") or ()),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise SourceError(
                f"{path}:{number}",
                f"not a training question ({error!r}); each line needs id, question, article, "
                "answerable and, when answerable, the sentences stating the answer.",
            ) from error
    return questions


def _as_asked(question: str, history: object) -> str:
    if not isinstance(history, list):
        raise TypeError("history must be a list of the earlier questions")
    turns = [{"role": "user", "content": str(turn)} for turn in history]
    return condense_question(question, turns) if turns else question


def article_sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def pairs_for(
    question: LabelledQuestion,
    title: str,
    sentences: list[str],
    *,
    negatives: int | None,
    rng: random.Random,
    cross: Sequence[tuple[str, str]] = (),
) -> list[Pair]:
    """The question's pairs: every positive, and ``negatives`` negatives (``None``: all): the
    hardest ``negatives - 2`` of its article, then the ``cross`` ones (other articles' (title,
    sentence)), then its article's at random up to ``negatives``."""
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
        room = max(0, negatives - len(picked) - len(cross))
        picked += rng.sample(rest, min(len(rest), room))
        chosen += picked
    mine = [
        Pair(question.id, question.question, title, sentences[i], int(i in positive))
        for i in chosen
    ]
    return mine + [Pair(question.id, question.question, t, s, 0) for t, s in cross]


def cross_article_negatives(
    questions: Sequence[LabelledQuestion],
    articles: Articles,
    embed: Callable[[list[str]], np.ndarray],
    *,
    per_question: int = 2,
    same_fact: float = 0.8,
    progress: bool = False,
) -> dict[str, list[tuple[str, str]]]:
    """Per question, the ``per_question`` sentences of the *other* articles of ``questions``
    most like it (cosine of ``embed``'s unit vectors): in the chat, the retrieved passages of
    other articles are where most wrong citations come from, and reading only its own article
    the reader never meets them. A sentence that also occurs in the question's article, or is
    as like one of its answering sentences as ``same_fact`` (a follow-up story retelling the
    answer), is not taken; near-miss twins were checked against every article, so nothing else
    answers them."""
    pool: list[tuple[str, str, str]] = []  # (article, title, sentence)
    own: dict[str, set[str]] = {}
    for article in sorted({q.article for q in questions if q.article in articles}):
        title, text = articles[article]
        sentences = article_sentences(text)
        own[article] = {" ".join(s.split()) for s in sentences}
        pool += [(article, title, s) for s in sentences if len(s.split()) >= 4]
    if not pool:
        return {}
    asked = [q for q in questions if q.article in own]
    texts = [s for _, _, s in pool] + [q.question for q in asked]
    texts += [s for q in asked for s in q.sentences]
    bar = tqdm(
        total=len(texts) + len(asked), desc="other articles' negatives", disable=not progress
    )
    parts = []
    for at in range(0, len(texts), 512):
        parts.append(np.asarray(embed(texts[at : at + 512]), dtype=np.float32))
        bar.update(len(parts[-1]))
    every = np.concatenate(parts)
    vectors, queries = every[: len(pool)], every[len(pool) : len(pool) + len(asked)]
    answers: dict[str, np.ndarray] = {}
    at = len(pool) + len(asked)
    for question in asked:
        answers[question.id] = every[at : at + len(question.sentences)]
        at += len(question.sentences)
    found: dict[str, list[tuple[str, str]]] = {}
    for question, query in zip(asked, queries, strict=True):
        bar.update(1)
        taken: list[tuple[str, str]] = []
        right = answers[question.id]
        for index in np.argsort(-(vectors @ query)):
            article, title, sentence = pool[index]
            if article == question.article or " ".join(sentence.split()) in own[question.article]:
                continue
            if len(right) and float((right @ vectors[index]).max()) >= same_fact:
                continue
            taken.append((title, sentence))
            if len(taken) == per_question:
                break
        found[question.id] = taken
    bar.close()
    return found


def training_pairs(
    questions: Iterable[LabelledQuestion],
    articles: Articles,
    *,
    negatives: int | None = 6,
    seed: int = 18,
    cross: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> tuple[list[Pair], list[str]]:
    """Pairs of every question whose article is known and whose answer is found in it; and
    the ids of the questions left out (article missing, or labelled sentences not found).
    ``cross``: other articles' sentences per question id (``cross_article_negatives``)."""
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
        extra = (cross or {}).get(question.id, ())
        mine = pairs_for(question, title, sentences, negatives=negatives, rng=rng, cross=extra)
        if question.answerable and not any(p.label for p in mine):
            skipped.append(question.id)
            continue
        pairs.extend(mine)
    return pairs, skipped
