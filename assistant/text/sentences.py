"""Sentence spans with character offsets, shared by chunking and the extractive answerer.

>>> text = "Hi there. Mr. Smith left."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Hi there.', 'Mr. Smith left.']
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import pysbd

_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Closing quote glued to the next sentence ("...occupation”.“There was...") hides a boundary.
_GLUED = re.compile(r"(?<=[.!?][”\"’])(?=[“\"A-Z])|(?<=[.!?])(?=[“][A-Z])")


@lru_cache(maxsize=4096)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` of each sentence in ``text``, whitespace trimmed, in order.

    Paragraph breaks always end a sentence; within a paragraph pysbd decides, which keeps
    abbreviations such as "Sept. 11" or "U.S. military" inside their sentence.
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        for s_start, s_end in _segment(text[p_start:p_end]):
            spans.extend(_split_glued(text, p_start + s_start, p_start + s_end))
    return tuple(spans)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _segment(paragraph: str) -> list[tuple[int, int]]:
    spans = []
    for span in _SEGMENTER.segment(paragraph):
        start, end = span.start, span.end
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _split_glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start + m.start() for m in _GLUED.finditer(text, start, end) if m.start() > start]
    cuts = [c for c in cuts if start < c < end]
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
