"""The citation check: keep only generated sentences backed by the retrieved passage they cite.

A sentence passes when it cites ``[n]`` of a retrieved passage and that passage supports it:
the support score blends (1:3) the embedding similarity of the claim to the passage's closest
sentence with the share of the claim's words found in the passage, and any number in the claim
must appear in the passage (tiny models invent figures). Sentences of a passage that give
instructions to a model never count as support::

    checker = CitationChecker(embeddings)
    checked = checker.check_sentence("Kataib Hezbollah called it deceptive [1].", passages)
    checked.supported, checked.sources, checked.score
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from ..models import Passage
from ..retrieval.embeddings import embed_texts
from ..text.sentences import sentence_spans
from ..text.words import content_terms
from .terms import numbers_in

logger = logging.getLogger(__name__)

# Calibrated on 10 supported and 10 unsupported hand-made claims about the sample article
# (bench/citation_calibration.py): supported scored 0.74-0.97, unsupported 0.00-0.70.
DEFAULT_MIN_SUPPORT = 0.72
SIMILARITY_WEIGHT = 0.25

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
# Sentences addressed to a language model ("ignore previous instructions", "SYSTEM:") are
# never evidence: a passage cannot vouch for what it tells the model to say.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules)\b"
    r"|\b(?:system|assistant)\s*:|\byou are now\b"
    r"|\b(?:answer|reply|respond|say)\s+(?:only\s+)?(?:that|with)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckedSentence:
    """One generated sentence after the check.

    ``claim`` is the sentence without its markers; ``supports`` holds, for each cited source
    that supports it, ``(n, start, end)``: the 1-based source number and the span of the
    best supporting sentence inside that passage; ``score`` is the best support score seen.
    """

    text: str
    claim: str
    supports: tuple[tuple[int, int, int], ...]
    score: float

    @property
    def supported(self) -> bool:
        return bool(self.supports)

    @property
    def sources(self) -> tuple[int, ...]:
        return tuple(n for n, _, _ in self.supports)


class CitationChecker:
    """Scores each generated sentence against the passages it cites.

    ``min_support`` is the blended score (0..1) a cited passage must reach for a sentence.
    """

    def __init__(self, embeddings: Embeddings, *, min_support: float = DEFAULT_MIN_SUPPORT):
        self.embeddings = embeddings
        self.min_support = min_support

    def check_sentence(self, sentence: str, passages: list[Passage]) -> CheckedSentence:
        """Check one generated sentence; citations to unknown sources are ignored."""
        claim = MARKER.sub("", sentence).strip()
        best, supports = 0.0, []
        for n in cited_sources(sentence):
            if not 1 <= n <= len(passages) or not claim:
                logger.info("dropping citation [%d]: %d passages retrieved", n, len(passages))
                continue
            score, start, end = self.support(claim, passages[n - 1])
            best = max(best, score)
            if score >= self.min_support:
                supports.append((n, start, end))
        return CheckedSentence(sentence, claim, tuple(supports), best)

    def support(self, claim: str, passage: Passage) -> tuple[float, int, int]:
        """Support score of ``claim`` by ``passage`` and the span of its closest sentence."""
        spans = [
            (s, e)
            for s, e in sentence_spans(passage.text) or ((0, len(passage.text)),)
            if not INSTRUCTION.search(passage.text[s:e])
        ]
        if not spans:
            return 0.0, 0, 0
        facts = " ".join(passage.text[s:e] for s, e in spans)
        vectors = np.array([self._embed(passage.text[s:e]) for s, e in spans])
        similarity = vectors @ np.array(self._embed(claim))
        i = int(np.argmax(similarity))
        score = SIMILARITY_WEIGHT * max(float(similarity[i]), 0.0) + (
            1 - SIMILARITY_WEIGHT
        ) * coverage(claim, facts)
        if not numbers_in(claim) <= numbers_in(facts):
            score = min(score, 0.0)
        return score, spans[i][0], spans[i][1]

    def _embed(self, text: str) -> np.ndarray:
        return embed_texts(self.embeddings, [text])[0]


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
