"""Sentence spans with character offsets, shared by chunking and the extractive answerer.

The work is linear in the text's length: pysbd (quadratic in a paragraph's length) reads only
paragraphs up to ``LONG_PARAGRAPH`` characters; a longer one (a transcript pasted without blank
lines, a one-line file) is split by sentence-final punctuation, and no sentence is longer than
``MAX_SENTENCE`` characters (a longer run is cut at a space).

>>> text = "Hi there. Mr. Smith left."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Hi there.', 'Mr. Smith left.']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

LONG_PARAGRAPH = 10_000
"""Longest paragraph pysbd splits (about 0.3 s here); news paragraphs are far shorter."""
MAX_SENTENCE = 2_000
"""Longest sentence kept whole, in characters; a longer run is cut at its last space before."""

_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)
# Sentence-final punctuation (with closing quotes or brackets) then space: the long-paragraph cut.
_FINAL = re.compile(r"[.!?…。！？][\"'”’)\]]*\s+")
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
        paragraph = text[p_start:p_end]
        pieces = _segment(paragraph) if len(paragraph) <= LONG_PARAGRAPH else _cut(paragraph)
        for s_start, s_end in pieces:
            for a, b in _split_glued(text, p_start + s_start, p_start + s_end):
                spans.extend(_bounded(text, a, b))
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


def _cut(paragraph: str) -> list[tuple[int, int]]:
    """Sentences of a paragraph too long for pysbd: cut after sentence-final punctuation."""
    spans, start = [], 0
    for match in _FINAL.finditer(paragraph):
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = match.end()
    spans.append((start, len(paragraph.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` in pieces of at most ``MAX_SENTENCE`` characters, cut at spaces."""
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        space = text.rfind(" ", start + MAX_SENTENCE // 2, limit)
        cut = space if space > start else limit
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _split_glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start + m.start() for m in _GLUED.finditer(text, start, end) if m.start() > start]
    cuts = [c for c in cuts if start < c < end]
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
