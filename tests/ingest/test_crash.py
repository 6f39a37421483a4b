"""An ingest killed half-way (a real subprocess, SIGKILL) and run again leaves the store complete.

Also: two ingests of one embedded store at once: the second fails with a clear message.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Settings
from assistant.errors import StoreUnavailableError
from assistant.factory import open_store
from assistant.retrieval.lock import store_lock
from ingest.chunking import split_article
from ingest.loaders import load_sources
from ingest.pipeline import index_articles
from tests.conftest import ROOT
from tests.requirements import require_lee_corpus

INGEST_SCRIPT = """
import sys
from pathlib import Path
from assistant import Settings
from assistant.factory import open_store
from ingest.loaders import load_sources
from ingest.pipeline import index_articles

store = open_store(Settings(store=Path(sys.argv[1])))
items = load_sources([sys.argv[2]], max_bytes=10**7)
def tell(done, total):
    print("progress", done, total, flush=True)
index_articles(items, store, chunk_chars=300, batch_chunks=16, on_progress=tell)
print("finished", flush=True)
"""


def _write_corpus(path: Path, *, articles: int, version: str) -> None:
    lines = require_lee_corpus().read_text(encoding="latin-1").splitlines()[:articles]
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(lines):
            record = {
                "title": f"Lee article {number}",
                "text": f"{text.strip()} This is version {version} of the story.",
                "url": f"https://lee.example.com/{number}",
            }
            out.write(json.dumps(record) + "\n")


def _ingest_in_subprocess(store: Path, corpus: Path, *, kill_after_batches: int | None) -> str:
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST_SCRIPT, str(store), str(corpus)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    batches = 0
    for line in process.stdout:
        if line.startswith("progress"):
            batches += 1
            if kill_after_batches is not None and batches == kill_after_batches:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=60)
                return "killed"
        if line.startswith("finished"):
            break
    assert process.wait(timeout=300) == 0
    return "finished"


def test_ingest_killed_half_way_then_rerun_leaves_no_duplicate_orphan_or_gap(
    tmp_path: Path,
) -> None:
    store_dir, old, new = tmp_path / "store", tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    _write_corpus(old, articles=12, version="A")
    _write_corpus(new, articles=24, version="B")  # the 12 old ones changed, 12 new ones
    assert _ingest_in_subprocess(store_dir, old, kill_after_batches=None) == "finished"
    assert _ingest_in_subprocess(store_dir, new, kill_after_batches=3) == "killed"

    store = open_store(Settings(store=store_dir))
    killed_state = store.list_articles()
    assert any(not r.complete or "version A" in _text_of(store, r.article_id) for r in killed_state)

    articles = list(load_sources([new], max_bytes=10**7))
    report = index_articles(articles, store, chunk_chars=300)
    assert report.ok and report.chunks_written > 0
    expected = {c.chunk_id: c for a in articles for c in split_article(a, max_chars=300)}
    stored = store.collection.get(include=["documents", "metadatas"])
    assert sorted(stored["ids"]) == sorted(expected)  # no duplicate, no orphan, nothing missing
    pairs = zip(stored["ids"], stored["documents"], strict=True)
    assert all(expected[chunk_id].text == text for chunk_id, text in pairs)
    assert all(r.complete for r in store.list_articles())
    assert len(store.list_articles()) == 24
    assert not any("version A" in d for d in stored["documents"])


def _text_of(store, article_id: str) -> str:
    documents = store.collection.get(where={"article_id": article_id}, include=["documents"])
    return " ".join(documents["documents"])


def test_a_second_ingest_of_the_same_store_fails_with_a_clear_message(tmp_path: Path) -> None:
    with (
        store_lock(tmp_path),
        pytest.raises(StoreUnavailableError) as caught,
        store_lock(tmp_path),
    ):
        pass
    message = str(caught.value)
    assert f"pid {os.getpid()}" in message and str(tmp_path) in message
    with store_lock(tmp_path):  # released: the next ingest may go on
        pass


def test_the_cli_refuses_to_ingest_while_another_ingest_holds_the_store(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("Budget passes\n\nThe council voted on Monday.\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    with store_lock(store_dir):
        result = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ingest", str(page), "--no-progress"],
            cwd=ROOT,
            env={**os.environ, "NEWSDESK_STORE": str(store_dir)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 1
    assert "Another ingest" in result.stderr and str(store_dir) in result.stderr
