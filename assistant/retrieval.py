"""Retrieval of passages for a question, as a LangChain ``BaseRetriever``.

retriever = NewsRetriever(store=store, k=5)
docs = retriever.invoke("Which groups reject the withdrawal?")
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .models import Passage
from .store import NewsStore


class NewsRetriever(BaseRetriever):
    """Dense retrieval over the news store; ``retrieve`` returns ``Passage`` objects."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: NewsStore
    k: int = 5

    def retrieve(
        self, query: str, *, k: int | None = None, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        vector = self.store.embeddings.embed_query(query)
        return self.store.query(vector, k=k or self.k, where=where)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        return [passage_to_document(p) for p in self.retrieve(query, k=kwargs.get("k"))]


def passage_to_document(passage: Passage) -> Document:
    metadata = {**passage.metadata, "score": passage.score}
    return Document(id=passage.chunk_id, page_content=passage.text, metadata=metadata)
