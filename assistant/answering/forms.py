"""Word forms for matching a question against a sentence: one key per word, from libraries.

A word's key is the Snowball stem (PyStemmer) of its base form (lemminflect), so regular and
irregular forms meet ("leaving" and "left" -> ``leav``; "wins" and "won" -> ``win``) and words
that merely share a beginning do not ("police" ``polic``, "policy" ``polici``). A name and the
adjective made from it ("Haiti", "Haitian") count as one word (``same_word``)::

    >>> key("left") == key("leaving"), key("police") == key("policy")
    (True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from lemminflect import getAllLemmas, getInflection

from ..text.words import words

_STEMMER = Stemmer.Stemmer("english")
# Endings that make an adjective or a people of a place name: Iraq-i, Haiti-an, Iran-ian.
_DEMONYM = ("i", "n", "an", "ian", "is", "ns", "ans", "ians", "ese")


@lru_cache(maxsize=131072)
def base_form(word: str) -> str:
    """The base form of an inflected word: ``left`` -> ``leave``, ``deaths`` -> ``death``."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    lemmas = getAllLemmas(word)
    for pos in ("VERB", "NOUN", "ADJ"):
        if lemmas.get(pos):
            return str(lemmas[pos][0])
    return word


# Keys of words no English dictionary knows (names: "iraq", "haitian"); only these join
# with another form by a demonym ending, so "police" and "policy" stay apart.
_NAME_KEYS: set[str] = set()


@lru_cache(maxsize=131072)
def key(word: str) -> str:
    """The matching key of ``word``: the stem of its base form."""
    stem = str(_STEMMER.stemWord(base_form(word)))
    if not getAllLemmas(word.lower()):
        _NAME_KEYS.add(stem)
    return stem


def keys(text: str) -> list[str]:
    """The keys of the words of ``text``, in order."""
    return [key(w) for w in words(text)]


@lru_cache(maxsize=65536)
def variants(term: str) -> frozenset[str]:
    """``term`` and the keys a name's other forms take (``haiti``: ``haitian``, ``haitians``)."""
    if term not in _NAME_KEYS:
        return frozenset({term})
    forms = {term, *(term + end for end in _DEMONYM)}
    forms.update(
        term[: -len(end)] for end in _DEMONYM if term.endswith(end) and len(term) - len(end) >= 4
    )
    return frozenset(forms)


def same_word(a: str, b: str) -> bool:
    """Keys ``a`` and ``b`` are one word: equal, or a place name and its adjective."""
    return a == b or b in variants(a) or a in variants(b)


def present(term: str, found: Iterable[str] | frozenset[str]) -> bool:
    """``term`` (a key) or one of its ``variants`` is among the keys ``found``."""
    found = found if isinstance(found, frozenset | set) else frozenset(found)
    return term in found or not variants(term).isdisjoint(found)


def inflect_like(lemma: str, model: str) -> str:
    """``lemma`` in the form ``model`` has ("reject" like "welcomed" -> "rejected")."""
    for tag in ("VBD", "VBZ", "VBG", "NNS", "VB"):
        forms = getInflection(base_form(model), tag=tag)
        if forms and model.lower() in forms:
            out = getInflection(lemma, tag=tag)
            return str(out[0]) if out else lemma
    return lemma
