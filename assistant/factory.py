"""The one place that names concrete integrations: the Chroma client and the embedding model.

store = open_store(Settings())
"""

from __future__ import annotations

import logging
from typing import Any

from .embeddings import SentenceEmbeddings
from .errors import StoreUnavailableError
from .settings import Settings
from .store import NewsStore

logger = logging.getLogger(__name__)


def make_embeddings(settings: Settings) -> SentenceEmbeddings:
    return SentenceEmbeddings(settings.embedding_model, batch_size=settings.embed_batch_size)


def make_client(settings: Settings) -> Any:
    """An embedded ``PersistentClient`` at ``settings.store``."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    try:
        settings.store.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.store), settings=chroma_settings)
    except Exception as error:
        raise StoreUnavailableError(
            f"Cannot open the Chroma store at '{settings.store}' ({error}). Check that the "
            "directory is writable and that no other process holds it (use a Chroma server, "
            "NEWSDESK_CHROMA_URL, to share one store between processes)."
        ) from error


def open_store(settings: Settings, *, client: Any = None) -> NewsStore:
    """The collection named by ``settings``, created on first use, with cosine distance."""
    client = client if client is not None else make_client(settings)
    collection = client.get_or_create_collection(
        name=settings.collection,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
    )
    return NewsStore(collection, make_embeddings(settings))
