"""Sentence-aligned chunks that keep their character offsets into the article text.

chunks = split_article(article, max_chars=600)
assert all(article.text[c.start:c.end] == c.text for c in chunks)
"""

from __future__ import annotations

import hashlib

from assistant.models import Article, Chunk
from assistant.text.sentences import sentence_spans


def split_article(article: Article, *, max_chars: int) -> list[Chunk]:
    """Group whole sentences into chunks of at most ``max_chars`` (a longer sentence stands alone).

    A paragraph break ends a chunk once it holds half of ``max_chars``, so chunks follow the
    article's own structure where they can. A chunk whose text repeats an earlier chunk of the
    article (a pasted loop, a repeated boilerplate block) is left out.
    """
    text = article.text
    groups: list[tuple[int, int]] = []
    start = end = None
    for s_start, s_end in sentence_spans(text):
        if start is None or end is None:
            start, end = s_start, s_end
            continue
        paragraph_break = "\n\n" in text[end:s_start]
        if s_end - start > max_chars or (paragraph_break and end - start >= max_chars // 2):
            groups.append((start, end))
            start = s_start
        end = s_end
    if start is not None and end is not None:
        groups.append((start, end))
    unique, seen = [], set()  # a chunk repeating an earlier one of the article adds nothing
    for a, b in groups:
        if text[a:b] not in seen:
            seen.add(text[a:b])
            unique.append((a, b))
    return [_chunk(article, index, a, b) for index, (a, b) in enumerate(unique)]


def _chunk(article: Article, index: int, start: int, end: int) -> Chunk:
    text = article.text[start:end]
    key = f"{article.article_id}\x1f{start}\x1f{text}".encode()
    return Chunk(
        chunk_id=hashlib.sha1(key).hexdigest()[:24],
        article_id=article.article_id,
        index=index,
        text=text,
        start=start,
        end=end,
    )
