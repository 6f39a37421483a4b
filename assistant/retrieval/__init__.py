"""Retrieval: the chunk store (Chroma), the embedding model, BM25 and the fused retriever.

This room is the only code that knows Chroma's query and filter syntax.
"""

from .base import ChunkStore
from .filters import Filters, parse_filters
from .retriever import NewsRetriever
from .store import NewsStore

__all__ = ["ChunkStore", "Filters", "NewsRetriever", "NewsStore", "parse_filters"]
