"""Dense recall@5 of Chroma's HNSW against exact search, per index configuration and ef_search.

    .venv/bin/python bench/scale_hnsw.py --size 100000      # after bench/scale.py built the corpus

Each configuration (max_neighbors, ef_construction) gets a fresh embedded collection holding
the corpus vectors (build/bench/scale/corpus.npz); ef_search is then changed on it with
``collection.modify`` (as on an existing store) and recall@5 of 200 queries is measured
against numpy brute force over the same vectors. Writes build/bench/scale-hnsw.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scale_corpus import WORK, Corpus  # noqa: E402

CONFIGS = [(16, 100), (32, 200)]  # (max_neighbors, ef_construction); Chroma's default first
EF_SEARCH = [10, 20, 40, 60, 100, 150, 200, 300]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "scale-hnsw.json")
    args = parser.parse_args()
    corpus = Corpus.load(WORK / "corpus.npz")
    if corpus is None or len(corpus.vectors) < args.size:
        sys.exit("no corpus of that size: run bench/scale.py first")
    vectors = corpus.vectors[: args.size]
    queries = query_vectors()
    truth = exact_top(vectors, queries)
    rows = []
    for neighbors, construction in CONFIGS:
        collection, seconds = build(vectors, neighbors=neighbors, construction=construction)
        for ef in EF_SEARCH:
            row = sweep(collection, queries, truth, ef)
            row.update(max_neighbors=neighbors, ef_construction=construction, build_s=seconds)
            print(json.dumps(row), flush=True)
            rows.append(row)
    args.out.write_text(json.dumps({"size": args.size, "rows": rows}, indent=2) + "\n")
    return 0


def query_vectors() -> np.ndarray:
    from scale_steps import gold_questions, query_texts

    from assistant.factory import make_embeddings
    from assistant.settings import Settings

    embeddings = make_embeddings(Settings())
    found = embeddings.embed_documents(query_texts(gold_questions()))
    return np.asarray(found, dtype=np.float32)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 5) -> list[set[int]]:
    normed = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    return [set(row) for row in np.argsort(-(q @ normed.T), axis=1)[:, :k].tolist()]


def build(vectors: np.ndarray, *, neighbors: int, construction: int) -> tuple[Any, float]:
    import chromadb

    path = WORK / "hnsw" / f"m{neighbors}-efc{construction}"
    shutil.rmtree(path, ignore_errors=True)
    client = chromadb.PersistentClient(str(path), chromadb.Settings(anonymized_telemetry=False))
    hnsw = {"space": "cosine", "max_neighbors": neighbors, "ef_construction": construction}
    collection = client.create_collection(
        "news", embedding_function=None, configuration={"hnsw": hnsw}
    )
    began = time.perf_counter()
    for start in range(0, len(vectors), 5000):
        part = vectors[start : start + 5000]
        ids = [str(i) for i in range(start, start + len(part))]
        collection.add(ids=ids, embeddings=part.tolist())
    return collection, time.perf_counter() - began


def sweep(collection: Any, queries: np.ndarray, truth: list[set[int]], ef: int) -> dict[str, Any]:
    collection.modify(configuration={"hnsw": {"ef_search": ef}})
    began = time.perf_counter()
    found = collection.query(query_embeddings=queries.tolist(), n_results=5, include=[])
    ms = (time.perf_counter() - began) * 1000 / len(queries)
    hits = [len(truth[i] & {int(x) for x in ids}) / 5 for i, ids in enumerate(found["ids"])]
    return {"ef_search": ef, "recall_at_5": float(np.mean(hits)), "query_ms": ms}


if __name__ == "__main__":
    sys.exit(main())
