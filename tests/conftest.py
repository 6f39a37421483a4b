"""Shared fixtures: the real bundled embedding model and real Chroma stores in temp dirs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.factory import open_store
from assistant.retrieval.store import NewsStore
from ingest.loaders import load_sources
from ingest.pipeline import index_articles

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SEED = ARTICLES / "iraq-militias-withdrawal.txt"


def ingest(paths: list[Path | str], store: NewsStore, settings: Settings):
    items = load_sources(paths, max_bytes=settings.max_source_bytes)
    return index_articles(items, store, chunk_chars=settings.chunk_chars)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store")


@pytest.fixture
def store(settings: Settings) -> NewsStore:
    return open_store(settings)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A store holding the sample article, built once per test session."""
    directory = tmp_path_factory.mktemp("seed-store")
    settings = Settings(store=directory)
    ingest([SEED], open_store(settings), settings)
    yield settings
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def seed_assistant(seed_settings: Settings) -> Assistant:
    return Assistant.from_settings(seed_settings)
