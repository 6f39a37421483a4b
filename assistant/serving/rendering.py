"""Answers as Markdown for the chat page, where article text can never become markup or a link.

Titles, URLs and quotes come from ingested articles (JSONL, feeds, HTML pages, uploads), so an
attacker may write them. Every such text is escaped (HTML and Markdown), and only an ``http(s)``
URL becomes a link; ``javascript:``, ``data:`` and other schemes stay plain text::

    render_sources(answer)   # the sources panel
    chat_text(answer)        # the chat bubble
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from ..models import Answer

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#!|~$<>])")  # what can open markup, a link or maths
# What GFM turns into a link by itself: a scheme's "://", "www.", an e-mail's "@".
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<![\w.])(?i:www)(\.)|(@)")
_MARKER = re.compile(r"(\[\d+\])(?!:)")  # a citation marker, never a link-reference definition
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"


def escape_markdown(text: str) -> str:
    """``text`` shown as itself: no HTML, no emphasis, links, images, headings or maths, and
    no GFM autolink (a bare URL, ``www.`` name or e-mail address stays text).

    >>> escape_markdown("[x](javascript:alert(1)) <b>hi</b>")
    '\\\\[x\\\\]\\\\(javascript:alert\\\\(1\\\\)\\\\) &lt;b&gt;hi&lt;/b&gt;'
    """
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    return _AUTOLINK.sub(lambda m: f"{m.group()[:-1]}\\{m.group()[-1]}", escaped)


def escape_answer(text: str) -> str:
    """Like ``escape_markdown``, but the answer's ``[n]`` markers stay readable as they are.

    >>> escape_answer("Smith won [1]. *Jones* lost [2][3].")
    'Smith won [1]. \\\\*Jones\\\\* lost [2][3].'
    """
    parts = _MARKER.split(text)
    return "".join(part if _MARKER.fullmatch(part) else escape_markdown(part) for part in parts)


def http_url(url: str | None) -> str | None:
    """``url`` made safe to put in a Markdown link, if it is an ``http(s)`` URL with a host.

    >>> http_url("javascript:alert(1)") is None, http_url("https://a.example/x (1)")
    (True, 'https://a.example/x%20%281%29')
    """
    if not url or any(ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=_URL_SAFE)  # spaces, quotes, brackets and parens encoded


def render_sources(answer: Answer) -> str:
    """Markdown for the sources panel: every cited passage with its article title and quote."""
    if answer.refused or not answer.citations:
        return "*No passage of the ingested articles answers this question.*"
    blocks = []
    for citation in answer.citations:
        title = escape_markdown(citation.title or citation.article_id)
        url = http_url(citation.url)
        heading = f"[{title}]({url})" if url else title
        blocks.append(f"**[{citation.n}]** {heading}\n\n> {escape_markdown(citation.quote)}")
    return "\n\n".join(blocks)


def chat_text(answer: Answer) -> str:
    """The answer as shown in the chat, with the fallback notice when there is one."""
    text = escape_answer(answer.answer)
    return f"{text}\n\n*Note: {escape_markdown(answer.notice)}*" if answer.notice else text
