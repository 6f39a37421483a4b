"""Articles from HTML (saved pages and fetched URLs) with trafilatura.

trafilatura keeps the main text and drops navigation, ads, cookie notices and footers; it also
finds the title, author, date and canonical URL::

    article = article_from_html(data, source="saved/budget.html", fallback_id="/abs/budget.html")
"""

from __future__ import annotations

import logging
import re

import trafilatura

from assistant.errors import SourceError
from assistant.models import Article

from .articles import make_article
from .cleaning import clean_text

logger = logging.getLogger(__name__)

MIN_SENTENCE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][”\"’)]*(?:\s|$)")


def article_from_html(
    data: bytes | str,
    *,
    source: str,
    fallback_id: str,
    url: str | None = None,
    published: str | None = None,
) -> Article:
    """The page's article; its id is the canonical URL, else ``url``, else ``fallback_id``."""
    document = _extract(data, source=source, url=url)
    raw = document.text or ""
    title = (document.title or "").strip()
    lines = raw.splitlines()
    if title and lines and lines[0].strip() == title:
        lines = lines[1:]
    _, body = clean_text("\n".join(["untitled", *lines]))
    if not _looks_like_prose(body):
        raise SourceError(
            source,
            "no article text found in the page (only navigation or boilerplate). "
            "Check that it is a news article.",
        )
    canonical = document.url if _is_http(document.url) else url
    return make_article(
        article_id=canonical or fallback_id,
        title=title or _first_words(body),
        text=body,
        source=source,
        url=canonical,
        published=document.date or published,
    )


def html_to_text(data: bytes | str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs kept."""
    if isinstance(data, str) and "<" not in data:
        return data.strip()
    text = trafilatura.extract(data, include_comments=False, favor_recall=True) or ""
    if text:
        return text
    from lxml import html as lxml_html

    try:
        return str(lxml_html.fromstring(data).text_content()).strip()
    except Exception:  # lxml raises several types on fragments it cannot parse
        return ""


def _extract(data: bytes | str, *, source: str, url: str | None) -> trafilatura.settings.Document:
    try:
        document = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura/lxml raise many types on broken input
        raise SourceError(source, f"the HTML cannot be parsed ({error}).") from error
    if not isinstance(document, trafilatura.settings.Document) or not document.text:
        raise SourceError(
            source,
            "no article text found in the page (only navigation or boilerplate). "
            "Check that it is a news article.",
        )
    return document


def _looks_like_prose(body: str) -> bool:
    """At least one sentence of a dozen words: a list of link labels is not an article."""
    return any(
        len(line.split()) >= MIN_SENTENCE_WORDS and _SENTENCE_END.search(line)
        for line in body.split("\n\n")
    )


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _first_words(text: str, words: int = 12) -> str:
    return " ".join(text.split()[:words])
