"""The default answerer: grounded by construction, it answers only with quoted sentences.

Each sentence of the answer is a sentence of a retrieved passage followed by its ``[n]``
marker. A learned scorer (``scorer.json``, fitted by ``bench/train_scorer.py``) gives each
candidate sentence the probability that it answers the question, from its word coverage,
embedding similarity, the kind of answer it holds, the question's names and numbers around
it and whether it states the opposite of what is asked. The best sentence answers when its
probability reaches the fitted threshold; otherwise the answerer refuses::

    answer = ExtractiveAnswerer(embeddings).answer(question, passages)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from ..models import Answer, Citation, Passage
from ..retrieval.embeddings import embed_texts, embed_tokens
from ..text.words import words
from .base import stream_answer
from .features import FEATURES, Sentence, eligible_all, features, key_set, prefilter, sentences
from .matching import best_matches, content_words, maxsim, question_weights, weakest
from .questions import Question, analyse, split_question
from .reader.model import Reader
from .scorer import Scorer
from .terms import names_in

__all__ = ["REFUSAL", "ExtractiveAnswerer"]

REFUSAL = "The ingested articles do not say."
KIND_NEXT = FEATURES.index("kind_next")


@dataclass(frozen=True)
class Scored:
    """A candidate sentence, its feature row and its probability of answering."""

    sentence: Sentence
    row: list[float]
    probability: float


class ExtractiveAnswerer:
    """Answer with the retrieved sentences the scorer judges to answer the question, each cited.

    ``max_sentences`` caps the answer; ``max_embedded`` is how many sentences (the best by
    word coverage) are embedded and scored per question; ``scorer`` defaults to the shipped
    weights.

    >>> from assistant.models import Passage
    >>> from assistant.retrieval.embeddings import SentenceEmbeddings
    >>> text = "The council approved the budget on Monday. Heavy rain fell in the evening."
    >>> passage = Passage(chunk_id="c1", article_id="a1", text=text, score=1.0, title="Budget")
    >>> answerer = ExtractiveAnswerer(SentenceEmbeddings())
    >>> answerer.answer("When did the council approve the budget?", [passage]).answer
    'The council approved the budget on Monday. [1]'
    """

    def __init__(
        self,
        embeddings: Embeddings,
        *,
        max_sentences: int = 3,
        max_embedded: int = 24,
        scorer: Scorer | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.max_sentences = max_sentences
        self.max_embedded = max_embedded
        self.scorer = scorer or Scorer.load()
        self.reader = reader
        decide = reader.calibration if reader is not None else self.scorer
        self.threshold, self.margin, self.list_margin = (
            decide.threshold,
            decide.margin,
            decide.list_margin,
        )

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        chosen: list[Sentence] = []
        names = passage_names(passages)
        confidence = 0.0
        for part in split_question(question):
            picked, best = self.choose(analyse(part, names=names), passages)
            confidence = max(confidence, best)
            for sentence in picked:
                if all(sentence.text != c.text for c in chosen):
                    chosen.append(sentence)
        if not chosen:
            return Answer(
                answer=REFUSAL,
                refused=True,
                citations=[],
                retrieved=passages,
                confidence=confidence,
            )
        answer = _compose(chosen[: self.max_sentences], passages)
        return answer.model_copy(update={"confidence": confidence})

    @contextmanager
    def no_refusal(self) -> Iterator[None]:
        """Within the block, answer every question (the threshold at 0): for evaluation."""
        kept, self.threshold = self.threshold, 0.0
        try:
            yield
        finally:
            self.threshold = kept

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        yield from stream_answer(self.answer(question, passages))

    def choose(self, question: Question, passages: list[Passage]) -> tuple[list[Sentence], float]:
        """The sentences that answer ``question``, best first (empty to refuse), and the best
        candidate's probability."""
        scored = self.score(question, passages)
        if not scored or scored[0].probability < self.threshold:
            return [], scored[0].probability if scored else 0.0
        best = scored[0]
        margin = self.list_margin if question.plural else self.margin
        chosen = [best.sentence]
        if best.row[KIND_NEXT] and best.sentence.following:  # the answer follows it
            chosen.append(_next_sentence(best.sentence))
        for other in scored[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if other.probability >= max(self.threshold, best.probability - margin):
                chosen.append(other.sentence)
        return chosen, best.probability

    def score(self, question: Question, passages: list[Passage]) -> list[Scored]:
        """The best ``max_embedded`` candidate sentences with their probabilities, best first."""
        candidates = sorted(sentences(passages), key=lambda s: -prefilter(question, s))
        candidates = candidates[: self.max_embedded]
        if not candidates:
            return []
        rows = feature_rows(question, candidates, *self.similarities(question.text, candidates))
        sides = self.reader is None or self.reader.calibration.side_gate
        gate = eligible_all(rows, sides=sides)
        kept = [(c, r) for c, r, ok in zip(candidates, rows, gate, strict=True) if ok]
        if not kept:
            return []
        if self.reader is None:
            probabilities = self.scorer.probabilities(np.asarray([r for _, r in kept]))
        else:  # the reader reads each eligible candidate with the question; a follow-up as
            # retrieval does, with the previous question in brackets (bench/followups.py)
            pairs = [(c.passage.title or "", c.text) for c, _ in kept]
            probabilities = self.reader.probabilities(question.text, pairs)
        scored = [Scored(c, r, float(p)) for (c, r), p in zip(kept, probabilities, strict=True)]
        return sorted(scored, key=lambda s: -s.probability)

    def similarities(
        self, question: str, candidates: list[Sentence]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each candidate's cosine similarity to the question (the vectors are normalised), its
        word-level match (``matching.maxsim``) and its weakest word match
        (``matching.weakest``); the cosine again for both for an embedding model that gives no
        wordpiece vectors."""
        texts = [c.text for c in candidates]
        tokens = embed_tokens(self.embeddings, [question, *texts])  # fills the vector cache too
        cosines = embed_texts(self.embeddings, texts) @ np.asarray(
            self.embeddings.embed_query(question)
        )
        if tokens is None:
            return cosines, cosines, cosines
        weights, words = question_weights(tokens[0]), content_words(tokens[0])
        bests = [best_matches(tokens[0], t) for t in tokens[1:]]
        return (
            cosines,
            np.asarray([maxsim(weights, best) for best in bests]),
            np.asarray([weakest(words, best) for best in bests]),
        )


def passage_names(passages: list[Passage]) -> frozenset[str]:
    """Lower-cased words of the names in ``passages`` (a question's lower-case names)."""
    return frozenset(w for p in passages for n in _names(p.text) for w in words(n))


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    return frozenset(names_in(text))


def feature_rows(
    question: Question,
    candidates: list[Sentence],
    cosines: np.ndarray,
    maxsims: np.ndarray,
    weakests: np.ndarray,
) -> list[list[float]]:
    """One ``FEATURES`` row per candidate (used by the answerer and by the training script)."""
    best_coverage = max(question.coverage(key_set(c.text)) for c in candidates)
    return [
        features(
            question,
            c,
            cosine=float(cos),
            best_cosine=float(cosines.max()),
            best_coverage=best_coverage,
            maxsim=float(match),
            best_maxsim=float(maxsims.max()),
            weakest=float(low),
        )
        for c, cos, match, low in zip(candidates, cosines, maxsims, weakests, strict=True)
    ]


def _next_sentence(sentence: Sentence) -> Sentence:
    """The sentence after ``sentence`` in its passage."""
    start = sentence.passage.text.index(sentence.following, sentence.end)
    return Sentence(
        passage=sentence.passage,
        rank=sentence.rank,
        start=start,
        end=start + len(sentence.following),
        nearby=sentence.nearby,
        following="",
        article=sentence.article,
    )


def _compose(chosen: list[Sentence], passages: list[Passage]) -> Answer:
    """Order the chosen sentences as they stand in the articles and number their citations."""
    chosen = sorted(chosen, key=lambda c: (c.passage.article_id, c.passage.start + c.start))
    parts, citations = [], []
    for n, sentence in enumerate(chosen, start=1):
        passage = sentence.passage
        parts.append(f"{sentence.text} [{n}]")
        citations.append(
            Citation(
                n=n,
                chunk_id=passage.chunk_id,
                article_id=passage.article_id,
                title=passage.title,
                url=passage.url,
                quote=sentence.text,
                start=passage.start + sentence.start,
                end=passage.start + sentence.end,
            )
        )
    return Answer(answer=" ".join(parts), refused=False, citations=citations, retrieved=passages)
