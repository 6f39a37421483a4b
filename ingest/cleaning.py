"""Remove the debris that scraping leaves in news text, keeping the article's own paragraphs.

The rules are general, not tied to one page: widget messages ("Oops! Something went wrong."),
read-time badges, "Read More" lists of other headlines, later copies of a line printed twice,
photo captions credited to a news agency, copyright notices and notices about comments::

    title, body = clean_text(raw)

Each rule has a name in ``RULES``; ``clean_text(raw, rules=...)`` applies only those named (the
extraction benchmark, ``bench/extraction.py``, measures each by turning it off).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_BULLET = re.compile(r"^[\s•·▪●◦*>\-–—]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")

# A whole line that is a page widget, never article prose.
_WIDGET = re.compile(
    r"""^(?:
        oops!?|something\ went\ wrong\.?|please\ try\ again(?:\ later)?\.?
      | in\ this\ article:?|\d+[-\ ]?min(?:ute)?s?\ read|loading\.*
      | advertisement|advert|sponsored(?:\ content)?|story\ continues(?:\ below)?
      | continue\ reading|skip\ to\ (?:main\ )?content|share(?:\ this)?(?:\ article|\ story)?
      | (?:sign\ up|subscribe)\b.{0,80}|follow\ us\b.{0,80}|listen\ to\ (?:this\ )?article.{0,40}
      | (?:photo|image|picture)(?:\ credit)?:.{0,200}|view\ (?:comments|gallery)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A heading that introduces a list of links to other stories.
_LINK_LIST_HEADING = re.compile(
    r"^(?:read\ more|more\ (?:stories|news|from\ .{1,40})"
    r"|related(?:\ (?:articles|stories|coverage))?"
    r"|most\ (?:read|popular|viewed)|recommended(?:\ stories)?|you\ may\ also\ like"
    r"|trending(?:\ now)?|top\ stories|latest\ news):?$",
    re.IGNORECASE | re.VERBOSE,
)
# Photo caption: ends with a news agency's credit in parentheses, e.g. "(EPA)", "(AP Photo/X)".
# Only agencies: a capitalised parenthesis alone ends list items too ("(DVD)", "(Renewed)").
_CAPTION_CREDIT = re.compile(
    r"\((?:AP|AFP|EPA|Reuters|Getty(?: Images)?|PA(?: Media| Wire)?|AAP|dpa|Xinhua"
    r"|Bloomberg|Shutterstock|Alamy|iStock)(?:[\s/:,-][^()]{0,60})?\)\s*$",
    re.IGNORECASE,
)
# A short line of rights and credits: "© 2020 Daily News", "Copyright 2023 X. All rights reserved."
_RIGHTS = re.compile(
    r"©|^\(c\)\s|^copyright\b\W*(?:©\s*)?\d{4}|^copyright:|\ball rights reserved\b"
    r"|\balle rechte vorbehalten\b",
    re.IGNORECASE,
)
# A notice of terms of use, at any length: "This copy is for your personal, non-commercial use".
_USE_NOTICE = re.compile(
    r"non-?commercial use|may not be (?:published|reproduced|redistributed)|reprinted by permission"
    r"|subscriber agreement|written permission",
    re.IGNORECASE,
)
_RIGHTS_WORD = re.compile(r"©|copyright|reprint", re.IGNORECASE)
RIGHTS_WORDS = 25  # a rights line longer than this is prose about copyright, unless a notice
_COMMENTS = re.compile(r"\bcomment(?:s|ing|ers?)?\b", re.IGNORECASE)
_COMMENT_NOTICE = re.compile(
    r"suspend|disabl|closed|community|guidelines|moderat|join the (?:conversation|discussion)",
    re.IGNORECASE,
)
# Where a sentence ends, in any script: . ! ? … 。 ！ ？ । ॥ ؟ ۔ ։ ። and closing quotes after them.
SENTENCE_MARKS = ".!?…。！？।॥؟۔։።"
_CLOSERS = '”"’“»«‘)）」』】'
_SENTENCE_END = re.compile(rf"[{SENTENCE_MARKS}][{_CLOSERS}]*$")

RULES = ("widget", "link_list", "repeated", "caption", "rights", "comment_notice")
BODY_WORDS = 15  # a first line this long that ends like a sentence is body, not a headline
TITLE_WORDS = 12  # words of a derived title
REPEATED_WORDS = 3  # a line of more words printed again is a caption or pull quote repeated


def clean_text(raw: str, *, rules: Collection[str] = RULES) -> tuple[str, str]:
    """Return ``(title, body)``: the headline, and the article's paragraphs joined by blank lines.

    The title is the first non-empty line (a Markdown heading's ``#`` marks removed), unless that
    line reads as body text (``reads_as_body``: a long sentence, as in a file that is one
    paragraph on one line): then every line is body and the title is its first words.
    """
    lines = [_normalise(line) for line in raw.splitlines()]
    lines = [line for line in lines if _unmarked(line)]
    if not lines:
        return "", ""
    if lines[0].startswith("#") or not reads_as_body(_unmarked(lines[0])):
        body = "\n\n".join(_paragraphs(_drop_debris(lines[1:], rules)))
        return _unmarked(lines[0]).lstrip("#").strip(), body
    body = "\n\n".join(_paragraphs(_drop_debris(lines, rules)))
    return derive_title(body), body


def reads_as_body(line: str) -> bool:
    """A sentence of prose, not a headline: ends like a sentence and has ``BODY_WORDS`` words."""
    words = len(line.split())
    return words > 2 * BODY_WORDS or (words >= BODY_WORDS and bool(_SENTENCE_END.search(line)))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a sentence, in any script ("Done.", "終わった。", "”…”")."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def derive_title(body: str, *, words: int = TITLE_WORDS) -> str:
    """A title for a text without a headline: its first sentence, or its first ``words`` words.

    >>> derive_title("Bushfires burn near Sydney. Crews fight them.")
    'Bushfires burn near Sydney'
    >>> derive_title("One two three four five six seven eight nine ten eleven twelve thirteen.")
    'One two three four five six seven eight nine ten eleven twelve…'
    """
    first = body.split()[: words + 1]
    for number, word in enumerate(first[:words], start=1):
        if number >= 3 and _SENTENCE_END.search(word):
            return " ".join([*first[: number - 1], word.rstrip(".!?…")])
    return " ".join(first[:words]) + ("…" if len(first) > words else "")


def _normalise(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    return _SPACES.sub(" ", line).strip()


def _unmarked(line: str) -> str:
    """The line without list or quote marks ("• Oops!" -> "Oops!"): what the rules look at."""
    return _BULLET.sub("", line).strip() if _BULLET.match(line) else line


def _drop_debris(lines: list[str], rules: Collection[str]) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    in_link_list = False
    for line in lines:
        text = _unmarked(line)
        if "link_list" in rules and _LINK_LIST_HEADING.match(text):
            in_link_list = True
            continue
        if in_link_list and _is_headline(text):
            continue
        in_link_list = False
        repeated = text in seen
        seen.add(text)
        if not any(_RULE_TESTS[rule](text, repeated) for rule in rules if rule in _RULE_TESTS):
            kept.append(line)
    return kept


def _is_widget(line: str, repeated: bool) -> bool:
    return bool(_WIDGET.match(line))


def _is_repeat(line: str, repeated: bool) -> bool:
    """A later copy of a line (captions and pull quotes printed twice); the first copy stays."""
    return repeated and len(line.split()) > REPEATED_WORDS


def _is_caption(line: str, repeated: bool) -> bool:
    """A line ending in an agency's credit that is not a sentence ("Crowds at dusk (EPA)"); a
    paragraph closed by its agency's name ("... the minister said. (dpa)") stays."""
    credit = _CAPTION_CREDIT.search(line)
    return credit is not None and not _SENTENCE_END.search(line[: credit.start()].rstrip())


def _is_rights(line: str, repeated: bool) -> bool:
    if _USE_NOTICE.search(line) and _RIGHTS_WORD.search(line):
        return True
    return bool(_RIGHTS.search(line)) and len(line.split()) <= RIGHTS_WORDS


def _is_comment_notice(line: str, repeated: bool) -> bool:
    words = len(line.split())
    return bool(_COMMENTS.search(line) and _COMMENT_NOTICE.search(line) and words < 80)


_RULE_TESTS = {
    "widget": _is_widget,
    "repeated": _is_repeat,
    "caption": _is_caption,
    "rights": _is_rights,
    "comment_notice": _is_comment_notice,
}


def _is_headline(line: str) -> bool:
    """Other stories' headlines: short, and not ending like a sentence of prose."""
    return len(line.split()) <= 20 and not (_SENTENCE_END.search(line) and len(line.split()) > 12)


def _paragraphs(lines: list[str]) -> list[str]:
    """Rejoin hard-wrapped lines: a long line without final punctuation continues on the next."""
    paragraphs: list[str] = []
    for line in lines:
        previous = paragraphs[-1] if paragraphs else ""
        if len(previous) > 60 and not _SENTENCE_END.search(previous) and line[:1].islower():
            paragraphs[-1] = f"{previous} {line}"
            continue
        paragraphs.append(line)
    return paragraphs
