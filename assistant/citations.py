"""The citation check: keep only generated sentences backed by the retrieved passage they cite.

A sentence passes when it cites ``[n]`` of a retrieved passage and that passage supports it:
the support score blends (1:3) the embedding similarity of the claim to the passage's closest
sentence with the share of the claim's words found in the passage, and any number in the claim
must appear in the passage (tiny models invent figures)::

    checker = CitationChecker(embeddings)
    checked = checker.check_sentence("Kataib Hezbollah called it deceptive [1].", passages)
    checked.supported, checked.sources, checked.score
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from .extractive import content_terms
from .models import Passage
from .sentences import sentence_spans

logger = logging.getLogger(__name__)

# Calibrated on 10 supported and 10 unsupported hand-made claims about the sample article
# (bench/citation_calibration.py): supported scored 0.74-0.97, unsupported 0.00-0.70.
DEFAULT_MIN_SUPPORT = 0.72
SIMILARITY_WEIGHT = 0.25

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class CheckedSentence:
    """One generated sentence after the check.

    ``claim`` is the sentence without its markers; ``sources`` the cited source numbers
    (1-based, retrieved ones only) that support it; ``quote`` the ``(source, start, end)`` span
    of the best supporting sentence inside that passage.
    """

    text: str
    claim: str
    sources: tuple[int, ...]
    score: float
    quote: tuple[int, int, int] | None

    @property
    def supported(self) -> bool:
        return bool(self.sources)


class CitationChecker:
    """Scores each generated sentence against the passages it cites.

    ``min_support`` is the blended score (0..1) a cited passage must reach for a sentence.
    """

    def __init__(self, embeddings: Embeddings, *, min_support: float = DEFAULT_MIN_SUPPORT):
        self.embeddings = embeddings
        self.min_support = min_support

    def check_sentence(self, sentence: str, passages: list[Passage]) -> CheckedSentence:
        """Check one generated sentence; citations to unknown sources are ignored."""
        cited = cited_sources(sentence)
        claim = MARKER.sub("", sentence).strip()
        best: tuple[float, int, int, int] = (0.0, 0, 0, 0)
        supporting = []
        for n in cited:
            if not 1 <= n <= len(passages) or not claim:
                logger.info("dropping citation [%d]: only %d passages retrieved", n, len(passages))
                continue
            score, start, end = self.support(claim, passages[n - 1])
            if score >= self.min_support:
                supporting.append(n)
            best = max(best, (score, n, start, end))
        quote = (best[1], best[2], best[3]) if supporting else None
        return CheckedSentence(sentence, claim, tuple(supporting), best[0], quote)

    def support(self, claim: str, passage: Passage) -> tuple[float, int, int]:
        """Support score of ``claim`` by ``passage`` and the span of its closest sentence."""
        spans = sentence_spans(passage.text) or ((0, len(passage.text)),)
        vectors = np.array([self._embed(passage.text[s:e]) for s, e in spans])
        similarity = vectors @ np.array(self._embed(claim))
        i = int(np.argmax(similarity))
        score = SIMILARITY_WEIGHT * max(float(similarity[i]), 0.0) + (
            1 - SIMILARITY_WEIGHT
        ) * coverage(claim, passage.text)
        if not numbers_in(claim) <= numbers_in(passage.text):
            score = min(score, 0.0)
        return score, spans[i][0], spans[i][1]

    def _embed(self, text: str) -> tuple[float, ...]:
        return _cached_vector(self.embeddings, text)


def cited_sources(sentence: str) -> list[int]:
    """The source numbers a sentence cites, in order, without repeats: "[1] ... [2, 3]"."""
    numbers: list[int] = []
    for match in MARKER.finditer(sentence):
        for part in match.group(1).split(","):
            if int(part) not in numbers:
                numbers.append(int(part))
    return numbers


def coverage(claim: str, text: str) -> float:
    """Share of the claim's content words that occur in ``text`` (1.0 for a claim with none)."""
    terms = content_terms(claim)
    if not terms:
        return 0.0
    return len(terms & content_terms(text)) / len(terms)


def numbers_in(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


@lru_cache(maxsize=16384)
def _cached_vector(embeddings: Embeddings, text: str) -> tuple[float, ...]:
    return tuple(embeddings.embed_documents([text])[0])
