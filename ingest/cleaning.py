"""Remove the debris that scraping leaves in news text, keeping the article's own paragraphs.

The rules are general, not tied to one page: widget messages ("Oops! Something went wrong."),
read-time badges, photo captions (credited, or printed twice), "Read More" lists of other
headlines, and notices about comments::

    title, body = clean_text(raw)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

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
# Photo caption: ends with an agency or photographer credit in parentheses, e.g. "(EPA)".
_CAPTION_CREDIT = re.compile(
    r"\((?:[A-Z][A-Za-z]*(?:[ /&.-]+[A-Z][\w.]*)*|(?:AP|AFP|Getty|Reuters)[^)]{0,60})\)\s*$"
)
_COMMENTS = re.compile(r"\bcomment(?:s|ing|ers?)?\b", re.IGNORECASE)
_COMMENT_NOTICE = re.compile(
    r"suspend|disabl|closed|community|guidelines|moderat|join the (?:conversation|discussion)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][”\"’)]*$")

BODY_WORDS = 15  # a first line this long that ends like a sentence is body, not a headline
TITLE_WORDS = 12  # words of a derived title


def clean_text(raw: str) -> tuple[str, str]:
    """Return ``(title, body)``: the headline, and the article's paragraphs joined by blank lines.

    The title is the first non-empty line (a Markdown heading's ``#`` marks removed), unless that
    line reads as body text (``reads_as_body``: a long sentence, as in a file that is one
    paragraph on one line): then every line is body and the title is its first words.
    """
    lines = [_normalise(line) for line in raw.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "", ""
    if lines[0].startswith("#") or not reads_as_body(lines[0]):
        return lines[0].lstrip("#").strip(), "\n\n".join(_paragraphs(_drop_debris(lines[1:])))
    body = "\n\n".join(_paragraphs(_drop_debris(lines)))
    return derive_title(body), body


def reads_as_body(line: str) -> bool:
    """A sentence of prose, not a headline: ends like a sentence and has ``BODY_WORDS`` words."""
    words = len(line.split())
    return words > 2 * BODY_WORDS or (words >= BODY_WORDS and bool(_SENTENCE_END.search(line)))


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
    line = _SPACES.sub(" ", line).strip()
    return _BULLET.sub("", line).strip() if _BULLET.match(line) else line


def _drop_debris(lines: list[str]) -> list[str]:
    counts = Counter(lines)
    kept: list[str] = []
    in_link_list = False
    for line in lines:
        if _LINK_LIST_HEADING.match(line):
            in_link_list = True
            continue
        if in_link_list and _is_headline(line):
            continue
        in_link_list = False
        if _is_debris(line, repeated=counts[line] > 1):
            continue
        kept.append(line)
    return kept


def _is_debris(line: str, *, repeated: bool) -> bool:
    if _WIDGET.match(line):
        return True
    words = len(line.split())
    if repeated and words > 3:  # captions and pull quotes printed twice
        return True
    if _CAPTION_CREDIT.search(line) and not _SENTENCE_END.search(line.rstrip(") ")):
        return True
    return bool(_COMMENTS.search(line) and _COMMENT_NOTICE.search(line) and words < 80)


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
