"""What the scorer sees of a sentence: numbers saying how well it could answer a question.

``sentences`` cuts the retrieved passages into candidate sentences (each with the sentences
before and after it); ``features`` turns one candidate into the vector ``FEATURES`` names,
given the question and the sentence's cosine similarity to it::

    candidates = sentences(passages)
    row = features(analyse("who rejected the deal"), candidates[0], cosine=0.41, best_cosine=0.5,
                   best_coverage=0.8, maxsim=0.45, best_maxsim=0.6, weakest=0.3)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Passage
from ..text.sentences import sentence_spans
from .forms import keys, present
from .polarity import agreement, sides
from .questions import Question
from .terms import answer_spans, kinds_in, numbers_in, quantity_spans, states_unit

FEATURES = (
    "coverage",  # weighted share of the question's words in the sentence
    "coverage_nearby",  # ... in the title, the two sentences before and the sentence
    "coverage_passage",  # ... in the whole passage and its title
    "cosine",  # embedding similarity of the sentence and the question
    "cosine_gap",  # cosine minus the best cosine among the candidates
    "coverage_gap",  # coverage minus the best coverage among the candidates
    "kind_present",  # holds the kind of answer the question wants (a new name, a number ...)
    "kind_missing",  # the question needs a name, place, number or date and it holds none
    "kind_next",  # it holds none but the next sentence does ("..., according to the engineer.")
    "proximity",  # a possible answer stands next to the question's words
    "anchors_sentence",  # share of the question's names and numbers in the sentence
    "anchors_nearby",  # ... near it
    "anchors_article",  # ... anywhere in the retrieved text of its article
    "names_article",  # share of its names and numbers (not rare words) in that text
    "numbers_missing",  # a number the question mentions is nowhere in the article's text
    "missing_weight",  # informativeness of the rarest question word absent from nearby
    "rank",  # the passage's retrieval rank (0 = best)
    "lead",  # the article's first sentence
    "polarity_agrees",  # states a side (welcome, rise, win ...) the question asks about
    "polarity_conflicts",  # states only the opposite side (reject, fall, lose ...)
    "pronoun",  # opens with a pronoun (refers back to a sentence before)
    "length",  # log of the number of words
    "focus_near",  # "how many X": a number within four words of an X word
    "yesno",  # the question is a yes/no question
    "maxsim",  # word-level match: each question word's best contextual match in the sentence
    "maxsim_gap",  # maxsim minus the best maxsim among the candidates
    "kind_word",  # holds the noun of "which party ...?" ("... leader of the Alliance Party")
    "unit_missing",  # the question asks for an amount in a unit (dollars, an age) it does not state
    "weakest",  # the best match of the question's least matched word (see matching.weakest)
)
_PRONOUN = re.compile(
    r"^\W*(?:\w+\s+){0,2}(?:he|she|his|her|him|they|their|them|it|its)\b", re.IGNORECASE
)


def eligible(row: list[float]) -> bool:
    """A sentence can answer only when its article names every name and number the question
    asks about (a question about another year, person or place is not answered by this one)
    and it does not state the opposite of what the question asks (see ``polarity``). A rare
    lower-case word of the question missing from the article only lowers the score: a
    paraphrase may use it ("walkout" for "strike")."""
    return (
        row[FEATURES.index("names_article")] >= 1.0
        and not row[FEATURES.index("numbers_missing")]
        and not row[FEATURES.index("polarity_conflicts")]
    )


def eligible_all(rows: list[list[float]], *, sides: bool = True) -> list[bool]:
    """``eligible`` for each candidate of one question; besides (``sides``, the side gate),
    when the question asks for one side (who *welcomed* it) and some eligible candidate states
    that side, only those that state it can answer: a sentence on the topic that takes no side
    is not the answer while one that takes the asked side is there."""
    ok = [eligible(r) for r in rows]
    if not sides:
        return ok
    agrees, yesno = FEATURES.index("polarity_agrees"), FEATURES.index("yesno")
    sided = [o and bool(r[agrees]) and not r[yesno] for o, r in zip(ok, rows, strict=True)]
    return sided if any(sided) else ok


@dataclass(frozen=True)
class Sentence:
    """One sentence of a retrieved passage, with what surrounds it."""

    passage: Passage
    rank: int  # of its passage among the retrieved ones
    start: int  # character offsets inside ``passage.text``
    end: int
    nearby: str  # title, the two sentences before, the sentence
    following: str  # the next sentence of the passage ("" for the last)
    article: str  # the retrieved text of its article, all passages

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def sentences(passages: list[Passage]) -> list[Sentence]:
    """The distinct sentences of ``passages``, in retrieval order."""
    articles: dict[str, str] = {}
    for passage in passages:
        articles[passage.article_id] = f"{articles.get(passage.article_id, '')}\n{passage.text}"
    seen: set[str] = set()
    result = []
    for rank, passage in enumerate(passages):
        spans = sentence_spans(passage.text)
        for index, (start, end) in enumerate(spans):
            text = passage.text[start:end]
            normal = " ".join(text.lower().split())
            if normal in seen or len(normal) < 3:
                continue
            seen.add(normal)
            before = passage.text[spans[max(0, index - 2)][0] : start]
            after = spans[index + 1] if index + 1 < len(spans) else (end, end)
            result.append(
                Sentence(
                    passage=passage,
                    rank=rank,
                    start=start,
                    end=end,
                    nearby=f"{passage.title}\n{before}\n{text}",
                    following=passage.text[after[0] : after[1]],
                    article=f"{passage.title}\n{articles[passage.article_id]}",
                )
            )
    return result


@lru_cache(maxsize=65536)
def key_set(text: str) -> frozenset[str]:
    """The keys of ``text``'s words, cached (sentences recur across questions)."""
    return frozenset(keys(text))


