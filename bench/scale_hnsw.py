"""Dense recall@5 of Chroma's HNSW against exact search, per ef_search, on bench/scale.py's store.

    .venv/bin/python bench/scale_hnsw.py                      # the 100k store of the last run
    .venv/bin/python bench/scale_hnsw.py --store build/bench/scale/stores/10000 --ef 40 100

For each ef_search, one process changes it with ``collection.modify`` (as on an existing store)
and a new one measures recall@5 of 200 queries (the dev gold questions and news sentences), one
at a time, against numpy brute force over the same stored vectors (Chroma applies a changed
ef_search only when a process loads the index). The store is left at newsdesk's own ef_search.
Writes build/bench/scale-hnsw.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scale_corpus import WORK  # noqa: E402

EF_SEARCH = [20, 40, 60, 100, 150, 200, 400]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=WORK / "stores" / "100000")
    parser.add_argument("--ef", type=int, nargs="+", default=EF_SEARCH)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "scale-hnsw.json")
    parser.add_argument("--set-ef", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.set_ef:
        set_ef(args.store, args.set_ef)
        return 0
    if args.probe:
        print("RESULT " + json.dumps(probe(args.store)), flush=True)
        return 0
    from assistant.factory import EF_SEARCH as OURS

    rows = []
    for ef in args.ef:
        run(args.store, "--set-ef", str(ef))
        row = json.loads(run(args.store, "--probe").split("RESULT ", 1)[1])
        print(json.dumps(row), flush=True)
        rows.append(row)
    run(args.store, "--set-ef", str(OURS))
    report = {"store": str(args.store), "newsdesk_ef_search": OURS, "rows": rows}
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def run(store: Path, *flags: str) -> str:
    command = [sys.executable, __file__, "--store", str(store), *flags]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def collection_of(store: Path) -> Any:
    from assistant.factory import make_client
    from assistant.settings import Settings

    warnings.simplefilter("ignore", DeprecationWarning)  # chromadb: no embedding function
    return make_client(Settings(store=store)).get_collection("news", embedding_function=None)


def set_ef(store: Path, ef: int) -> None:
    collection_of(store).modify(configuration={"hnsw": {"ef_search": ef}})


def probe(store: Path) -> dict[str, Any]:
    from scale_steps import dense_recall, gold_questions

    from assistant.factory import make_embeddings
    from assistant.retrieval.store import NewsStore
    from assistant.settings import Settings

    collection = collection_of(store)
    news = NewsStore(collection, make_embeddings(Settings()))
    return {
        "ef_search": collection.configuration["hnsw"]["ef_search"],
        "chunks": collection.count(),
        **dense_recall(news, gold_questions()),
    }


if __name__ == "__main__":
    sys.exit(main())
