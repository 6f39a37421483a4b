"""One settings object for newsdesk, read from ``NEWSDESK_*`` environment variables.

Library callers override fields directly, the CLI through its flags::

    settings = Settings(store=Path("/tmp/news"), k=8)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

AnswererName = Literal["extractive", "llamacpp", "ollama", "openai"]
"""The names ``NEWSDESK_ANSWERER`` takes: the keys of ``factory.ANSWER_BACKENDS``."""


class Settings(BaseSettings):
    """Every tunable of newsdesk; each field is documented in the README's table."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore", frozen=True)

    store: Path = Field(
        default=Path(".newsdesk"),
        description="Directory of the embedded Chroma store (PersistentClient).",
    )
    collection: str = Field(default="news", description="Chroma collection holding the chunks.")
    embedding_model: str | None = Field(
        default=None,
        description="Path of a sentence-transformers model; default: the bundled all-MiniLM-L6-v2.",
    )
    embed_batch_size: int = Field(default=64, gt=0, description="Chunks embedded per batch.")
    embed_precision: Literal["bf16", "fp32"] = Field(
        default="bf16",
        description="Embedding arithmetic: bf16 (CPU autocast, about 1.7x faster here) or fp32.",
    )
    chunk_chars: int = Field(
        default=600, ge=100, description="Target size of a chunk in characters (sentence-aligned)."
    )
    k: int = Field(default=5, gt=0, le=50, description="Passages retrieved per question.")
    max_question_chars: int = Field(
        default=2000, gt=0, description="Longest question accepted, in characters."
    )
    max_source_bytes: int = Field(
        default=10_000_000, gt=0, description="Largest source file or page ingested, in bytes."
    )
    fetch_timeout: float = Field(
        default=20.0,
        gt=0,
        description="Seconds a whole fetch of a URL or feed may take (a deadline).",
    )
    fetch_allow_private: bool = Field(
        default=False,
        description="Let URL and feed fetches reach loopback, private and link-local addresses "
        "(refused by default against server-side request forgery).",
    )
    max_upload_bytes: int = Field(
        default=100_000_000,
        gt=0,
        description="Largest request body the web server accepts (uploads), in bytes; 413 above.",
    )
    max_upload_files: int = Field(
        default=100,
        gt=0,
        description="Most files, and most URLs, one ingest request may name; 413 above.",
    )
    host: str = Field(default="127.0.0.1", description="Interface the web chat listens on.")
    allowed_hosts: str | None = Field(
        default=None,
        description="Host names the web server answers to, comma-separated (`*`: any); unset: "
        "localhost, 127.0.0.1, ::1 and `NEWSDESK_HOST` (a guard against DNS rebinding).",
    )
    port: int = Field(default=7860, gt=0, lt=65536, description="Port the web chat listens on.")
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (`chroma run`); when set, replaces the embedded store.",
    )
    api_token: str | None = Field(
        default=None,
        description="Bearer token for `/api/*` and password of the chat login; unset: open.",
    )
    reader: bool = Field(
        default=True,
        description="Decide with the trained reader (`0`: with the feature scorer alone).",
    )
    reader_weights: Path | None = Field(
        default=None,
        description="The reader's weights file (`newsdesk train --out`); unset: the shipped one.",
    )
    answerer: AnswererName = Field(
        default="extractive",
        description="Who writes answers: `extractive` (quotes, no model), `llamacpp`, `ollama` "
        "or `openai`.",
    )
    llm_model: str | None = Field(
        default=None,
        description="Model name (ollama, openai) or GGUF path (llamacpp; default: the bundled "
        "SmolLM2-135M).",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Base URL of the ollama or OpenAI-compatible server, e.g. "
        "`http://127.0.0.1:8000/v1`.",
    )
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key of the OpenAI-compatible server (unset: none needed)."
    )
    llm_temperature: float = Field(
        default=0.0, ge=0, le=2, description="Sampling temperature of the language model."
    )
    llm_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the language model, then fall back."
    )
    llm_max_tokens: int = Field(
        default=256, gt=0, description="Longest answer the language model may write, in tokens."
    )
    citation_min_support: float = Field(
        default=0.72,
        ge=0,
        le=1,
        description="Support score a generated sentence needs from the passage it cites.",
    )
