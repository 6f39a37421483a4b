"""How newsdesk's costs grow with the archive: 1k, 10k and 100k chunks of real news text.

    .venv/bin/python bench/scale.py                          # 1k, 10k, 100k; build/bench/scale.*
    .venv/bin/python bench/scale.py --sizes 1000 10000 --server   # also against `chroma run`

Articles come from bench/scale_corpus.py; their embeddings are cached under
build/bench/scale/embeddings, so a rerun embeds nothing. Each size runs in fresh processes:
one ingests (through the real pipeline: with the real encoder up to ``--full-max`` chunks,
above it with the cached vectors, the encoder's time then added from the measured embed rate
and labelled ``estimated``) and re-ingests unchanged; a new one answers the first question
after a restart, then warm questions (extractive, k=5), with a ``sources`` and a date filter,
and measures dense recall@5 of Chroma's HNSW against exact (numpy) search.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

OUT = ROOT / "build" / "bench"

from scale_corpus import WORK  # noqa: E402

CORPUS = WORK / "corpus.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--full-max", type=int, default=10_000, help="largest real-encoder ingest")
    parser.add_argument("--server", action="store_true", help="also run against `chroma run`")
    parser.add_argument("--server-sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--ask-only", action="store_true", help="re-ask the stores of the last run (scale.json)"
    )
    parser.add_argument("--child", choices=["ingest", "ask"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_child(args)
        result["peak_rss_mb"] = peak_rss_mb()
        print("RESULT " + json.dumps(result), flush=True)
        return 0
    from scale_report import write_report

    plan = [(size, False) for size in sorted(args.sizes)]
    plan += [(size, True) for size in sorted(args.server_sizes)] if args.server else []
    if args.ask_only:
        last = json.loads((args.out / "scale.json").read_text(encoding="utf-8"))
        embed_rate = float(last["encoder_chunks_per_second"])
        before = {(r["size"], r["backend"] == "server"): r for r in last["rows"]}
        for key in plan:
            if key in before:
                before[key] = reask(before[key], server=key[1])
        rows = list(before.values())  # the sizes not asked again keep their figures
    else:
        embed_rate = prepare(max(args.sizes))
        rows = [measure(size, embed_rate, full_max=args.full_max, server=s) for size, s in plan]
    write_report(rows, embed_rate=embed_rate, out=args.out)
    return 0


def reask(row: dict[str, Any], *, server: bool) -> dict[str, Any]:
    """``row`` with its ask figures measured again on the store the last run built."""
    store = WORK / "stores" / (f"{row['size']}-server" if server else str(row["size"]))
    with chroma_server(store) if server else nullcontext((None, {})) as (url, _):
        ask = child("ask", row["size"], store, url)
    row = {**row, **ask, "ask_peak_rss_mb": ask["peak_rss_mb"]}
    row["load_average"] = os.getloadavg()[0]
    print(json.dumps(row), flush=True)
    return row


def prepare(largest: int) -> float:
    """Chunk and embed (or find cached) the largest size; return the encoder's chunks/s,
    measured on 1024 chunks when this run embedded fewer, so a cached rerun still reports it."""
    from scale_corpus import Corpus, EmbeddingCache, chunk_texts, scale_articles

    from assistant.factory import make_embeddings
    from assistant.settings import Settings

    embeddings = make_embeddings(Settings())
    cache = EmbeddingCache(WORK / "embeddings", embeddings)
    corpus = Corpus.load(CORPUS)
    if corpus is None or int(corpus.counts.sum()) < largest:
        Corpus.build(largest, cache).save(CORPUS)
    if cache.embedded >= 4096:
        rate = cache.embedded / cache.embed_seconds
    else:
        sample = chunk_texts(scale_articles(1024))
        began = time.perf_counter()
        embeddings.embed_documents(sample)
        rate = len(sample) / (time.perf_counter() - began)
    print(f"corpus of {largest} chunks ready; encoder {rate:.1f} chunks/s", flush=True)
    return rate


def measure(size: int, embed_rate: float, *, full_max: int, server: bool = False) -> dict[str, Any]:
    """Ingest ``size`` chunks into a fresh store, then ask in a new process; one row."""
    label = f"{size}-server" if server else str(size)
    store = WORK / "stores" / label
    shutil.rmtree(store, ignore_errors=True)
    with chroma_server(store) if server else nullcontext((None, {})) as (url, server_stats):
        ingest = child("ingest", size, store, url)
        ask = child("ask", size, store, url)
    row: dict[str, Any] = {"size": size, "backend": "server" if server else "embedded"}
    if server_stats:
        row["server_peak_rss_mb"] = server_stats["peak_rss_mb"]
    row.update({f"ingest_{k}": v for k, v in ingest.items()})
    row.update(ask)
    row["ask_peak_rss_mb"] = ask["peak_rss_mb"]
    row["ingest_peak_rss_mb"] = ingest["peak_rss_mb"]
    row["store_mb"] = disk_mb(store)
    row["load_average"] = os.getloadavg()[0]  # other work on the machine while this size ran
    full = ingest["full"]
    row["ingest_seconds"] = ingest["seconds"] + (0 if full else ingest["chunks"] / embed_rate)
    row["ingest_estimated"] = not full
    print(json.dumps(row), flush=True)
    return row


def child(kind: str, size: int, store: Path, url: str | None) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--size",
        str(size),
        "--store",
        str(store),
    ]
    command += ["--started", repr(time.time())] + (["--url", url] if url else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not results:
        raise RuntimeError(f"bench child {kind} {size} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(results[-1][len("RESULT ") :]))


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    from scale_steps import ask_step, ingest_step

    if args.child == "ingest":
        return ingest_step(args.size, args.store, args.url, full_max=args.full_max)
    return ask_step(args.size, args.store, args.url, started=args.started)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's,
    which a child inherits across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def chroma_server(path: Path) -> Any:
    from scale_steps import chroma_server as start

    return start(path)


if __name__ == "__main__":
    sys.exit(main())
