"""The steps bench/scale.py runs in child processes: ingest one size, then ask a new process.

ingest_step(10_000, Path("build/bench/scale/stores/10000"), None, full_max=10_000)
ask_step(10_000, Path("build/bench/scale/stores/10000"), None, started=time.time())
"""

from __future__ import annotations

import json
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from scale_corpus import (
    CHUNK_CHARS,
    WORK,
    CachedEmbeddings,
    Corpus,
    scale_articles,
    source_sentences,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FILTER = {"sources": ["lee/desk-03"]}
DATE_FILTER = {"published_from": "2024-03-01", "published_to": "2024-03-31"}
DATE_RANGE = (1709251200, 1711929599)  # 2024-03-01T00:00:00Z .. 2024-03-31T23:59:59Z


def settings_for(store: Path, url: str | None) -> Any:
    from assistant.settings import Settings

    return Settings(store=store, chroma_url=url)


def ingest_step(size: int, store: Path, url: str | None, *, full_max: int) -> dict[str, Any]:
    """Ingest, re-ingest unchanged and build BM25 once; seconds of each (encoder warm)."""
    from assistant.factory import make_retriever, open_store
    from assistant.retrieval.store import NewsStore
    from ingest.pipeline import index_articles

    settings = settings_for(store, url)
    corpus = Corpus.load(WORK / "corpus.npz")
    if corpus is None:
        raise RuntimeError("no build/bench/scale/corpus.npz: run bench/scale.py, not a child")
    articles = scale_articles(size, corpus.counts)
    news = open_store(settings)
    news.embeddings.embed_query("warm up the encoder")
    full = size <= full_max
    if not full:
        news = NewsStore(news.collection, CachedEmbeddings(corpus, news.embeddings))
    began = time.perf_counter()
    report = index_articles(articles, news, chunk_chars=CHUNK_CHARS)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    again = index_articles(articles, news, chunk_chars=CHUNK_CHARS)
    reingest = time.perf_counter() - began
    if again.chunks_written or not report.ok:
        raise RuntimeError(f"unchanged re-ingest wrote {again.chunks_written} chunks")
    began = time.perf_counter()
    make_retriever(settings, news).keyword_index.refresh(force=True)
    return {
        "articles": len(articles),
        "chunks": report.chunks_written,
        "seconds": seconds,
        "reingest_seconds": reingest,
        "bm25_build_seconds": time.perf_counter() - began,
        "full": full,
    }


def gold_questions() -> list[str]:
    lines = (ROOT / "data/gold/dev/lee.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def ask_step(size: int, store: Path, url: str | None, *, started: float) -> dict[str, Any]:
    """First question after a restart, warm p50/p95, filtered asks, dense recall@5."""
    imported = time.time()
    from assistant import Assistant
    from assistant.retrieval.embeddings import load_sentence_model

    load_sentence_model(None)  # imports sentence-transformers and loads the weights
    loaded = time.time()
    questions = gold_questions()
    assistant = Assistant.from_settings(settings_for(store, url))
    assistant.ask(questions[0])
    first = time.time() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    warm = timings(lambda q: assistant.ask(q), questions)
    retrieve = timings(lambda q: assistant.retriever.retrieve(q), questions)
    by_source = timings(lambda q: _check_source(assistant.ask(q, filters=SOURCE_FILTER)), questions)
    by_date = timings(lambda q: _check_date(assistant.ask(q, filters=DATE_FILTER)), questions)
    return {
        "first_question_seconds": first,
        "first_question_python_start_seconds": imported - started,
        "first_question_model_load_seconds": loaded - imported,
        "first_question_after_model_seconds": first - (loaded - started),
        "first_question_cpu_seconds": usage.ru_utime + usage.ru_stime,
        "ask_p50_ms": percentile(warm, 50),
        "ask_p95_ms": percentile(warm, 95),
        "retrieve_p50_ms": percentile(retrieve, 50),
        "ask_source_filter_p50_ms": percentile(by_source, 50),
        "ask_date_filter_p50_ms": percentile(by_date, 50),
        "ask_source_filter_p95_ms": percentile(by_source, 95),
        "ask_date_filter_p95_ms": percentile(by_date, 95),
        **dense_recall(assistant.store, questions),
    }


def timings(call: Callable[[str], object], questions: Sequence[str]) -> list[float]:
    result = []
    for question in questions:
        began = time.perf_counter()
        call(question)
        result.append((time.perf_counter() - began) * 1000)
    return result


def percentile(values: Sequence[float], q: int) -> float:
    return float(np.percentile(values, q)) if len(values) > 1 else statistics.fmean(values)


def _check_source(answer: Any) -> None:
    bad = [p for p in answer.retrieved if p.metadata.get("source") != "lee/desk-03"]
    if bad:
        raise RuntimeError(f"the sources filter let through {bad[0].metadata.get('source')}")


def _check_date(answer: Any) -> None:
    for passage in answer.retrieved:
        if not DATE_RANGE[0] <= int(passage.metadata.get("published_ts", 0)) <= DATE_RANGE[1]:
            raise RuntimeError(f"the date filter let through {passage.metadata.get('published')}")


def query_texts(questions: Sequence[str], n: int = 200) -> list[str]:
    """The gold questions and sentences of the source articles: ``n`` dense queries."""
    rng = random.Random(5)
    pool = source_sentences()
    extra = [rng.choice(rng.choice(pool)) for _ in range(max(0, n - len(questions)))]
    return [*questions, *extra][:n]


def all_vectors(collection: Any, page: int = 5000) -> tuple[list[str], np.ndarray]:
    ids: list[str] = []
    parts: list[np.ndarray] = []
    for offset in range(0, collection.count(), page):
        got = collection.get(include=["embeddings"], limit=page, offset=offset)
        ids += got["ids"]
        parts.append(np.asarray(got["embeddings"], dtype=np.float32))
    return ids, np.concatenate(parts)


def dense_recall(store: Any, questions: Sequence[str], k: int = 5) -> dict[str, Any]:
    """Recall@k of the collection's HNSW search against exact cosine search (numpy over the
    same vectors), one query at a time; a returned chunk as similar as the k-th exact one
    counts as a hit, since the corpus holds duplicate chunks (the same sentence in two)."""
    queries = np.asarray(store.embeddings.embed_documents(query_texts(questions)), np.float32)
    ids, matrix = all_vectors(store.collection)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    similarity = (queries / np.linalg.norm(queries, axis=1, keepdims=True)) @ matrix.T
    kth = -np.sort(-similarity, axis=1)[:, k - 1]
    row_of = {chunk_id: row for row, chunk_id in enumerate(ids)}
    hits, seconds = [], []
    for n, query in enumerate(queries):
        began = time.perf_counter()
        found = store.collection.query(query_embeddings=[query.tolist()], n_results=k, include=[])
        seconds.append(time.perf_counter() - began)
        rows = [row_of[i] for i in found["ids"][0]]
        hits.append(float(np.sum(similarity[n, rows] >= kth[n] - 1e-5)) / k)
    return {
        "dense_recall_at_5": float(np.mean(hits)),
        "dense_query_p50_ms": float(np.median(seconds) * 1000),
        "recall_queries": len(queries),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, dict[str, float]]]:
    """``chroma run`` storing in ``path`` on a free loopback port; yields its URL and a dict
    that gets the server's ``peak_rss_mb`` when it stops."""
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    chroma = Path(sys.executable).with_name("chroma")
    command = [chroma, "run", "--path", path, "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with (path.parent / f"{path.name}.log").open("wb") as log:
        process = subprocess.Popen([str(c) for c in command], stdout=log, stderr=log)
        try:
            _await(f"{url}/api/v2/heartbeat", process)
            stats: dict[str, float] = {}
            yield url, stats
            stats["peak_rss_mb"] = _peak_rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _await(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"chroma run did not answer {url} (exit status {process.poll()})")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
