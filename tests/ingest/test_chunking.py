from __future__ import annotations

import pytest

from assistant.text.sentences import sentence_spans
from ingest.chunking import split_article
from ingest.loaders import load_text_file, make_article
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed_article():
    return load_text_file(SEED, max_bytes=10**7)


@pytest.mark.parametrize("max_chars", [150, 400, 600, 2000])
def test_chunks_are_exact_spans_of_the_article(seed_article, max_chars: int) -> None:
    chunks = split_article(seed_article, max_chars=max_chars)
    assert chunks
    for chunk in chunks:
        assert seed_article.text[chunk.start : chunk.end] == chunk.text
    assert [c.index for c in chunks] == list(range(len(chunks)))


@pytest.mark.parametrize("max_chars", [150, 600])
def test_chunks_start_and_end_on_sentence_boundaries(seed_article, max_chars: int) -> None:
    spans = sentence_spans(seed_article.text)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for chunk in split_article(seed_article, max_chars=max_chars):
        assert chunk.start in starts
        assert chunk.end in ends


def test_chunks_cover_every_sentence_once(seed_article) -> None:
    chunks = split_article(seed_article, max_chars=600)
    covered = [
        span
        for c in chunks
        for span in sentence_spans(seed_article.text)
        if c.start <= span[0] and span[1] <= c.end
    ]
    assert sorted(covered) == sorted(sentence_spans(seed_article.text))


def test_chunk_ids_are_deterministic_and_distinct(seed_article) -> None:
    first = [c.chunk_id for c in split_article(seed_article, max_chars=400)]
    second = [c.chunk_id for c in split_article(seed_article, max_chars=400)]
    assert first == second
    assert len(set(first)) == len(first)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The war began after the Sept. 11, 2001, attacks. It was long.", 2),
        ("Together they have taxed the U.S. military. Costs rose.", 2),
        ("It was a “deceptive declaration”.“There was no announcement,” he said.", 2),
        ("One.\n\nTwo without a stop\n\nThree.", 3),
    ],
)
def test_sentence_spans_respect_abbreviations_and_glued_quotes(text: str, sentences: int) -> None:
    assert len(sentence_spans(text)) == sentences


def test_content_hash_changes_with_the_text() -> None:
    a = make_article(article_id="a", title="T", text="One.", source="s")
    b = make_article(article_id="a", title="T", text="Two.", source="s")
    assert a.content_hash != b.content_hash
