"""What a question asks: its informative words, the names it mentions, the kind of answer.

Long because: every rule of question analysis stands here together, so they can be read and
tested side by side.

>>> q = analyse("How many American troops are in Iraq?")
>>> q.kind, sorted(q.anchors)
('number', ['american', 'iraq'])
>>> split_question("Who won, and who was forced to withdraw?")
['Who won', 'who was forced to withdraw?']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..text.words import common_word, informativeness, is_stopword, same_word, stem, words
from .terms import numbers_in

_GENERIC_TEXT = (
    "name named happen happened according call called kind type sort thing things exactly "
    "currently now think thought describe described"
)
_GENERIC = frozenset(_GENERIC_TEXT.split())
_KINDS = (
    (
        "number",
        r"\bhow (?:many|much|long|far|old|often|big|large|high)\b|\bby how much\b|"
        r"\bwhat (?:is |was |are )?(?:the )?(?:\w+ ){0,2}(?:percentage|number|amount|total|toll|"
        r"rate|age|score|price|cost|chance|proportion|share|size|figure)\b",
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
)
_SPLIT = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|;\s*|\?\s+|\s+and\s+)(?=(?:who|whom|whose|which|what|where|when|"
    r"why|how)\b)",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*|\b\d[\d,.]*\d\b|\b\d\b")


@dataclass(frozen=True)
class Question:
    """A question analysed for answer selection (see ``analyse``)."""

    text: str
    weights: dict[str, float]  # stem -> informativeness of the question's content words
    anchors: frozenset[str]  # words of the names and numbers the question mentions
    kind: str | None  # "name", "place", "number", "date", "reason" or None
    asked_names: frozenset[str] = field(default_factory=frozenset)
    asked_numbers: frozenset[str] = field(default_factory=frozenset)
    pairs: tuple[tuple[str, str], ...] = ()  # words of one phrase ("president", "iran")
    focus: tuple[str, ...] = ()  # what a "how many" question counts
    anchor_groups: tuple[frozenset[str], ...] = ()  # one per name or number
    plural: bool = False  # asks for several ("Which groups ...?")

    def anchored_in(self, text: str) -> bool:
        """Every name and number of the question is in ``text`` (one word of it suffices)."""
        present = _prefixes(text)
        return all(_has(_rarest(group), present) for group in self.anchor_groups)

    def term_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the question's words in ``text``."""
        terms = list(self.weights)
        return [
            m.span()
            for m in re.finditer(r"[\w’'-]+", text)
            if any(same_word(t, stem(m.group(0).lower())) for t in terms)
        ]

    @property
    def strict(self) -> bool:
        """Whether a sentence without the wanted kind of answer cannot answer."""
        return self.kind in ("name", "place", "number", "date")

    def mentions_topic(self, text: str) -> bool:
        """``text`` has at least one of the question's words that is not a name or number."""
        topic = [t for t, w in self.weights.items() if t not in self.anchors and w >= 1.0]
        present = _prefixes(text)
        return not topic or any(_has(t, present) for t in topic)

    def coverage(self, text: str, *, nearby: str = "") -> float:
        """Weighted share of the question's content words found in ``text`` (fuzzy endings);
        its names and numbers also count when they are in ``nearby`` (the sentences before).
        """
        total = sum(self.weights.values())
        if not total:
            return 0.0
        present, around = _prefixes(text), _prefixes(nearby)
        found = sum(
            w
            for term, w in self.weights.items()
            if _has(term, present) or (term in self.anchors and _has(term, around))
        )
        return found / total

    def scattered(self, text: str, *, window: int = 5) -> bool:
        """True when two neighbouring words of the question both occur in ``text`` but never
        within ``window`` words of each other ("president of Iran" against "US President ...
        Iran's top general"): the sentence then speaks of something else.
        """
        positions: dict[str, list[int]] = {}
        for index, word in enumerate(words(text)):
            for term in {t for pair in self.pairs for t in pair}:
                if _has(term, ({stem(word)}, set())):
                    positions.setdefault(term, []).append(index)
        for a, b in self.pairs:
            if a in positions and b in positions:
                gap = min(abs(i - j) for i in positions[a] for j in positions[b])
                if gap > window:
                    return True
        return False

    def counts_focus(self, text: str, *, window: int = 4) -> bool:
        """For "how many X" questions: a number stands within ``window`` words of an X word."""
        if not self.focus:
            return True
        tokens = re.findall(r"\d[\d,.]*\d|\d|[\w’'-]+", text.lower())
        numbers = [i for i, t in enumerate(tokens) if t in numbers_in(text)]
        focus = [
            i for i, t in enumerate(tokens) if any(_has(f, ({stem(t)}, set())) for f in self.focus)
        ]
        return any(abs(i - j) <= window for i in numbers for j in focus)


