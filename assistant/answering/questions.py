"""What a question asks: its informative words, the names it mentions, the kind of answer.

>>> q = analyse("How many American troops are in Iraq?")
>>> q.kind, q.anchors
('number', ('american', 'iraq'))
>>> split_question("Who won, and who was forced to withdraw?")
['Who won', 'who was forced to withdraw?']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemminflect import getAllLemmas

from ..text.words import common_word, informativeness, is_stopword, words
from .forms import key, present
from .polarity import sides
from .terms import numbers_in, unit_asked

# Words that frame a question rather than say what it is about.
_GENERIC_TEXT = (
    "name named happen happened according call called kind type sort thing things exactly "
    "currently now think thought describe described"
)
_GENERIC = frozenset(_GENERIC_TEXT.split())
# A lower-case word this rare in general English (Zipf frequency <= 3) is taken for a name.
_RARE = 5.0
_KINDS = (
    (
        "number",
        r"\bhow (?:many|much|long|far|old|often|big|large|high)\b|\bby how much\b|"
        r"\bwhat (?:is |was |are )?(?:the )?(?:[\w'’]+ ){0,2}(?:percentage|number|amount|total|"
        r"toll|rate|age|score|price|cost|chance|proportion|share|size|figure|salary|wage|fee|"
        r"fine|budget|bill|reward)\b",
    ),
    (
        "date",
        r"^\s*(?:by |since |until )?when\b|\b(?:what|which) (?:day|date|year|month|time)\b|"
        r"\bhow soon\b",
    ),
    (
        "place",
        r"^\s*where\b|\b(?:in|at|to|from|into|on) (?:what|which) (?:\w+ )?(?:city|town|country|"
        r"river|suburb|place|state|region|area|street|village|province|island|capital|"
        r"continent|location)\b|^\s*(?:what|which) (?:city|town|country|suburb|river|state|"
        r"region|island)\b",
    ),
    ("reason", r"^\s*why\b|\bwhat (?:caused|led to|prompted|made)\b|\bfor what reason\b"),
    (
        "name",
        r"^\s*(?:who|whom|whose)\b|\bwhich (?!day|date|year|month|time)\w+|"
        r"\bwhat (?:\w+ )?(?:group|groups|party|parties|organi[sz]ation|company|companies|team|"
        r"firm|movement|force|country|countries|newspaper|outlet|language|militia|bank|"
        r"agency|body|union|club|ship|yacht|program|programme|show|series|title|brand)\b",
    ),
    ("yesno", r"^\s*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b"),
)
_SPLIT = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|;\s*|\?\s+|\s+and\s+)(?=(?:who|whom|whose|which|what|where|when|"
    r"why|how)\b)",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")
# A follow-up rewritten with its context: "And who welcomed it? (Which groups reject ...?)";
# the side it asks for is the follow-up's own.
_CONTEXT = re.compile(r"\s*\([^()]*\)\s*$")
_KIND_WORD = re.compile(r"\b(?i:which|what)\s+([a-z]+)\b")


@dataclass(frozen=True)
class Question:
    """A question analysed for answer selection (see ``analyse``)."""

    text: str
    terms: dict[str, float]  # key -> informativeness of the question's content words
    anchors: tuple[str, ...]  # the rarest key of each name, number or rare word
    numbers: frozenset[str]  # the exact numbers it mentions, as digits (not "one", "dozens")
    kind: str | None  # "name", "place", "number", "date", "reason", "yesno" or None
    plural: bool = False  # asks for several ("Which groups ...?")
    polar: frozenset[tuple[str, int]] = frozenset()  # see polarity.sides
    focus: tuple[str, ...] = ()  # what a "how many" question counts
    asked: frozenset[str] = frozenset()  # keys of all its words: a name it mentions is no answer
    rare: frozenset[str] = frozenset()  # the anchors that are only rare words, not names
    kind_key: str = ""  # key of the noun in "which party ...?" / "what disease ...?"
    unit: str | None = None  # what a number asks for: "money", "age" ... (see terms.unit_asked)

    @property
    def strict(self) -> bool:
        """Whether a sentence without the wanted kind of answer cannot answer."""
        return self.kind in ("name", "place", "number", "date")

    def coverage(self, found: frozenset[str]) -> float:
        """Weighted share of the question's words among the keys ``found``."""
        total = sum(self.terms.values())
        hit = sum(w for t, w in self.terms.items() if present(t, found))
        return hit / total if total else 0.0

    def anchors_in(self, found: frozenset[str], *, names_only: bool = False) -> float:
        """Share of the question's names, numbers and rare words among ``found`` (1.0 with
        none); with ``names_only``, of its names and numbers alone."""
        anchors = [a for a in self.anchors if not (names_only and a in self.rare)]
        if not anchors:
            return 1.0
        return sum(present(a, found) for a in anchors) / len(anchors)

    def missing_weight(self, found: frozenset[str]) -> float:
        """Informativeness (0..1) of the rarest question word not among ``found``."""
        missing = [w for t, w in self.terms.items() if not present(t, found)]
        return max(missing, default=0.0) / 8.0


