"""Ingest benchmark on the Lee corpus (300 ABC news articles from gensim's test data).

    .venv/bin/python bench/ingest.py            # prints figures, writes bench/ingest-report.json

Reports, from one run: chunks/s of ``newsdesk`` ingest (load, clean, chunk, embed, upsert into a
fresh embedded Chroma); its ratio to raw ``SentenceTransformer.encode`` of the same chunks; its
ratio to the LangChain tutorial pipeline (RecursiveCharacterTextSplitter +
``Chroma.from_documents`` with ``HuggingFaceEmbeddings``); the unchanged re-ingest time; peak RSS;
and bf16-vs-fp32 quality (cosine of chunk vectors, dense evidence hits on data/gold/dev/lee.jsonl).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Settings  # noqa: E402
from assistant.factory import open_store  # noqa: E402
from assistant.retrieval.embeddings import bundled_model_path, load_sentence_model  # noqa: E402
from bench.lee_corpus import lee_path  # noqa: E402
from ingest.chunking import split_article  # noqa: E402
from ingest.loaders import load_sources  # noqa: E402
from ingest.pipeline import index_articles  # noqa: E402

GOLD = ROOT / "data" / "gold" / "dev" / "lee.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "ingest-report.json")
    parser.add_argument("--skip-langchain", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "lee.jsonl", args.articles)
        texts = chunk_texts(corpus)
        figures.update(bench_newsdesk(corpus, Path(tmp) / "store", texts))
        figures.update(bench_quality(texts, figures.pop("_vectors")))
        figures["peak_rss_mb_newsdesk_and_raw"] = peak_rss_mb()
        if not args.skip_langchain:
            figures.update(bench_langchain(corpus, Path(tmp) / "lc", figures))
    figures["peak_rss_mb_total"] = peak_rss_mb()
    for name, value in figures.items():
        print(f"{name:42s} {value}")
    args.report.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def write_corpus(path: Path, articles: int) -> Path:
    lines = lee_path().read_text(encoding="latin-1").splitlines()[:articles]
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(lines):
            title = " ".join(text.split()[:8])
            record = {"title": title, "text": text, "url": f"https://lee.example.com/{number}"}
            out.write(json.dumps(record) + "\n")
    return path


def bench_newsdesk(corpus: Path, store_dir: Path, texts: list[str]) -> dict[str, Any]:
    """Our ingest, between two raw encodes of the same chunks (the machine is shared: the
    ratio uses the mean of the raw runs just before and just after)."""
    settings = Settings(store=store_dir)
    store = open_store(settings)
    store.embeddings.embed_documents(texts[:64])  # model load and kernel warm-up excluded
    raw_before, vectors = raw_encode(texts, settings.embed_precision)
    start = time.perf_counter()
    report = index_articles(
        load_sources([corpus], max_bytes=settings.max_source_bytes),
        store,
        chunk_chars=settings.chunk_chars,
    )
    first = time.perf_counter() - start
    raw_after, _ = raw_encode(texts, settings.embed_precision)
    start = time.perf_counter()
    again = index_articles(
        load_sources([corpus], max_bytes=settings.max_source_bytes),
        store,
        chunk_chars=settings.chunk_chars,
    )
    second = time.perf_counter() - start
    assert again.chunks_written == 0 and len(again.unchanged) == len(report.added)
    assert report.chunks_written == len(texts)
    rate = report.chunks_written / first
    raw_rate = len(texts) / ((raw_before + raw_after) / 2)
    return {
        "precision": settings.embed_precision,
        "articles": len(report.added),
        "chunks": report.chunks_written,
        "newsdesk_ingest_s": round(first, 2),
        "newsdesk_chunks_per_s": round(rate, 1),
        f"raw_encode_{settings.embed_precision}_chunks_per_s_before_after": (
            f"{len(texts) / raw_before:.1f} / {len(texts) / raw_after:.1f}"
        ),
        "newsdesk_over_raw_encode": round(rate / raw_rate, 3),
        "unchanged_reingest_s": round(second, 3),
        "first_over_unchanged_reingest": round(first / second, 1),
        "_vectors": vectors,
    }


def raw_encode(texts: list[str], precision: str) -> tuple[float, np.ndarray]:
    """Seconds of ``SentenceTransformer.encode`` of ``texts`` (batch 64), and the vectors."""
    import torch

    model = load_sentence_model(None)
    context = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "bf16" else _null()
    with context:
        start = time.perf_counter()
        vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)
        return time.perf_counter() - start, vectors


def chunk_texts(corpus: Path) -> list[str]:
    items = load_sources([corpus], max_bytes=10**8)
    return [
        c.text
        for a in items
        if not isinstance(a, Exception)
        for c in split_article(a, max_chars=600)
    ]


def bench_quality(texts: list[str], bf16: np.ndarray) -> dict[str, Any]:
    """fp32 speed, and how close bf16 is: cosine of chunk vectors, gold retrieval agreement."""
    seconds, fp32 = raw_encode(texts, "fp32")
    cosine = (bf16 * fp32).sum(axis=1)
    return {
        "raw_encode_fp32_chunks_per_s": round(len(texts) / seconds, 1),
        "bf16_cosine_to_fp32_min": round(float(cosine.min()), 6),
        "bf16_cosine_to_fp32_mean": round(float(cosine.mean()), 6),
        **gold_agreement(load_sentence_model(None), texts, {"bf16": bf16, "fp32": fp32}),
    }


def gold_agreement(model, texts: list[str], vectors: dict) -> dict[str, float | int]:
    """Dense top-5 on the gold questions: evidence hit rate per precision, and overlap."""
    import torch

    cases = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    cases = [c for c in cases if c.get("answerable") and c.get("evidence")]
    questions = [c["question"] for c in cases]
    tops, hits = {}, {}
    for precision in ("bf16", "fp32"):
        context = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "bf16" else _null()
        with context:
            queries = model.encode(questions, normalize_embeddings=True)
        top = np.argsort(-(queries @ vectors[precision].T), axis=1)[:, :5]
        tops[precision] = top
        hits[precision] = sum(
            any(e in texts[i] for i in row for e in case["evidence"])
            for row, case in zip(top, cases, strict=True)
        )
    overlap = np.mean(
        [len(set(a) & set(b)) / 5 for a, b in zip(tops["bf16"], tops["fp32"], strict=True)]
    )
    return {
        "gold_questions": len(cases),
        "gold_evidence_hits_at5_fp32": int(hits["fp32"]),
        "gold_evidence_hits_at5_bf16": int(hits["bf16"]),
        "gold_top5_overlap_bf16_fp32": round(float(overlap), 3),
    }


def bench_langchain(corpus: Path, directory: Path, figures: dict) -> dict[str, float | int]:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embeddings = HuggingFaceEmbeddings(
        model_name=bundled_model_path(), encode_kwargs={"normalize_embeddings": True}
    )
    embeddings.embed_documents(["warm up the model"])
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    start = time.perf_counter()
    docs = [
        Document(r["text"], metadata={"source": r["url"], "title": r["title"]}) for r in records
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=600, chunk_overlap=100).split_documents(docs)
    Chroma.from_documents(splits, embeddings, persist_directory=str(directory))
    elapsed = time.perf_counter() - start
    rate = len(splits) / elapsed
    return {
        "langchain_chunks": len(splits),
        "langchain_ingest_s": round(elapsed, 2),
        "langchain_chunks_per_s": round(rate, 1),
        "newsdesk_speedup_over_langchain_time": round(
            elapsed / float(figures["newsdesk_ingest_s"]), 2
        ),
    }


def peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
