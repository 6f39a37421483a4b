"""Dense recall@5 of Chroma's HNSW against exact search, per index configuration and ef_search.

    .venv/bin/python bench/scale_hnsw.py --size 100000      # after bench/scale.py built the corpus

Each configuration (max_neighbors, ef_construction) gets a fresh embedded collection holding
the corpus vectors (build/bench/scale/corpus.npz); ef_search is then changed on it with
``collection.modify`` (as on an existing store) and recall@5 of 200 queries is measured
against numpy brute force over the same vectors, one query at a time in a new process (Chroma
applies a changed ef_search only when it loads the index). Writes build/bench/scale-hnsw.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scale_corpus import WORK, Corpus  # noqa: E402

CONFIGS = [(16, 100)]  # (max_neighbors, ef_construction): Chroma's default, what newsdesk uses
EF_SEARCH = [10, 20, 40, 60, 100, 200, 400]
QUERIES = WORK / "hnsw" / "queries.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "scale-hnsw.json")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print("RESULT " + json.dumps(probe(args.probe)), flush=True)
        return 0
    corpus = Corpus.load(WORK / "corpus.npz")
    if corpus is None or len(corpus.vectors) < args.size:
        sys.exit("no corpus of that size: run bench/scale.py first")
    vectors = corpus.vectors[: args.size]
    queries = query_vectors()
    normed = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = (queries / np.linalg.norm(queries, axis=1, keepdims=True)) @ normed.T
    QUERIES.parent.mkdir(parents=True, exist_ok=True)
    np.savez(QUERIES, queries=queries, similarity=similarity)
    rows = []
    for neighbors, construction in CONFIGS:
        path, seconds = build(vectors, neighbors=neighbors, construction=construction)
        for ef in EF_SEARCH:
            set_ef(path, ef)
            row = run_probe(path)  # a new process: Chroma applies ef_search when it loads
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


def client_of(path: Path) -> Any:
    import chromadb

    return chromadb.PersistentClient(str(path), chromadb.Settings(anonymized_telemetry=False))


def build(vectors: np.ndarray, *, neighbors: int, construction: int) -> tuple[Path, float]:
    """A collection of ``vectors`` (ids are row numbers); reused when already complete."""
    path = WORK / "hnsw" / f"m{neighbors}-efc{construction}-{len(vectors)}"
    if (path / "complete").is_file():
        return path, float((path / "complete").read_text())
    shutil.rmtree(path, ignore_errors=True)
    hnsw = {"space": "cosine", "max_neighbors": neighbors, "ef_construction": construction}
    collection = client_of(path).create_collection(
        "news", embedding_function=None, configuration={"hnsw": hnsw}
    )
    began = time.perf_counter()
    for start in range(0, len(vectors), 5000):
        part = vectors[start : start + 5000]
        ids = [str(i) for i in range(start, start + len(part))]
        collection.add(ids=ids, embeddings=part.tolist())
    seconds = time.perf_counter() - began
    (path / "complete").write_text(str(seconds))
    return path, seconds


def set_ef(path: Path, ef: int) -> None:
    collection = client_of(path).get_collection("news", embedding_function=None)
    collection.modify(configuration={"hnsw": {"ef_search": ef}})


def run_probe(path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--probe", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def probe(path: Path, k: int = 5) -> dict[str, Any]:
    """Recall@k of one query at a time (as a question does) against exact search; a returned
    chunk as similar as the k-th exact one counts as a hit (the corpus has duplicate chunks)."""
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)
    collection = client_of(path).get_collection("news", embedding_function=None)
    ef = collection.configuration["hnsw"]["ef_search"]
    with np.load(QUERIES) as data:
        queries, similarity = data["queries"], data["similarity"]
    kth = -np.sort(-similarity, axis=1)[:, k - 1]
    collection.query(query_embeddings=queries[:1].tolist(), n_results=k, include=[])  # load
    hits, seconds = [], []
    for n, query in enumerate(queries):
        began = time.perf_counter()
        found = collection.query(query_embeddings=[query.tolist()], n_results=k, include=[])
        seconds.append(time.perf_counter() - began)
        rows = [int(i) for i in found["ids"][0]]
        hits.append(float(np.sum(similarity[n, rows] >= kth[n] - 1e-5)) / k)
    return {
        "ef_search": ef,
        "recall_at_5": float(np.mean(hits)),
        "query_ms_p50": float(np.median(seconds) * 1000),
    }


if __name__ == "__main__":
    sys.exit(main())