def analyse(question: str) -> Question:
    """The informative words, anchors and wanted kind of answer of ``question``."""
    weights: dict[str, float] = {}
    for word in words(question):
        if is_stopword(word) or word in _GENERIC or len(word) < 2:
            continue
        term = stem(word)
        weights[term] = max(weights.get(term, 0.0), informativeness(re.sub(r"['’]s$", "", word)))
    groups = _anchor_groups(question)
    kind_word = re.search(r"\b(?i:which|what)\s+([a-z]+)\b", question)
    if kind_word and stem(kind_word.group(1)) in weights:
        # "Which groups ...?": the word names the kind of answer, it is no evidence for one.
        del weights[stem(kind_word.group(1))]
    return Question(
        text=question,
        weights=weights,
        anchors=frozenset().union(*groups),
        anchor_groups=tuple(groups),
        kind=question_kind(question),
        asked_names=frozenset(weights),
        asked_numbers=frozenset(numbers_in(question)),
        pairs=tuple(_pairs(question, weights)),
        focus=_focus(question),
        plural=bool(kind_word and re.fullmatch(r"\w+[^s]s|people|staff", kind_word.group(1))),
    )


def question_kind(question: str) -> str | None:
    """``number``, ``date``, ``place``, ``reason``, ``name`` (first rule that matches) or None."""
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


def _pairs(question: str, weights: dict[str, float]) -> list[tuple[str, str]]:
    """Words bound in ``question`` by a possessive ("Iran's foreign") or by "of" between a
    word and a one-word name ("president of Iran"): a sentence naming both far apart speaks of
    something else."""
    pairs = []
    for clause in re.split(r"[,;:?!()]", question):
        tokens = re.findall(r"[\w’'-]+", clause)
        for index, (a, b) in enumerate(itertools.pairwise(tokens)):
            after = tokens[index + 2 : index + 4]
            if b == "of" and a.islower() and after[:1] and after[0][:1].isupper():
                if len(after) > 1 and after[1][:1].isupper():
                    continue
                pair = (a, after[0])
            elif re.search(r"['’]s$", a):
                pair = (a, b)
            else:
                continue
            x, y = (stem(w.lower()) for w in pair)
            if x in weights and y in weights and x != y:
                pairs.append((x, y))
    return pairs


def _focus(question: str) -> tuple[str, ...]:
    """The words naming what "how many ..." / "how much ..." counts ("people", "troops")."""
    match = re.search(r"\bhow (?:many|much)\s+(.*)", question, re.IGNORECASE)
    if not match:
        return ()
    focus = []
    for word in words(match.group(1)):
        if is_stopword(word):
            break
        focus.append(stem(word))
    return tuple(focus)


def _anchor_groups(question: str) -> list[frozenset[str]]:
    """The names (runs of capitalised words) and numbers of ``question``, each as its words.

    A name is found in a text when its rarest word is ("Shirley Strachan" by "Mr Strachan").
    """
    groups: list[set[str]] = []
    last_end = -2
    for match in _CAPITALISED.finditer(question):
        token = match.group(0)
        first = match.start() == 0 or question[: match.start()].rstrip()[-1:] in "?.!"
        if first and (common_word(token) or is_stopword(token.lower())):
            continue
        found = {stem(w) for w in words(token) if (len(w) >= 2 and not is_stopword(w)) or w == "us"}
        if not found:
            continue
        if groups and question[last_end : match.start()].strip() == "":
            groups[-1] |= found
        else:
            groups.append(found)
        last_end = match.end()
    return [frozenset(g) for g in groups]


def _rarest(group: frozenset[str]) -> str:
    """The most informative word of a name: "strachan" of "Shirley Strachan"."""
    return max(sorted(group), key=lambda w: (w.isdigit(), informativeness(w)))


def _prefixes(text: str) -> tuple[set[str], set[str]]:
    return {stem(w) for w in words(text)}, set()


def _has(term: str, present: tuple[set[str], set[str]]) -> bool:
    """``term`` is one of the stems present, allowing a different ending (``same_word``)."""
    return term in present[0] or any(same_word(term, s) for s in present[0])
