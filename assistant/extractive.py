"""The default answerer: grounded by construction, it answers only with quoted sentences.

Each sentence of the answer is a sentence of a retrieved passage followed by its ``[n]``
marker; when no retrieved sentence is close enough to the question, it refuses::

    answer = ExtractiveAnswerer(embeddings).answer(question, passages)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from .models import Answer, Citation, Passage
from .sentences import sentence_spans

REFUSAL = "The ingested articles do not say."

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "their",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "than",
        "then",
        "so",
        "if",
        "not",
        "no",
        "yes",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "about",
        "into",
        "over",
        "after",
        "before",
        "said",
        "says",
        "say",
        "i",
        "you",
        "he",
        "she",
        "we",
        "us",
        "our",
        "your",
        "his",
        "her",
        "my",
        "me",
        "any",
        "all",
        "some",
        "more",
        "most",
        "much",
        "many",
        "also",
        "just",
        "only",
        "very",
        "did",
        "does",
        "tell",
    ]
)


_NAME = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*(?:\s+(?:al-|de |bin )?[A-Z][\w’'-]+)*")
_WANTS_NAME = re.compile(
    r"^\s*(?:who|whom|whose|which|what (?:group|party|organi[sz]ation|"
    r"country|countries|person|people|official|leader|company))\b",
    re.IGNORECASE,
)


def names_in(text: str) -> set[str]:
    """Capitalised names in ``text`` (a sentence's first word only if it is not a stopword)."""
    return {m.group(0) for m in _NAME.finditer(text) if m.group(0).lower() not in _STOPWORDS}


def content_terms(text: str) -> frozenset[str]:
    """Lower-cased, lightly stemmed words of ``text`` that carry meaning."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


class ExtractiveAnswerer:
    """Answer with the retrieved sentences that best match the question, each cited.

    ``min_similarity`` is the cosine similarity below which no sentence counts as an answer;
    ``max_sentences`` caps the answer; ``margin`` keeps sentences scoring close to the best.
    """

    def __init__(
        self,
        embeddings: Embeddings,
        *,
        min_similarity: float = 0.35,
        max_sentences: int = 3,
        margin: float = 0.1,
    ) -> None:
        self.embeddings = embeddings
        self.min_similarity = min_similarity
        self.max_sentences = max_sentences
        self.margin = margin

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        candidates = self._score(question, passages)
        if not candidates or candidates[0].score < self.min_similarity:
            return Answer(answer=REFUSAL, refused=True, citations=[], retrieved=passages)
        chosen = [c for c in candidates if c.score >= candidates[0].score - self.margin]
        return _compose(chosen[: self.max_sentences], passages)

    def _score(self, question: str, passages: list[Passage]) -> list[_Candidate]:
        spans = [(p, s, e) for p in passages for s, e in sentence_spans(p.text)]
        if not spans:
            return []
        texts = [p.text[s:e] for p, s, e in spans]
        vectors = np.array([self._embed_sentence(t) for t in texts])
        similarity = vectors @ np.array(self.embeddings.embed_query(question))
        q_terms = content_terms(question)
        wants_name = bool(_WANTS_NAME.search(question))
        scored = [
            _Candidate(
                p,
                s,
                e,
                float(sim)
                + 0.2 * _overlap(q_terms, text)
                + (0.1 if wants_name and _new_names(question, text) else 0.0),
            )
            for (p, s, e), sim, text in zip(spans, similarity, texts, strict=True)
        ]
        return sorted(scored, key=lambda c: c.score, reverse=True)

    def _embed_sentence(self, text: str) -> tuple[float, ...]:
        return _cached_sentence(self.embeddings, text)


@lru_cache(maxsize=16384)
def _cached_sentence(embeddings: Embeddings, text: str) -> tuple[float, ...]:
    return tuple(embeddings.embed_documents([text])[0])


def _new_names(question: str, text: str) -> bool:
    """True when ``text`` names someone or something the question does not already name."""
    asked = content_terms(question)
    return any(not content_terms(name) <= asked for name in names_in(text))


def _overlap(question_terms: frozenset[str], text: str) -> float:
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(text)) / len(question_terms)


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
