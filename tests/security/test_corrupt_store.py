"""A damaged HNSW index file makes newsdesk say what is broken and how to rebuild, instead of
dying with SIGSEGV in Chroma's hnswlib (low list of issue 17), for the CLI and the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import Settings
from assistant.factory import open_store
from assistant.models import Chunk
from ingest.articles import make_article
from tests.servers import ROOT, free_port

CHUNKS = 3_000  # enough for Chroma to persist its HNSW index to disk


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose index Chroma has written to disk (random vectors: no model needed)."""
    folder = tmp_path_factory.mktemp("hnsw") / "store"
    store = open_store(Settings(store=folder))
    texts = [f"Filler sentence number {n} about the harbour." for n in range(CHUNKS)]
    article = make_article(article_id="filler", title="Filler", text=" ".join(texts), source="t")
    chunks, start = [], 0
    for n, text in enumerate(texts):
        chunks.append(Chunk(f"c{n}", "filler", n, text, start, start + len(text)))
        start += len(text) + 1
    vectors = np.random.default_rng(17).normal(size=(CHUNKS, 384)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.replace_articles([(article, chunks)], vectors.tolist())
    del store
    assert list(folder.glob("*/data_level0.bin")), "Chroma wrote no HNSW index"
    return folder


def _damaged(healthy: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(healthy, copy)
    (level0,) = copy.glob("*/data_level0.bin")
    data = bytearray(level0.read_bytes())
    for offset in range(0, len(data), 997):  # bytes flipped here and there, as a disk fault
        data[offset] ^= 0xA5
    level0.write_bytes(bytes(data))
    return copy


def _run(command: list[str], store: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    environment.update(NEWSDESK_STORE=str(store), **env)
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def test_ask_on_a_damaged_index_says_what_is_broken(healthy: Path, tmp_path: Path) -> None:
    store = _damaged(healthy, tmp_path)
    done = _run([sys.executable, "-m", "assistant.cli", "ask", "harbour filler?"], store)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])  # not -11 (SIGSEGV)
    assert "Traceback" not in done.stderr
    (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert "vector index" in line and "data_level0.bin" in line and "ingest" in line


def test_the_server_on_a_damaged_index_exits_with_one_line(healthy: Path, tmp_path: Path) -> None:
    store = _damaged(healthy, tmp_path)
    done = _run([sys.executable, "server.py"], store, NEWSDESK_PORT=str(free_port()))
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert "is damaged: data_level0.bin" in done.stderr


def test_the_healthy_index_passes_the_check(healthy: Path) -> None:
    done = _run([sys.executable, "-m", "assistant.cli", "list"], healthy)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "filler" in done.stdout
