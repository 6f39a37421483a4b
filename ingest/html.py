"""Articles from HTML (saved pages and fetched URLs) with trafilatura.

trafilatura keeps the main text (tables as ``| cell | cell |`` rows) and drops navigation, ads,
cookie notices, comments and footers; it also finds the title, author, date and canonical URL.
Then ``clean_text`` removes what debris is left, and a page whose text is not an article is
refused with the reason::

    article = article_from_html(data, source="saved/budget.html", fallback_id="/abs/budget.html")
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import trafilatura
from trafilatura.settings import Document

from assistant.errors import SourceError
from assistant.models import Article

from .addresses import same_site
from .articles import make_article
from .cleaning import RULES, clean_text

logger = logging.getLogger(__name__)

# trafilatura's own evaluation settings (its tests/eval_common.py), date search kept cheap.
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
    "with_metadata": True,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
MIN_SENTENCE_WORDS = 8  # one sentence this long makes an article ...
MIN_WORDS = 30  # ... or this many words in all (a list, a poem) ...
TABLE_ROWS = 3  # ... or a table of this many rows (a race calendar, results)
_TABLE_ROW = re.compile(r"^\|(?:[^|\n]*\w[^|\n]*\|){2,}\s*$")  # trafilatura's "| a | b |", 2+ cells
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK ideographs):
# each character counts as a word.
_UNSPACED_CHAR = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_SENTENCE_STOP = re.compile(r"[.!?…][”\"’“»«‘)]*(?:\s|$)|[。！？।॥؟۔։።]")
_NO_ARTICLE = "no article text found in the page: "
_CHECK = " Check that it is a news article."


def article_from_html(
    data: bytes | str,
    *,
    source: str,
    fallback_id: str,
    url: str | None = None,
    published: str | None = None,
) -> Article:
    """The page's article; its id is the canonical URL (when on ``url``'s own site, see
    ``addresses.same_site``), else ``url``, else ``fallback_id``."""
    return article_from_documents(
        extract_documents(data, source=source, url=url),
        source=source,
        fallback_id=fallback_id,
        url=url,
        published=published,
    )


def extract_documents(
    data: bytes | str, *, source: str, url: str | None = None
) -> Iterator[Document | None]:
    """trafilatura's extractions of the page, made as they are asked for: its default one, then
    one favouring recall (for a page where the default finds too little). None: no main text."""
    for options in (EXTRACT_OPTIONS, {**EXTRACT_OPTIONS, "favor_recall": True}):
        try:
            document = trafilatura.bare_extraction(data, url=url, **options)
        except Exception as error:  # trafilatura/lxml raise many types on broken input
            raise SourceError(source, f"the HTML cannot be parsed ({error}).") from error
        yield document if isinstance(document, Document) and document.text else None


def article_from_documents(
    documents: Iterable[Document | None],
    *,
    source: str,
    fallback_id: str,
    url: str | None = None,
    published: str | None = None,
    rules: Collection[str] = RULES,
) -> Article:
    """The article of the first extraction that holds one, its text cleaned by ``rules``.

    ``SourceError`` naming why when none does (the reason found in the last extraction).
    """
    problem = "the page holds no HTML."
    for document in documents:
        if document is None:
            problem = (
                "trafilatura found no main text in it (only navigation, links or boilerplate, "
                "or text that a script loads)."
            )
            continue
        title = (document.title or "").strip()
        lines = (document.text or "").splitlines()
        if title and lines and lines[0].strip() == title:
            lines = lines[1:]
        _, body = clean_text("\n".join(["untitled", *lines]), rules=rules)
        problem = missing_article(body, extracted="\n".join(lines)) or ""
        if not problem:
            canonical = document.url if _is_http(document.url) else url
            if url and canonical and not same_site(canonical, url):
                canonical = url  # a page names its own address, not another site's
            return make_article(
                article_id=canonical or fallback_id,
                title=title or _first_words(body),
                text=body,
                source=source,
                url=canonical,
                published=document.date or published,
            )
    raise SourceError(source, f"{_NO_ARTICLE}{problem}{_CHECK}")


def missing_article(body: str, *, extracted: str = "") -> str | None:
    """Why ``body`` is not an article, or None when it is.

    An article holds one sentence of ``MIN_SENTENCE_WORDS`` words (in any script: a sentence may
    end in ``。`` and have no spaces), a table of ``TABLE_ROWS`` rows, or ``MIN_WORDS`` words in
    all (a list, lyrics).
    ``extracted`` is the text before cleaning, to tell "all debris" from "too short".
    """
    words = count_words(body)
    if not words:
        debris = count_words(extracted)
        return f"all {debris} words of its main text are site debris ({_quote(extracted)})."
    paragraphs = body.split("\n\n")
    if (
        words >= MIN_WORDS
        or sum(bool(_TABLE_ROW.match(p)) for p in paragraphs) >= TABLE_ROWS
        or any(
            count_words(p) >= MIN_SENTENCE_WORDS and _SENTENCE_STOP.search(p) for p in paragraphs
        )
    ):
        return None
    return (
        f"its main text is {words} words ({_quote(body)}): no sentence of "
        f"{MIN_SENTENCE_WORDS} words, no table, under {MIN_WORDS} words in all."
    )


def count_words(text: str) -> int:
    """Words of ``text``, each character of a script without spaces (Chinese, Japanese, Thai)
    counted as one: ``count_words("Hello world")`` is 2, ``count_words("東京は晴れ")`` is 5."""
    total = 0
    for token in text.split():
        dense = len(_UNSPACED_CHAR.findall(token))
        total += dense or int(any(char.isalnum() for char in token))
    return total


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


def _quote(text: str, chars: int = 80) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:chars]}…'" if len(flat) > chars else f"'{flat}'"


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _first_words(text: str, words: int = 12) -> str:
    return " ".join(text.split()[:words])
