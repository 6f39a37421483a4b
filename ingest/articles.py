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
