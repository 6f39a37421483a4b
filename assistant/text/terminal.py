"""Article text made safe to print on a terminal: control characters shown, never obeyed.

An article (a feed, a page, an upload) may hold escape sequences that clear the screen, set the
window title or write the clipboard (OSC 52); ``printable`` shows each control character as an
escape instead::

>>> printable("Budget\\x1b]52;c;ZXZpbA==\\x07 passes\\u202e")
'Budget\\\\x1b]52;c;ZXZpbA==\\\\x07 passes\\\\u202e'
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as a Python escape (``\\x1b``)."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)
