"""A synthetic news archive of any size for bench/scale.py, and its cached embeddings.

Articles are made of real news sentences (gensim's Lee corpus and the sample articles) drawn at
random from different articles, so every chunk is distinct real-sounding text. The build is
deterministic: the archive for N chunks is a prefix of the archive for any larger N, so the
embeddings of the largest size serve every smaller one.

    articles = scale_articles(10_000)                 # about 10k chunks of 600 characters
    cache = EmbeddingCache(Path("build/bench/scale/embeddings"), embeddings)
    vectors = cache.embed([c.text for c in chunks])   # embeds only what no earlier run did
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.models import Article, Chunk
from assistant.text.sentences import sentence_spans
from ingest.articles import make_article
from ingest.chunking import split_article

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# Where the bench keeps its corpus, embedding cache and stores (SCALE_BENCH_WORK overrides).
WORK = Path(os.environ.get("SCALE_BENCH_WORK", ROOT / "build" / "bench" / "scale"))
CHUNK_CHARS = 600
SOURCES = [f"lee/desk-{n:02d}" for n in range(20)]  # a `sources` filter keeps one of 20
FIRST_DAY = date(2023, 1, 1)
DAYS = 730  # two years of publication dates; a one-month date filter keeps about 1/24
BLOCK = 1024  # chunks per cached embedding file


@lru_cache(maxsize=1)
def source_sentences() -> tuple[tuple[str, ...], ...]:
    """The sentences of every Lee article (both files) and sample article, one tuple each."""
    import gensim

    data = Path(gensim.__file__).parent / "test" / "test_data"
    texts = [
        " ".join(line.split())
        for name in ("lee_background.cor", "lee.cor")
        for line in (data / name).read_text(encoding="latin-1").splitlines()
    ]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data/articles").glob("*.txt"))]
    articles = []
    for text in texts:
        sentences = tuple(text[a:b] for a, b in sentence_spans(text) if b - a >= 20)
        if len(sentences) >= 3:
            articles.append(sentences)
    return tuple(articles)


def generate_articles(seed: int = 12) -> Iterator[Article]:
    """An endless, deterministic stream of articles of 4-14 sentences from different articles."""
    return (article for article, _ in generate_picks(seed))


def generate_picks(seed: int = 12) -> Iterator[tuple[Article, list[int]]]:
    """``generate_articles`` with each article's sentence indices in ``flat_sentences``."""
    rng = random.Random(seed)
    pool = source_sentences()
    first = np.cumsum([0, *(len(sentences) for sentences in pool)])
    for number in range(10**9):
        picks = []
        for _ in range(rng.randint(4, 14)):
            article = rng.randrange(len(pool))
            picks.append(int(first[article]) + rng.randrange(len(pool[article])))
        text = " ".join(flat_sentences()[i] for i in picks)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        yield (
            make_article(
                article_id=f"scale-{number:07d}",
                title=" ".join(text.split()[:10]),
                text=text,
                source=SOURCES[number % len(SOURCES)],
                published=day.isoformat(),
            ),
            picks,
        )


@lru_cache(maxsize=1)
def flat_sentences() -> tuple[str, ...]:
    return tuple(s for sentences in source_sentences() for s in sentences)


def scale_articles(n_chunks: int, counts: np.ndarray | None = None) -> list[Article]:
    """The shortest prefix of ``generate_articles`` holding at least ``n_chunks`` chunks;
    ``counts`` (chunks per article, from ``Corpus``) spares chunking them to count."""
    if counts is not None and int(counts.sum()) >= n_chunks:
        n_articles = int(np.searchsorted(np.cumsum(counts), n_chunks)) + 1
        return list(itertools.islice(generate_articles(), n_articles))
    return [article for article, _, _ in _chunked(n_chunks)]


def _chunked(n_chunks: int) -> Iterator[tuple[Article, list[int], list[Chunk]]]:
    total = 0
    for article, picks in generate_picks():
        if total >= n_chunks:
            return
        chunks = split_article(article, max_chars=CHUNK_CHARS)
        total += len(chunks)
        yield article, picks, chunks


