"""Training questions made from articles themselves, for fitting the answer scorer.

A sentence becomes a question by replacing a name, number or date in it with the matching
question word and keeping the words around it, lightly changed the way people type (lower
case, no question mark, fewer words, another tense). Two kinds of unanswerable questions come
with them: *near misses* (the same question about another year, number or person) and
*opposites* (the sentence's verb turned to its opposite: welcomed -> rejected)::

    rng = random.Random(0)
    for item in questions_from_text(article_text, rng=rng, other_names=["Helen Dickie"]):
        item.question, item.answer, item.answerable
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..text.sentences import sentence_spans
from ..text.words import is_stopword, words
from .forms import base_form, inflect_like
from .polarity import opposite
from .terms import date_spans, name_spans, quantity_spans


@dataclass(frozen=True)
class Generated:
    """A made question: ``answer`` is the text a correct answer holds ("" if unanswerable)."""

    question: str
    answer: str
    source: str  # the sentence it was made from
    answerable: bool
    style: str  # "cloze", "yes_no", "near_miss" or "opposite"


_WINDOW = 7  # words kept on each side of the replaced answer
_WH = {"number": "how many", "date": "when", "name": "who", "place": "where"}
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|from|near|into)\s+$", re.IGNORECASE)


def questions_from_text(
    text: str, *, rng: random.Random, other_names: Sequence[str], per_sentence: int = 1
) -> Iterator[Generated]:
    """Questions made from the sentences of ``text`` (see the module docstring)."""
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not 8 <= len(sentence.split()) <= 60:
            continue
        targets = _targets(sentence)
        rng.shuffle(targets)
        for kind, (a, b) in targets[:per_sentence]:
            yes_no = rng.random() < 0.15
            question = (_yes_no if yes_no else _cloze)(sentence, kind, a, b, rng)
            if question is None:
                continue
            yield Generated(
                question, sentence[a:b], sentence, True, "yes_no" if yes_no else "cloze"
            )
            miss = _near_miss(question, rng, other_names)
            if miss and rng.random() < 0.5:
                yield Generated(miss, "", sentence, False, "near_miss")
            flipped = _opposite(question)
            if flipped:
                yield Generated(flipped, "", sentence, False, "opposite")


def _targets(sentence: str) -> list[tuple[str, tuple[int, int]]]:
    """Possible answers in ``sentence``: (kind, span) of its numbers, dates and names."""
    found = [("number", s) for s in quantity_spans(sentence)]
    found += [("date", s) for s in date_spans(sentence)]
    for a, b in name_spans(sentence):
        if a > 0:
            place = bool(_PLACE_BEFORE.search(sentence[:a]))
            found.append(("place" if place else "name", (a, b)))
    return found


def _cloze(sentence: str, kind: str, a: int, b: int, rng: random.Random) -> str | None:
    """The question asking for ``sentence[a:b]``: its question word and nearby words."""
    before = sentence[:a].split()[-_WINDOW:]
    after = sentence[b:].split()[:_WINDOW]
    wh = _WH[kind]
    if kind == "number" and after:
        wh, after = f"how many {after[0]}", after[1:]  # "500 residents" -> "how many residents"
    if kind == "place" and before:
        before = before[:-1]  # "in Baghdad" -> "where"
    body = [w for w in (*before, *after) if rng.random() > 0.25 or is_stopword(w.lower())]
    body = [re.sub(r"^[“\"‘(]+|[”\"’),.;:]+$", "", w) for w in body]
    body = [_retense(w, rng) for w in body if w]
    if sum(not is_stopword(w) for w in words(" ".join(body))) < 2:
        return None
    question = f"{wh} {' '.join(body)}"
    question = question.lower() if rng.random() < 0.5 else question[0].upper() + question[1:]
    return question + ("?" if rng.random() < 0.5 else "")


def _yes_no(sentence: str, kind: str, a: int, b: int, rng: random.Random) -> str | None:
    """A yes/no question about the words around ``sentence[a:b]``, the answer kept in it."""
    words_ = sentence[max(0, a - 60) : b + 60].split()[1:-1]
    body = [re.sub(r"^[“\"‘(]+|[”\"’),.;:]+$", "", w) for w in words_]
    body = [w for w in body if w and (rng.random() > 0.2 or is_stopword(w.lower()))]
    if len(body) < 4:
        return None
    question = f"{rng.choice(('did', 'is it true that', 'was', 'has'))} {' '.join(body)}"
    return question.lower() if rng.random() < 0.5 else question[0].upper() + question[1:] + "?"


def _retense(word: str, rng: random.Random) -> str:
    """Sometimes the base form of a word ("welcomed" -> "welcome"), as people rephrase."""
    if rng.random() < 0.2 and word.islower():
        return base_form(word)
    return word


def _near_miss(question: str, rng: random.Random, other_names: Sequence[str]) -> str | None:
    """The question about another year, number or person (no longer answered by the text)."""
    years = list(re.finditer(r"\b(?:19|20)\d\d\b", question))
    if years:
        m = rng.choice(years)
        year = int(m.group(0)) + rng.choice((-3, -2, -1, 1, 2, 3))
        return question[: m.start()] + str(year) + question[m.end() :]
    numbers = list(re.finditer(r"\b\d[\d,]*\b", question))
    if numbers:
        m = rng.choice(numbers)
        value = int(m.group(0).replace(",", "")) * rng.choice((2, 3, 10)) + 1
        return question[: m.start()] + f"{value:,}" + question[m.end() :]
    names = name_spans(question)
    if names and other_names:
        a, b = rng.choice(names)
        replacement = rng.choice(other_names)
        if replacement.lower() not in question.lower():
            return question[:a] + replacement + question[b:]
    return None


def _opposite(question: str) -> str | None:
    """The question with its first word of a polar axis turned over (won -> lost)."""
    for match in re.finditer(r"[A-Za-z]+", question):
        other = opposite(match.group(0))
        if other:
            form = inflect_like(other, match.group(0).lower())
            return question[: match.start()] + form + question[match.end() :]
    return None
