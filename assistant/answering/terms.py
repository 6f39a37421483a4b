"""Names, numbers, dates and reasons in text: the kinds of answer a sentence can hold.

>>> sorted(kinds_in("On Monday 2,500 troops left Baghdad."))
['date', 'name', 'number', 'place']
"""

from __future__ import annotations

import re
from typing import Protocol

from lemminflect import getAllLemmas

from ..text.words import common_word, informativeness, is_stopword, words
from .forms import key, present

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|"
    "dozens|half|third|quarter|twice|several|scores"
)
_NUMBER = re.compile(rf"\b(?:\d[\d,.]*\d|\d|{_NUMBER_WORDS})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}} )?(?:{_MONTHS})(?: \d{{1,2}})?|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|(?:1[89]|20)\d\d|yesterday|today|tonight|tomorrow|overnight|"
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
_OPENERS = '.!?"“'


class Asking(Protocol):
    """What these functions need of a question: the keys of its words and its numbers."""

    @property
    def asked(self) -> frozenset[str]: ...

    @property
    def numbers(self) -> frozenset[str]: ...


def _specific(name: str) -> bool:
    """Whether a capitalised run can name an answer: not an adjective made from a name
    ("Iran-backed") nor a lone title or institution word ("President", "Government")."""
    if _DERIVED.fullmatch(name):
        return False
    return " " in name or informativeness(name.lower()) > 2.7


def in_dictionary(word: str) -> bool:
    """An English dictionary word ("Dozens", "Police"), not a name ("Basra", "Qantas")."""
    return bool(getAllLemmas(word.lower()))


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of capitalised names; a sentence's first word only if it is no English word."""
    spans = []
    for match in _NAME.finditer(text):
        start, name = match.start(), match.group(0)
        first = name.split()[0]
        opens = start == 0 or text[:start].rstrip()[-1:] in _OPENERS
        if opens and (common_word(first) or is_stopword(first.lower()) or in_dictionary(first)):
            name = name[len(first) :].lstrip()
            start = match.end() - len(name)
        if name and _specific(name) and not is_stopword(name.lower()) and not _DATE.fullmatch(name):
            spans.append((start, match.end()))
    return spans


def names_in(text: str) -> set[str]:
    """The capitalised names of ``text`` (see ``name_spans``)."""
    return {text[a:b] for a, b in name_spans(text)}


def quantity_spans(text: str) -> list[tuple[int, int]]:
    """Spans of numbers that count something: a bare year ("in 2026") is a date instead."""
    return [m.span() for m in _NUMBER.finditer(text) if not _YEAR.fullmatch(m.group(0))]


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of dates and times: days, months, years, "last week", "yesterday"."""
    return [m.span() for m in _DATE.finditer(text)]


_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_VALUES = {word: str(value) for value, word in enumerate(_SMALL.split())}
_VALUES |= {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "hundred": "100"}


def _number(text: str) -> str:
    """A number as digits without separators: "1,500" -> "1500", "Twenty" -> "20"."""
    text = text.lower().replace(",", "")
    return _VALUES.get(text, text)


def numbers_in(text: str) -> set[str]:
    """The numbers of ``text`` as digits without separators ("twenty" and "20" are one)."""
    return {_number(m.group(0)) for m in _NUMBER.finditer(text)}


def _new(name: str, question: Asking | None) -> bool:
    """A name the question does not itself mention (``Haitian`` is ``Haiti``)."""
    asked = question.asked if question else frozenset()
    return any(not present(key(w), asked) for w in words(name))


def kinds_in(text: str, question: Asking | None = None) -> set[str]:
    """The kinds of answer ``text`` holds: ``name``, ``place``, ``number``, ``date``, ``reason``;
    names and numbers the question itself mentions do not count."""
    kinds: set[str] = set()
    if any(_new(n, question) for n in names_in(text)):
        kinds.update(("name", "place"))
    asked_numbers = question.numbers if question else frozenset()
    if any(_number(text[a:b]) not in asked_numbers for a, b in quantity_spans(text)):
        kinds.add("number")
    if _DATE.search(text):
        kinds.add("date")
    if _REASON.search(text):
        kinds.add("reason")
    return kinds


def answer_spans(
    text: str, kind: str | None, question: Asking | None = None
) -> list[tuple[int, int]]:
    """Character spans in ``text`` of possible answers of ``kind`` (names the question does
    not mention, numbers, dates); empty for other kinds."""
    if kind in ("name", "place"):
        return [(a, b) for a, b in name_spans(text) if _new(text[a:b], question)]
    if kind == "number":
        return quantity_spans(text)
    if kind == "date":
        return date_spans(text)
    return []


# The unit a number question asks for, and how a sentence states a number in that unit. A "how
# much will it cost" question is not answered by "48 hours", nor "how old" by "five people".
_N = rf"(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|one)"
_UNITS = {
    "money": (
        r"\b(?:cost|costs|costing|price|prices|paid|pay|payment|salary|salaries|wage|wages|"
        r"worth|owe|owed|owes|debt|debts|spend|spent|spending|budget|fund|funding|funds|"
        r"reward|fine|fined|compensation|money|dollars|profit|profits|loss|losses|revenue|"
        r"bill|fee|fees|donate|donated|bail|earn|earned)\b",
        r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:m|bn|k)\b|\b(?:dollars?|cents?|pounds?|euros?|yen|"
        r"rupiah|rupees?|francs?|marks?)\b",
    ),
    "percent": (
        r"\b(?:percentage|per ?cent|proportion)\b|%",
        r"\bper ?cent\b|%|\bpercentage points?\b",
    ),
    "age": (
        r"\bhow old\b|\bwhat age\b|\b(?:his|her|their|the) age\b",
        rf"\b\d+-year-olds?\b|\b(?:aged?|age of) \d+|\b{_N}[ -]years?[ -]old\b|"
        r"[A-Z][\w'-]+, \d{1,3},|\b(?:in (?:his|her|their) )(?:twen|thir|for|fif|six|seven|"
        r"eigh|nine)ties\b",
    ),
    "duration": (
        r"\bhow long\b|\bfor how many (?:days|weeks|months|years|hours)\b",
        rf"\b{_N}[ -](?:\w+[ -])?(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|"
        r"months?|years?|decades?|centur(?:y|ies)|nights?|terms?|innings)\b|"
        r"\b(?:since|until|till|overnight|indefinitely|permanently)\b",
    ),
    "year": (
        r"\b(?:what|which|in what|in which) year\b",
        r"\b(?:1[89]|20)\d\d\b|\b(?:last|next|this) year\b",
    ),
    "distance": (
        r"\bhow (?:far|tall|high|deep|wide|big|large|heavy)\b|"
        r"\bwhat (?:is |was )?the (?:size|area|height|length|depth|weight|distance)\b",
        rf"\b{_N}[ -]?(?:square |cubic )?(?:km|kilometres?|kilometers?|metres?|meters?|m|"
        r"miles?|feet|foot|ft|cm|centimetres?|hectares?|acres?|tonnes?|tons?|kilograms?|kg|"
        r"grams?|storeys?|stories|litres?|megalitres?|kilolitres?|gigalitres?|nautical)\b",
    ),
}


def unit_asked(question: str, kind: str | None) -> str | None:
    """The unit a number (or ``when``) question asks for: ``money`` ("how much will it cost"),
    ``percent``, ``age``, ``duration``, ``year``, ``distance`` (sizes, weights), or None."""
    if kind not in ("number", "date"):
        return None
    many = re.search(r"\bhow many\b", question, re.IGNORECASE)
    for unit, (asked, _) in _UNITS.items():
        if (kind == "date") != (unit == "year") or (many and unit == "money"):
            continue  # "how many job losses" counts jobs, not dollars
        if re.search(asked, question, re.IGNORECASE):
            return unit
    return None


def states_unit(text: str, unit: str) -> bool:
    """Whether ``text`` states an amount in ``unit`` ("$5 million", "14 per cent", "aged 19")."""
    pattern = _UNITS[unit][1]
    flags = 0 if unit == "age" else re.IGNORECASE  # "Smith, 45," needs the capital
    return bool(re.search(pattern, text, flags))