def composed_vector(picks: Sequence[int], chunk: Chunk, sentences: np.ndarray) -> np.ndarray:
    """A chunk's vector composed from its sentences' real embeddings: their mean weighted by
    how many of the chunk's characters each covers, normalised (see ``Corpus.build``)."""
    weights = np.zeros(len(picks))
    start = 0
    for position, index in enumerate(picks):
        end = start + len(flat_sentences()[index])
        weights[position] = max(0, min(end, chunk.end) - max(start, chunk.start))
        start = end + 1
    vector = weights @ sentences[list(picks)]
    return vector / np.linalg.norm(vector)  # type: ignore[no-any-return]


def chunk_texts(articles: Sequence[Article]) -> list[str]:
    """The text of every chunk of ``articles``, in ingest order."""
    return [c.text for a in articles for c in split_article(a, max_chars=CHUNK_CHARS)]


@dataclass(frozen=True)
class Corpus:
    """The largest archive built so far: chunks per article, and each chunk's text hash and
    vector in ingest order (saved as one .npz, so children neither chunk nor embed to set up)."""

    counts: np.ndarray
    keys: np.ndarray
    vectors: np.ndarray

    @classmethod
    def build(cls, n_chunks: int, cache: EmbeddingCache) -> Corpus:
        """Chunk ``n_chunks`` chunks; embed every source sentence with the real encoder (about
        2,600 texts) and compose each chunk's vector from its sentences' (``composed_vector``):
        embedding 100k chunks would take over an hour on this machine's two shared cores."""
        sentences = cache.embed(list(flat_sentences()))
        counts: list[int] = []
        keys: list[bytes] = []
        vectors: list[np.ndarray] = []
        for _, picks, chunks in _chunked(n_chunks):
            counts.append(len(chunks))
            keys += [text_key(c.text) for c in chunks]
            vectors += [composed_vector(picks, c, sentences) for c in chunks]
        return cls(
            counts=np.array(counts, dtype=np.int32),
            keys=np.frombuffer(b"".join(keys), np.uint8).reshape(-1, 20),
            vectors=np.asarray(vectors, dtype=np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> Corpus | None:
        if not path.is_file():
            return None
        with np.load(path) as data:
            return cls(counts=data["counts"], keys=data["keys"], vectors=data["vectors"])

    def save(self, path: Path) -> None:
        np.savez(path, counts=self.counts, keys=self.keys, vectors=self.vectors)


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode()).digest()


class EmbeddingCache:
    """Embeddings of chunk texts kept in ``directory``: one .npy per block of 1024 texts, named
    by the hash of the block's texts, so a rerun (or a smaller size) embeds nothing again."""

    def __init__(self, directory: Path, embeddings: Embeddings) -> None:
        self.directory = directory
        self.embeddings = embeddings
        self.embedded = 0  # texts embedded (not read from the cache) by this object
        self.embed_seconds = 0.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.directory.mkdir(parents=True, exist_ok=True)
        blocks = [self._block(texts[i : i + BLOCK]) for i in range(0, len(texts), BLOCK)]
        return np.concatenate(blocks) if blocks else np.zeros((0, 384), dtype=np.float32)

    def _block(self, texts: Sequence[str]) -> np.ndarray:
        digest = hashlib.sha1(b"".join(text_key(t) for t in texts)).hexdigest()[:20]
        path = self.directory / f"{digest}.npy"
        if path.is_file():
            return np.load(path)
        began = time.perf_counter()
        vectors = np.asarray(self.embeddings.embed_documents(list(texts)), dtype=np.float32)
        self.embed_seconds += time.perf_counter() - began
        self.embedded += len(texts)
        np.save(path, vectors)
        logger.info("embedded %d texts (%d so far)", len(texts), self.embedded)
        return vectors


class CachedEmbeddings(Embeddings):
    """Embeddings that look documents up in a ``Corpus`` (``KeyError`` when absent) and embed
    queries with the real model: the ingest pipeline runs unchanged minus the encoder."""

    def __init__(self, corpus: Corpus, model: Embeddings) -> None:
        self.rows = {k.tobytes(): i for i, k in enumerate(corpus.keys)}
        self.vectors = corpus.vectors
        self.model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        rows = [self.rows[text_key(t)] for t in texts]
        return self.vectors[rows].tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)
