"""Server mode: a real ``chroma run`` on a free loopback port shared by several processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings, StoreUnavailableError
from assistant.factory import open_store
from server import create_server
from tests.conftest import ROOT, SEED
from tests.servers import Served, chroma_server, free_port

NEW_ARTICLE = (
    "Valley Courier\n\n"
    "The Ostrava river ferry will stop running on 14 March after sixty years of service. "
    "The ferry company blamed a shortage of trained pilots for the closure.\n"
)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def newsdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_separate_ingest_process_writes_while_the_app_serves(
    chroma_url: str, tmp_path: Path
) -> None:
    env = {
        "NEWSDESK_CHROMA_URL": chroma_url,
        "NEWSDESK_COLLECTION": "live",
        "NEWSDESK_STORE": str(tmp_path / "must-not-exist"),
    }
    first = newsdesk("ingest", str(SEED), "--no-progress", env=env)
    assert first.returncode == 0, first.stderr
    settings = Settings(chroma_url=chroma_url, collection="live", store=tmp_path / "unused")
    with Served(create_server(Assistant.from_settings(settings))) as served:
        ask = f"{served.url}/api/ask"
        question = {"question": "Which groups reject the withdrawal?"}
        seed = httpx.post(ask, json=question, timeout=120).json()
        assert "[1]" in seed["answer"] and not seed["refused"]

        article = tmp_path / "ferry.txt"
        article.write_text(NEW_ARTICLE, encoding="utf-8")
        second = newsdesk("ingest", str(article), "--no-progress", env=env)
        assert second.returncode == 0, second.stderr

        question = {"question": "When will the Ostrava river ferry stop running?"}
        fresh = httpx.post(ask, json=question, timeout=60).json()
        assert "14 March" in fresh["answer"] and not fresh["refused"]
        titles = {a["title"] for a in httpx.get(f"{served.url}/api/articles", timeout=60).json()}
        assert "Valley Courier" in titles
    assert not (tmp_path / "must-not-exist").exists()
    assert not (tmp_path / "unused").exists()


def test_cli_ask_works_against_the_server(chroma_url: str, tmp_path: Path) -> None:
    env = {"NEWSDESK_CHROMA_URL": chroma_url, "NEWSDESK_COLLECTION": "cli"}
    assert newsdesk("ingest", str(SEED), "--no-progress", env=env).returncode == 0
    result = newsdesk("ask", "Which groups reject the withdrawal?", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"]


def test_a_server_that_is_down_is_a_clear_store_unavailable_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match="Cannot reach the Chroma server") as caught:
        open_store(Settings(chroma_url=url))
    assert url in str(caught.value) and "chroma run" in str(caught.value)


def test_cli_reports_a_server_that_is_down_and_exits_1(tmp_path: Path) -> None:
    env = {"NEWSDESK_CHROMA_URL": f"http://127.0.0.1:{free_port()}"}
    result = newsdesk("ask", "Who welcomed the withdrawal?", env=env)
    assert result.returncode == 1
    assert "Cannot reach the Chroma server" in result.stderr


@pytest.mark.parametrize("url", ["localhost:8000", "ftp://127.0.0.1:8000", "http://"])
def test_a_malformed_chroma_url_names_the_expected_form(url: str) -> None:
    with pytest.raises(StoreUnavailableError, match="http://host:port"):
        open_store(Settings(chroma_url=url))


def test_the_running_app_reports_a_server_that_went_away_as_503(tmp_path: Path) -> None:
    env = {"NEWSDESK_COLLECTION": "gone"}
    with chroma_server(tmp_path / "chroma") as url:
        assert (
            newsdesk("ingest", str(SEED), env={**env, "NEWSDESK_CHROMA_URL": url}).returncode == 0
        )
        assistant = Assistant.from_settings(Settings(chroma_url=url, collection="gone"))
        assert assistant.store.count() > 0
    # the Chroma server is down now; the app still starts, and says what is wrong
    with Served(create_server(assistant)) as served:
        health = httpx.get(f"{served.url}/healthz", timeout=60)
        asked = httpx.post(f"{served.url}/api/ask", json={"question": "Who?"}, timeout=60)
    for response in (health, asked):
        assert response.status_code == 503
        assert "cannot be reached" in response.json()["detail"]
