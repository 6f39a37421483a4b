"""Names, numbers, dates and reasons in text: the kinds of answer a sentence can hold.

>>> sorted(kinds_in("On Monday 2,500 troops left Baghdad."))
['date', 'name', 'number', 'place']
"""

from __future__ import annotations

import re

from ..text.words import common_word, informativeness, is_stopword, same_word, stem, words

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|"
    "dozens|half|third|quarter|first|second|twice|several|scores"
)
_NUMBER = re.compile(rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:1[89]|20)\d\d|yesterday|today|tonight|tomorrow|overnight|ago|"
    r"(?:last|next|this|the) (?:week|month|year|night|morning|weekend|summer|winter|decade)|"
    r"end of the year|\d{1,2}(?::\d\d)?\s?(?:am|pm)|Christmas|New Year)\b"
)
_REASON = re.compile(
    r"\b(?:because|due to|as a result|after|following|since|caused|cause|blamed|blame|"
    r"attribut\w*|credit\w*|so that|in order to|reason|amid|struck by|response|led to|"
    r"over|injury|illness|from)\b",
    re.IGNORECASE,
)
# "Iran-backed", "US-led": adjectives made from a name, not names of answers.
_DERIVED = re.compile(r"[A-Z][\w’']*-[a-z][\w’'-]*")
_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:al-|de |bin |la |van )?[A-Z][\w’'-]*)*")


def _specific(name: str) -> bool:
    """Whether a capitalised run can name an answer: not an adjective made from a name
    ("Iran-backed") nor a lone title or institution word ("President", "Government")."""
    if _DERIVED.fullmatch(name):
        return False
    return " " in name or informativeness(name.lower()) > 2.7


def names_in(text: str) -> set[str]:
    """Capitalised names in ``text``; a sentence's first word only if it is not a common word."""
    names = set()
    for match in _NAME.finditer(text):
        name = match.group(0)
        if not _specific(name):
            continue
        first = name.split()[0]
        starts_sentence = match.start() == 0 or text[: match.start()].rstrip()[-1:] in '.!?"“'
        if starts_sentence and (common_word(first) or is_stopword(first.lower())):
            name = name[len(first) :].strip()
        if name and not is_stopword(name.lower()):
            names.add(name)
    return names


def kinds_in(text: str, question: object = None) -> set[str]:
    """The kinds of answer ``text`` holds: ``name``, ``place``, ``number``, ``date``, ``reason``.

    With a question (anything with ``asked_names`` and ``asked_numbers``), names and numbers
    the question itself mentions do not count.
    """
    asked_names: frozenset[str] = getattr(question, "asked_names", frozenset())
    asked_numbers: frozenset[str] = getattr(question, "asked_numbers", frozenset())
    kinds: set[str] = set()
    new_names = [
        n
        for n in names_in(text)
        if words(n) and not all(_asked(stem(w), asked_names) for w in words(n))
    ]
    if new_names:
        kinds.update(("name", "place"))
    if any(m.group(0).lower() not in asked_numbers for m in _quantities(text)):
        kinds.add("number")
    if _DATE.search(text):
        kinds.add("date")
    if _REASON.search(text):
        kinds.add("reason")
    return kinds


def _asked(term: str, asked: frozenset[str]) -> bool:
    """``term`` is a word the question asks with, in any form (``haitian`` for ``haiti``)."""
    return term in asked or any(same_word(term, a) for a in asked)


def _quantities(text: str) -> list[re.Match[str]]:
    """Numbers in ``text`` that count something: a bare year ("in 2026") is a date instead."""
    return [m for m in _NUMBER.finditer(text) if not _YEAR.fullmatch(m.group(0))]


def numbers_in(text: str) -> set[str]:
    return {m.group(0).lower() for m in _NUMBER.finditer(text)}


def answer_spans(text: str, kind: str | None, question: object = None) -> list[tuple[int, int]]:
    """Character spans in ``text`` of possible answers of ``kind`` (names the question does
    not mention, numbers, dates); empty for other kinds."""
    asked: frozenset[str] = getattr(question, "asked_names", frozenset())
    spans: list[tuple[int, int]] = []
    if kind in ("name", "place"):
        for match in _NAME.finditer(text):
            if not _specific(match.group(0)):
                continue
            new = [
                w for w in words(match.group(0)) if not any(same_word(stem(w), a) for a in asked)
            ]
            if match.start() and new:
                spans.append(match.span())
    elif kind == "number":
        spans = [m.span() for m in _quantities(text)]
    elif kind == "date":
        spans = [m.span() for m in _DATE.finditer(text)]
    return spans
