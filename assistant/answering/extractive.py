"""The default answerer: grounded by construction, it answers only with quoted sentences.

Each sentence of the answer is a sentence of a retrieved passage followed by its ``[n]``
marker. A sentence qualifies only when it is *supported*: the names and numbers the question
mentions appear in its passage, it covers most of the question's informative words, and it
holds the kind of answer the question wants (a name, a number, a date, a place). When no
sentence qualifies, it refuses::

    answer = ExtractiveAnswerer(embeddings).answer(question, passages)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from ..models import Answer, Citation, Passage
from ..retrieval.embeddings import embed_texts
from ..text.sentences import sentence_spans
from .base import stream_answer
from .questions import Question, analyse, split_question
from .terms import answer_spans, kinds_in

REFUSAL = "The ingested articles do not say."


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    start: int
    end: int
    coverage: float  # weighted share of the question's words found in the sentence
    context: float  # the same, in the sentence's passage and title
    anchored: bool  # every name and number of the question is in the passage
    typed: bool  # holds the kind of answer the question wants
    bonus: float = 0.0  # for holding it even when the kind is not required
    score: float = 0.0
    similarity: float = 0.0

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


class ExtractiveAnswerer:
    """Answer with the retrieved sentences that support an answer to the question, each cited.

    ``min_coverage`` is the weighted share of the question's informative words a sentence
    (with its passage) must contain; ``min_similarity`` the cosine similarity it must reach;
    ``max_sentences`` caps the answer; ``margin`` keeps further supported sentences scoring
    close to the best one, ``list_margin`` when the question asks for several ("Which groups
    ...?"); ``coverage_weight`` weighs word coverage against cosine similarity.

    >>> answerer = ExtractiveAnswerer(embeddings)
    >>> answerer.answer("Who welcomed the deal?", passages).citations[0].quote
    """

    def __init__(
        self,
        embeddings: Embeddings,
        *,
        min_similarity: float = 0.25,
        min_coverage: float = 0.3,
        max_sentences: int = 3,
        margin: float = 0.0,
        max_embedded: int = 12,
        coverage_weight: float = 0.6,
        list_margin: float = 0.1,
    ) -> None:
        self.list_margin = list_margin
        self.coverage_weight = coverage_weight
        self.embeddings = embeddings
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.max_sentences = max_sentences
        self.margin = margin
        self.max_embedded = max_embedded

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        chosen: list[_Candidate] = []
        for part in split_question(question):
            for candidate in self._answer_part(analyse(part), passages):
                if all(candidate.text != c.text for c in chosen):
                    chosen.append(candidate)
        if not chosen:
            return Answer(answer=REFUSAL, refused=True, citations=[], retrieved=passages)
        return _compose(chosen[: self.max_sentences + 1], passages)

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """The answer's words, then the answer (it is composed whole, then streamed)."""
        yield from stream_answer(self.answer(question, passages))

    def _answer_part(self, question: Question, passages: list[Passage]) -> list[_Candidate]:
        candidates = [c for c in self._candidates(question, passages) if _supported(c, self)]
        if not candidates:
            return []
        scored = self._rank(question, candidates)
        best = scored[0]
        if best.similarity < self.min_similarity:
            return []
        chosen = [best]
        for other in scored[1:]:
            margin = max(self.margin, self.list_margin) if question.plural else self.margin
            if len(chosen) >= self.max_sentences or other.score < best.score - margin:
                break
            if other.coverage >= best.coverage - 0.1:
                chosen.append(other)
        return chosen

    def _candidates(self, question: Question, passages: list[Passage]) -> list[_Candidate]:
        articles: dict[str, str] = {}
        for passage in passages:
            articles[passage.article_id] = articles.get(passage.article_id, "") + passage.text
        seen: set[str] = set()
        result = []
        for passage in passages:
            context = question.coverage(f"{passage.title}\n{passage.text}")
            spans = sentence_spans(passage.text)
            for index, (start, end) in enumerate(spans):
                text = passage.text[start:end]
                key = " ".join(text.lower().split())
                if key in seen:
                    continue
                seen.add(key)
                before = passage.text[spans[max(0, index - 2)][0] : start]
                nearby = f"{passage.title}\n{before}\n{text}"
                kinds = kinds_in(text, question)
                result.append(
                    _Candidate(
                        passage,
                        start,
                        end,
                        coverage=question.coverage(text, nearby=nearby),
                        context=context,
                        anchored=_anchored(question, nearby, articles[passage.article_id], text)
                        and not question.scattered(text)
                        and question.mentions_topic(text)
                        and question.counts_focus(text),
                        typed=not question.strict or question.kind in kinds,
                        bonus=(0.1 if question.kind in kinds else 0.0) + _proximity(question, text),
                    )
                )
        return result

    def _rank(self, question: Question, candidates: list[_Candidate]) -> list[_Candidate]:
        """Order by cosine similarity plus word coverage; embed only the best few by coverage."""
        candidates = sorted(candidates, key=lambda c: (c.coverage, c.context), reverse=True)
        candidates = candidates[: self.max_embedded]
        vectors = self._embed([c.text for c in candidates])
        similarity = vectors @ np.asarray(self.embeddings.embed_query(question.text))
        ranked = [
            _Candidate(
                **{**c.__dict__, "score": self._score(c, float(sim)), "similarity": float(sim)}
            )
            for c, sim in zip(candidates, similarity, strict=True)
        ]
        return sorted(ranked, key=lambda c: c.score, reverse=True)

    def _score(self, candidate: _Candidate, similarity: float) -> float:
        """Cosine similarity plus weighted word coverage plus the answer-kind bonuses."""
        coverage = self.coverage_weight * candidate.coverage + 0.1 * candidate.context
        return similarity + coverage + candidate.bonus

    def _embed(self, texts: list[str]) -> np.ndarray:
        return embed_texts(self.embeddings, texts)


# A sentence opening with a pronoun refers back: "It reportedly followed ... he held ...".
_PRONOUN = re.compile(
    r"^\W*(?:\w+\s+){0,2}(?:he|she|his|her|him|they|their|them|it|its)\b", re.IGNORECASE
)


def _anchored(question: Question, nearby: str, article: str, sentence: str) -> bool:
    """The question's names and numbers are near the sentence (or, when the sentence refers
    back with a pronoun, anywhere in the article's retrieved text)."""
    return question.anchored_in(nearby) or (
        bool(_PRONOUN.search(sentence)) and question.anchored_in(article)
    )


def _proximity(question: Question, text: str) -> float:
    """A bonus when a possible answer (a new name, a number, a date) stands next to the
    question's words in ``text``, as "prime minister Mustafa Kadhimi" does."""
    answers = answer_spans(text, question.kind, question)
    terms = question.term_spans(text)
    if not answers or not terms:
        return 0.0
    gap = min(max(a[0] - t[1], t[0] - a[1], 0) for a in answers for t in terms)
    return 0.1 if gap <= 20 else 0.05 if gap <= 50 else 0.0


def _supported(candidate: _Candidate, answerer: ExtractiveAnswerer) -> bool:
    """The sentence can answer: anchors in its passage, the wanted kind, enough coverage."""
    covered = 0.75 * candidate.coverage + 0.25 * candidate.context
    return candidate.anchored and candidate.typed and covered >= answerer.min_coverage


def _compose(chosen: list[_Candidate], passages: list[Passage]) -> Answer:
    """Order the chosen sentences as they stand in the articles and number their citations."""
    chosen = sorted(chosen, key=lambda c: (c.passage.article_id, c.passage.start + c.start))
    parts, citations = [], []
    for n, candidate in enumerate(chosen, start=1):
        passage = candidate.passage
        parts.append(f"{candidate.text} [{n}]")
        citations.append(
            Citation(
                n=n,
                chunk_id=passage.chunk_id,
                article_id=passage.article_id,
                title=passage.title,
                url=passage.url,
                quote=candidate.text,
                start=passage.start + candidate.start,
                end=passage.start + candidate.end,
            )
        )
    return Answer(answer=" ".join(parts), refused=False, citations=citations, retrieved=passages)
