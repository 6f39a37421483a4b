"""Words of text: stems, stopwords, informativeness and word forms, shared by BM25 and the answerer.

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


def fuzzy_in(term: str, text: str) -> bool:
    """``term`` (a word) occurs in ``text``, allowing a different ending (see ``same_word``)."""
    term = stem(term.lower())
    return any(same_word(term, stem(word)) for word in words(text))


# Irregular English word forms, each family as its base form first: the forms suffix
# stripping cannot join ("died", "dead", "death"; "held", "hold"). General English morphology
# (irregular verbs and the nouns and adjectives most often made from them), not a synonym list.
_FAMILY_TEXT = """
    die died dies dying dead death deaths | hold held | win won | lose lost loss losses
    leave left | take took taken | give gave given | go went gone | come came
    become became | buy bought | sell sold | fall fell fallen | rise rose risen
    fight fought | flee fled | seek sought | meet met | send sent | spend spent | build built
    strike struck | shoot shot | steal stole stolen | begin began begun | bring brought
    catch caught | teach taught | keep kept | lead led | feel felt | run ran
    write wrote written | drive drove driven | choose chose chosen | speak spoke spoken
    break broke broken | freeze froze frozen | hide hid hidden | bear bore born
    grow grew grown | know knew known | throw threw thrown | fly flew flown
    draw drew drawn | show shown | sink sank sunk | sing sang sung | stand stood
    understand understood | sit sat | lay laid | pay paid | wake woke woken | wear wore worn
    tear tore torn | swear swore sworn | forget forgot forgotten | get got gotten
    eat ate eaten | feed fed | bleed bled | hang hung | lend lent | bend bent
    mean meant | deal dealt | dig dug | stick stuck | swing swung | sweep swept | sleep slept
    hear heard | ride rode ridden | shake shook shaken | forgive forgave forgiven
    overcome overcame | withdraw withdrew withdrawn | uphold upheld | overthrow overthrew
    overthrown | arise arose arisen | forbid forbade forbidden | think thought | slide slid
    spin spun | slay slew slain | weave wove woven
"""
_FAMILY = {form: family.split()[0] for family in _FAMILY_TEXT.split("|") for form in family.split()}


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The base form of an irregular word form (``died`` -> ``die``, ``held`` -> ``hold``);
    ``word`` itself otherwise."""
    return _FAMILY.get(word, word)


def same_word(a: str, b: str) -> bool:
    """Stems ``a`` and ``b`` are one word: equal; or one begins the other and the shorter has
    four letters or more (``iraq``, ``iraqi``); or both have five or more and share the first
    five (``assassinat``, ``assassination``); or they are irregular forms of one word (``died``,
    ``dead``; see ``lemma``). Shorter words (``us``) must be equal.
    """
    if a == b or lemma(a) == lemma(b):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short):
        return True
    return len(short) >= 5 and short[:5] == long[:5]