def analyse(question: str, *, names: frozenset[str] = frozenset()) -> Question:
    """The informative words, anchors and wanted kind of answer of ``question``; ``names``
    (lower-cased words of the names in the passages) make those words anchors whatever
    their case in the question ("iraq" in "how many troops are in iraq")."""
    own = _CONTEXT.sub("", question)
    kind_word = _KIND_WORD.search(own)
    terms = _terms(own)
    for term, weight in _terms(question[len(own) :], topic=True).items():
        terms.setdefault(term, weight)
    anchors, rare = _anchors(question, names)
    kind = question_kind(question)
    return Question(
        text=question,
        terms=terms,
        anchors=anchors,
        rare=rare,
        numbers=frozenset(n for n in numbers_in(question) if n.isdigit() and n != "1"),
        kind=kind,
        unit=unit_asked(own, kind),
        plural=bool(kind_word and is_plural(kind_word.group(1))),
        kind_key=_kind_key(kind_word.group(1) if kind_word else ""),
        polar=frozenset(sides(own)),
        focus=_focus(question),
        asked=frozenset(key(w) for w in words(question)),
    )


def _terms(text: str, *, topic: bool = False) -> dict[str, float]:
    """Key -> informativeness of the content words of ``text``. With ``topic``
    (the earlier question a follow-up borrows), only what it is about: not its words on a side
    of an axis ("reject" in "Which groups reject the withdrawal?"), for the follow-up asks its
    own side ("And who welcomed it?")."""
    kind_word = _KIND_WORD.search(text)
    terms: dict[str, float] = {}
    for word in words(text):
        if is_stopword(word) or word in _GENERIC or len(word) < 2:
            continue
        if kind_word and word == kind_word.group(1).lower():
            continue  # "Which groups ...?": names the kind of answer, no evidence for one
        if topic and sides(word):
            continue
        weight = informativeness(re.sub(r"['’]s$", "", word))
        terms[key(word)] = max(terms.get(key(word), 0.0), weight)
    return terms


def _kind_key(noun: str) -> str:
    """The key of the noun naming the kind of answer, "" for none ("what is ...")."""
    noun = noun.lower()
    if not noun or is_stopword(noun) or noun in _GENERIC:
        return ""
    return key(noun)


def is_plural(noun: str) -> bool:
    """A plural noun: "groups", "people"; not "bus", "was", "news"."""
    lemmas = getAllLemmas(noun.lower()).get("NOUN")
    return bool(lemmas) and lemmas[0] != noun.lower()


def question_kind(question: str) -> str | None:
    """``number``, ``date``, ``place``, ``reason``, ``name``, ``yesno`` (first that matches)."""
    for kind, pattern in _KINDS:
        if re.search(pattern, question, re.IGNORECASE):
            return kind
    return None


def split_question(question: str) -> list[str]:
    """Split a multi-part question at "..., and who ...", "...; what ..." and "...? Why ..."."""
    parts = [p.strip() for p in _SPLIT.split(question) if p and p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and not any(not is_stopword(w) for w in words(part)):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged or [question]


def _focus(question: str) -> tuple[str, ...]:
    """The words naming what "how many ..." / "how much ..." counts ("people", "troops")."""
    match = re.search(r"\bhow (?:many|much)\s+(.*)", question, re.IGNORECASE)
    if not match:
        return ()
    focus = []
    for word in words(match.group(1)):
        if is_stopword(word):
            break
        focus.append(key(word))
    return tuple(focus)


def _anchors(question: str, names: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """Names (runs of capitalised words, or words too rare to be anything else, whatever
    their case), and numbers of ``question``, each by the key of its rarest word: a name is
    found in a text when that word is ("Shirley Strachan" by "Mr Strachan"). Second, the
    anchors that are only rare lower-case words (a paraphrase may use such a word)."""
    anchors: list[str] = []
    rare: set[str] = set()
    strong: set[str] = set()
    taken: set[str] = set()
    for match in _CAPITALISED.finditer(question):
        tokens = match.group(0).split()
        first = match.start() == 0 or question[: match.start()].rstrip()[-1:] in "?.!"
        if first and (common_word(tokens[0]) or is_stopword(tokens[0].lower())):
            tokens = tokens[1:]  # "Which", "How": a capital for the sentence, not a name
        token = " ".join(tokens)
        found = [w for w in words(token) if len(w) >= 2 and not is_stopword(w)]
        if found:
            anchors.append(key(max(found, key=informativeness)))
            strong.add(anchors[-1])
            taken.update(words(token))
    for word in words(question):
        if word in taken or is_stopword(word) or word in _GENERIC:
            continue
        if word.isdigit() or word in names:
            anchors.append(key(word))
            strong.add(key(word))
        elif informativeness(word) >= _RARE:
            anchors.append(key(word))
            rare.add(key(word))
    return tuple(dict.fromkeys(anchors)), frozenset(rare - strong)
