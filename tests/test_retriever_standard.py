"""``NewsRetriever`` passes LangChain's own retriever suite (``langchain-tests``).

The suite is a peer's test suite: it checks the ``k`` constructor parameter, ``k`` in
``invoke``, and that ``invoke``/``ainvoke`` return ``Document`` lists, on a real Chroma store
holding the sample article, embedded by the bundled model.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant import Settings
from assistant.factory import open_store
from assistant.retrieval.retriever import NewsRetriever
from assistant.retrieval.store import NewsStore


class TestNewsRetrieverStandard(RetrieversIntegrationTests):
    store: NewsStore

    @pytest.fixture(autouse=True)
    def _seed_store(self, seed_settings: Settings) -> None:
        self.store = open_store(seed_settings)

    @property
    def retriever_constructor(self) -> type[NewsRetriever]:
        return NewsRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"store": self.store}

    @property
    def retriever_query_example(self) -> str:
        return "Which groups reject the withdrawal?"


def test_the_seed_store_holds_enough_chunks_for_the_suite(seed_settings: Settings) -> None:
    assert open_store(seed_settings).count() >= 3
