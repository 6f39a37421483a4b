"""Words of text: stems, stopwords and informativeness, shared by BM25 and the answerer.

>>> sorted(content_terms("Who welcomed the withdrawal?"))
['welcom', 'withdrawal']
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOPWORD_TEXT = """
    a an the and or but of to in on at by for with from as is are was were be been being do
    does did has have had it its this that these those they them their there here what which who
    whom whose when where why how than then so if not no yes can could would should will shall
    may might must about into over after before said says say i you he she we us our your his
    her my me any all some more most much many also just only very tell since until while
    during against between under through per via because although though whether upon
    within without among across around near off up down out again once both each few other
    such own same too nor am having doing itself himself herself themselves ever still yet
    even"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (possessive endings kept as part of the word)."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A light suffix-stripping stem: ``welcomed`` -> ``welcom``, ``troops`` -> ``troop``."""
    word = re.sub(r"['’]s$", "", word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> frozenset[str]:
    """Lower-cased, lightly stemmed words of ``text`` that carry meaning."""
    return frozenset(content_tokens(text))


def content_tokens(text: str) -> list[str]:
    """``content_terms`` in order, repeats kept (the BM25 tokens)."""
    return [stem(w) for w in words(text) if w not in _STOPWORDS]


def is_stopword(word: str) -> bool:
    return word in _STOPWORDS


@lru_cache(maxsize=65536)
def informativeness(word: str) -> float:
    """How much a word tells, from 1 (very common English) to 8 (rare or unknown, e.g. a name).

    It uses general English word frequencies (``wordfreq``), so it does not depend on how
    many articles are ingested.
    """
    from wordfreq import zipf_frequency

    return min(8.0, max(1.0, 8.0 - zipf_frequency(word, "en")))


def common_word(word: str) -> bool:
    """True for a frequent English word (e.g. a capitalised sentence opener such as "Hundreds")."""
    return informativeness(word.lower()) <= 3.5