def prefilter(question: Question, sentence: Sentence) -> float:
    """A cheap score deciding which sentences are worth embedding."""
    return 0.7 * question.coverage(key_set(sentence.text)) + 0.3 * question.coverage(
        key_set(sentence.nearby)
    )


def features(
    question: Question,
    sentence: Sentence,
    *,
    cosine: float,
    best_cosine: float,
    best_coverage: float,
    maxsim: float,
    best_maxsim: float,
    weakest: float,
) -> list[float]:
    """The values of ``FEATURES`` for ``sentence`` as an answer to ``question``."""
    text = sentence.text
    own, near, article = key_set(text), key_set(sentence.nearby), key_set(sentence.article)
    coverage = question.coverage(own)
    kinds = kinds_in(text, question)
    wanted = question.kind in kinds
    missing = question.strict and not wanted
    agrees, conflicts = agreement(set(question.polar), sides(text))
    if question.kind == "yesno":
        conflicts = 0  # "did they accept it?" is answered by "they rejected it"
    return [
        coverage,
        question.coverage(near),
        question.coverage(key_set(f"{sentence.passage.title}\n{sentence.passage.text}")),
        cosine,
        cosine - best_cosine,
        coverage - best_coverage,
        float(wanted),
        float(missing),
        float(missing and question.kind in kinds_in(sentence.following, question)),
        _proximity(question, text),
        question.anchors_in(own),
        question.anchors_in(near),
        question.anchors_in(article),
        question.anchors_in(article, names_only=True),
        float(not question.numbers <= numbers_in(sentence.article)),
        question.missing_weight(near),
        min(sentence.rank, 10) / 10,
        float(sentence.passage.start == 0 and sentence.start == 0),
        float(agrees),
        float(conflicts),
        float(bool(_PRONOUN.search(text))),
        math.log1p(len(text.split())) / 4,
        _focus_near(question, text),
        float(question.kind == "yesno"),
        maxsim,
        maxsim - best_maxsim,
        float(bool(question.kind_key) and present(question.kind_key, own)),
        float(bool(question.unit) and not states_unit(text, question.unit or "")),
        weakest,
    ]


def _proximity(question: Question, text: str) -> float:
    """1 when a possible answer (a new name, a number, a date) touches a question word,
    falling to 0 at 60 characters apart."""
    answers = answer_spans(text, question.kind, question)
    if not answers:
        return 0.0
    terms = [
        m.span()
        for m in re.finditer(r"[\w’'-]+", text)
        if key_set(m.group(0)) & set(question.terms)
    ]
    if not terms:
        return 0.0
    gap = min(max(a[0] - t[1], t[0] - a[1], 0) for a in answers for t in terms)
    return max(0.0, 1 - gap / 60)


def _focus_near(question: Question, text: str, *, window: int = 4) -> float:
    """For "how many X" questions: 1 when a number stands within ``window`` words of an X."""
    if not question.focus:
        return 0.0
    tokens = re.findall(r"\d[\d,.]*\d|\d|[\w’'-]+", text)
    at = [i for i, t in enumerate(tokens) if quantity_spans(t)]
    focus = [i for i, t in enumerate(tokens) if key_set(t) & set(question.focus)]
    return float(any(abs(i - j) <= window for i in at for j in focus))
