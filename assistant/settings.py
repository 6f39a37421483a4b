"""One settings object for newsdesk, read from ``NEWSDESK_*`` environment variables.

Library callers override fields directly, the CLI through its flags::

    settings = Settings(store=Path("/tmp/news"), k=8)
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    host: str = Field(default="127.0.0.1", description="Interface the web chat listens on.")
    port: int = Field(default=7860, gt=0, lt=65536, description="Port the web chat listens on.")
