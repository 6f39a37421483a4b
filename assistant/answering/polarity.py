"""Opposite statements: a sentence that says the opposite of what a question asks is no answer.

Each axis of general English has words on its two sides (welcome / reject, rise / fall, win /
lose, confirm / deny). A question asking "who rejected ..." and a sentence where someone
"welcomed" it sit on opposite sides of one axis; a negation just before a word ("did not
welcome") turns it over::

    >>> sides("Which groups reject the withdrawal?")
    {('approval', -1)}
    >>> sides("The bloc welcomed the withdrawal as a positive step.")
    {('approval', 1)}
"""

from __future__ import annotations

import re

from .forms import base_form

# axis: (words on the + side, words on the - side), as base forms.
_AXES: dict[str, tuple[str, str]] = {
    "approval": (
        "welcome accept approve support endorse praise applaud hail thank favour favor "
        "agree embrace positive celebrate commend believe trust",
        "reject oppose refuse condemn criticise criticize denounce dismiss slam protest "
        "disapprove disagree negative resist veto boycott decline",
    ),
    "change": (
        "rise increase grow gain climb jump surge soar boost raise expand improve strengthen "
        "higher",
        "fall decrease drop decline shrink lose slump plunge slide cut reduce contract "
        "worsen weaken lower",
    ),
    "outcome": ("win beat defeat victory succeed triumph", "lose fail loss"),
    "truth": ("confirm admit acknowledge affirm", "deny dispute refute"),
    "permission": ("allow permit legalise legalize lift", "ban forbid prohibit outlaw"),
    "verdict": ("convict guilty", "acquit innocent"),
    "state": ("open start begin launch", "close shut end halt stop suspend"),
    "presence": ("arrive enter join", "leave depart quit exit withdraw"),
    "employment": ("hire appoint employ", "fire sack dismiss"),
    "trade": ("buy purchase acquire", "sell"),
}
_SIDES: dict[str, tuple[str, int]] = {}
for _axis, (_plus, _minus) in _AXES.items():
    for _word in _plus.split():
        _SIDES.setdefault(_word, (_axis, 1))
    for _word in _minus.split():
        _SIDES.setdefault(_word, (_axis, -1))
_NEGATION = frozenset(["not", "no", "never", "n't", "nor", "without", "neither"])
_TOKEN = re.compile(r"[a-z]+(?=n't)|n't|[a-z]+")


def sides(text: str) -> set[tuple[str, int]]:
    """The (axis, side) pairs ``text`` states, a negation within two words turning one over."""
    tokens = _TOKEN.findall(text.lower())
    found = set()
    for index, token in enumerate(tokens):
        side = _SIDES.get(base_form(token)) or _SIDES.get(token)
        if side is None:
            continue
        negated = any(t in _NEGATION for t in tokens[max(0, index - 3) : index])
        found.add((side[0], -side[1] if negated else side[1]))
    return found


def opposite(word: str) -> str | None:
    """The first word on the other side of ``word``'s axis (``welcome`` -> ``reject``)."""
    side = _SIDES.get(base_form(word))
    if side is None:
        return None
    plus, minus = _AXES[side[0]]
    return (minus if side[1] > 0 else plus).split()[0]


def agreement(question: set[tuple[str, int]], sentence: set[tuple[str, int]]) -> tuple[int, int]:
    """(agrees, conflicts): whether ``sentence`` states a side the question asks about, and
    whether it states only the opposite side of an axis the question asks about."""
    agrees = int(bool(question & sentence))
    asked = {(a, s) for a, s in question if (a, -s) not in question}  # one side only
    conflicts = int(any((a, -s) in sentence and (a, s) not in sentence for a, s in asked))
    return agrees, conflicts
