"""Which of today's splitter sentences are the ones an annotator labelled.

Annotators quote sentences as they read them; the splitter may cut the same text otherwise (a
stray quote mark it takes for an open quotation, a quoted passage it breaks). A label still
matches a splitter sentence that is most of it, or that holds it as a whole sentence; a label
spanning several splitter sentences marks each whole sentence of it:

>>> matching(["Rain fell. Roads shut."], ["Rain fell.", "Roads shut.", "Rain"])
{0, 1}
>>> matching(["Roads shut."], ["Rain fell. Roads shut. Schools too."])
{0}
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = re.compile(r"[.!?][\"'”’)\]]*$")


def matching(labelled: Iterable[str], sentences: list[str]) -> set[int]:
    """Indices of ``sentences`` that are the labelled ones, whitespace aside. A label split or
    joined differently by today's splitter still matches: a splitter sentence that is most of
    the label or holds it as a whole sentence; a label spanning several splitter sentences
    marks each whole sentence of it."""
    have = [" ".join(sentence.split()) for sentence in sentences]
    found = set()
    for label in labelled:
        want = " ".join(label.split())
        inside = [i for i, h in enumerate(have) if h and h in want and _whole(h, want)]
        if sum(len(have[i]) for i in inside) >= 0.6 * len(want):
            found.update(inside)
        found.update(i for i, h in enumerate(have) if want and want in h and _whole(want, h))
    return found


def _whole(part: str, text: str) -> bool:
    """``part`` (in ``text``) is most of ``text`` or one of its sentences, ends included."""
    at = text.find(part)
    return len(part) >= 0.6 * len(text) or (
        bool(_END.search(part)) and (at == 0 or bool(_END.search(text[:at].rstrip())))
    )
