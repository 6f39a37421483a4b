"""Build ``Article`` objects with a content hash over everything that is indexed.

article = make_article(article_id="https://example.com/a", title="T", text="Body.", source="s")
"""

from __future__ import annotations

import hashlib

from assistant.models import Article


def make_article(
    *,
    article_id: str,
    title: str,
    text: str,
    source: str,
    url: str | None = None,
    published: str | None = None,
) -> Article:
    """Build an ``Article`` whose ``content_hash`` covers everything that is indexed."""
    digest = hashlib.sha256("\x1f".join([title, text, url or "", published or "", source]).encode())
    return Article(
        article_id=article_id,
        title=title,
        text=text,
        source=source,
        content_hash=digest.hexdigest(),
        url=url,
        published=published,
    )


def stated_id(article: Article) -> bool:
    """Whether a fetched source (a third party on the web) stated the article's id: a feed
    entry's link, a page's canonical link on its own site, not the address it was read from.

    Files and uploads are the operator's and the ingester's own: their ids are never "stated"
    here (an ingester may replace or remove any article anyway).

    >>> feed = "https://feeds.example/rss"
    >>> stated_id(make_article(article_id="https://a.example/x", title="T", text="B.",
    ...                        source=feed))
    True
    >>> stated_id(make_article(article_id=f"{feed}#guid-7", title="T", text="B.", source=feed))
    False
    """
    source = article.source
    if "://" not in source:
        return False
    return not (article.article_id == source or article.article_id.startswith(f"{source}#"))
