"""The JSON API and the chat served together by uvicorn on a free loopback port."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from app import make_filters
from assistant import Assistant, Settings
from assistant.factory import open_store
from assistant.models import Article
from assistant.serving.api import create_api
from ingest.pipeline import index_articles
from server import create_server
from tests.conftest import SEED, ingest
from tests.servers import Served

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOTH = {"tram-approved", "tram-cancelled"}
HTTP = httpx.Client(timeout=120)  # the first answers load the model on a busy 2-core machine
TRAM_QUESTION = "What did the Bellwood council decide about the tram line?"


def dated_article(article_id: str, text: str, published: str) -> Article:
    return Article(
        article_id=article_id,
        title=f"Bellwood {article_id}",
        text=text,
        source=f"wire/{article_id}.txt",
        content_hash=f"hash-{article_id}",
        published=published,
    )


DATED = [
    dated_article(
        "tram-approved",
        "The Bellwood council approved a new tram line on Monday. "
        "The tram line will cost 40 million dollars and open in 2026.",
        "2024-03-01",
    ),
    dated_article(
        "tram-cancelled",
        "The Bellwood council cancelled the tram line on Friday. "
        "Officials said rising costs made the tram line impossible.",
        "2025-06-10T09:30:00+00:00",
    ),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(store=tmp_path_factory.mktemp("api-store"), api_token=TOKEN)
    store = open_store(settings)
    ingest([SEED], store, settings)
    index_articles(DATED, store, chunk_chars=settings.chunk_chars)
    with Served(create_server(Assistant.from_settings(settings))) as served:
        yield served.url


def test_ask_returns_the_same_object_as_the_cli_json(api: str) -> None:
    response = HTTP.post(
        f"{api}/api/ask", json={"question": "Which groups reject the withdrawal?"}, headers=AUTH
    )
    assert response.status_code == 200
    body = response.json()
    assert {"answer", "refused", "citations", "retrieved"} <= set(body)
    assert "[1]" in body["answer"] and not body["refused"]
    assert body["citations"][0]["quote"] in body["answer"]
    assert set(body["citations"][0]) == {
        "n", "chunk_id", "article_id", "title", "url", "quote", "start", "end",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/ask"), ("get", "/api/articles"), ("delete", "/api/articles/x")],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_api_without_the_right_token_is_401(
    api: str, method: str, path: str, headers: dict[str, str]
) -> None:
    response = HTTP.request(method, f"{api}{path}", json={"question": "q"}, headers=headers)
    assert response.status_code == 401
    assert "NEWSDESK_API_TOKEN" in response.json()["detail"]


def test_health_and_docs_are_open(api: str) -> None:
    health = HTTP.get(f"{api}/healthz")
    assert health.status_code == 200 and health.json()["chunks"] > 0
    assert HTTP.get(f"{api}/docs").status_code == 200
    paths = HTTP.get(f"{api}/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/ask/stream", "/api/ingest", "/api/articles"} <= set(paths)


def test_the_chat_page_is_served_beside_the_api_and_needs_a_login(api: str) -> None:
    page = HTTP.get(f"{api}/", follow_redirects=True)
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert HTTP.get(f"{api}/config").status_code == 401  # the page shows the login form
    wrong = HTTP.post(f"{api}/login", data={"username": "newsdesk", "password": "nope"})
    assert wrong.status_code == 400
    right = HTTP.post(f"{api}/login", data={"username": "newsdesk", "password": TOKEN})
    assert right.status_code == 200 and right.json()["success"] is True


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "question"),
        ({"question": ""}, "empty"),
        ({"question": "x" * 5000}, "limit is 2,000"),
        ({"question": "q", "k": 0}, "k"),
        ({"question": "q", "k": "many"}, "k"),
        ({"question": "q", "filters": {"color": "red"}}, "color"),
        ({"question": "q", "filters": {"published_from": "yesterday"}}, "ISO 8601"),
        ({"question": "q", "history": [{"role": "robot", "content": "hi"}]}, "role"),
    ],
)
def test_invalid_requests_are_422_with_a_message(api: str, body: dict, says: str) -> None:
    response = HTTP.post(f"{api}/api/ask", json=body, headers=AUTH)
    assert response.status_code == 422
    assert says in response.json()["detail"]


def test_a_body_that_is_not_json_is_422(api: str) -> None:
    response = HTTP.post(
        f"{api}/api/ask",
        content=b"{not json",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"published_from": "2025-01-01"}, {"tram-cancelled"}),
        ({"published_to": "2024-03-01"}, {"tram-approved"}),
        ({"published_from": "2024-01-01", "published_to": "2025-12-31"}, BOTH),
        ({"sources": ["wire/tram-approved.txt"]}, {"tram-approved"}),
    ],
)  # fmt: skip
def test_filters_limit_the_articles_searched(api: str, filters: dict, expected: set[str]) -> None:
    response = HTTP.post(
        f"{api}/api/ask", json={"question": TRAM_QUESTION, "filters": filters}, headers=AUTH
    )
    assert response.status_code == 200
    retrieved = {p["article_id"] for p in response.json()["retrieved"]}
    assert retrieved == expected


def test_filters_that_match_nothing_give_a_plain_refusal(api: str) -> None:
    body = {"question": TRAM_QUESTION, "filters": {"published_to": "1990-01-01"}}
    answer = HTTP.post(f"{api}/api/ask", json=body, headers=AUTH).json()
    assert answer["refused"] is True and "filters" in answer["answer"]


def test_stream_sends_the_answer_in_deltas_then_whole(api: str) -> None:
    body = {"question": "Which groups reject the withdrawal?"}
    events: list[tuple[str, dict]] = []
    with HTTP.stream("POST", f"{api}/api/ask/stream", json=body, headers=AUTH) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    names = [n for n, _ in events]
    assert names[-1] == "answer" and names.count("delta") >= 1
    text = "".join(d["text"] for n, d in events if n == "delta")
    assert text.strip() == events[-1][1]["answer"].strip()


def test_uploaded_file_is_answerable_listed_and_deletable(api: str, tmp_path: Path) -> None:
    text = (
        "Harbour Gazette\n\nThe Quillfield lighthouse was repainted bright orange in May. "
        "Keeper Anna Brisk said the new colour helps ships in fog."
    )
    files = {"files": ("quillfield-lighthouse.txt", text.encode(), "text/plain")}
    report = HTTP.post(f"{api}/api/ingest", files=files, headers=AUTH, timeout=60).json()
    assert report["added"] + report["updated"] == ["upload:quillfield-lighthouse.txt"]
    assert report["failed"] == []
    assert [r["source"] for r in report["sources"]] == ["quillfield-lighthouse.txt"]
    again = HTTP.post(f"{api}/api/ingest", files=files, headers=AUTH, timeout=60).json()
    assert again["unchanged"] == ["upload:quillfield-lighthouse.txt"]  # the same id as the tab's

    question = {"question": "What colour was the Quillfield lighthouse repainted?"}
    answer = HTTP.post(f"{api}/api/ask", json=question, headers=AUTH).json()
    assert "orange" in answer["answer"] and answer["citations"]
    article_id = answer["citations"][0]["article_id"]

    listed = HTTP.get(f"{api}/api/articles", headers=AUTH).json()
    assert article_id in {a["article_id"] for a in listed}
    path = f"{api}/api/articles/{quote(article_id, safe='')}"
    deleted = HTTP.delete(path, headers=AUTH)
    assert deleted.status_code == 200 and deleted.json()["deleted_chunks"] >= 1
    again = HTTP.delete(path, headers=AUTH)
    assert again.status_code == 404 and article_id in again.json()["detail"]


def test_ingest_of_a_loopback_url_is_refused_by_the_address_guard(api: str) -> None:
    response = HTTP.post(
        f"{api}/api/ingest", data={"urls": ["http://127.0.0.1:9/nothing"]}, headers=AUTH
    )
    assert response.status_code == 200
    [failed] = response.json()["failed"]
    assert failed["source"] == "http://127.0.0.1:9/nothing"
    assert "refused to fetch from 127.0.0.1" in failed["problem"]
    assert "NEWSDESK_FETCH_ALLOW_PRIVATE=1" in failed["problem"]


def test_the_urls_field_never_reads_a_file_on_the_server(api: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Server secret\n\nThe admin password is hunter2.\n", encoding="utf-8")
    urls = [str(secret), f"file://{secret}"]
    response = HTTP.post(f"{api}/api/ingest", data={"urls": urls}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body["added"] == [] and body["chunks_written"] == 0
    problems = [f["problem"] for f in body["failed"]]
    assert problems[0].startswith("not a URL") and "'file' scheme is refused" in problems[1]


def test_ingest_with_nothing_is_422(api: str) -> None:
    response = HTTP.post(f"{api}/api/ingest", data={}, headers=AUTH)
    assert response.status_code == 422 and "Nothing to ingest" in response.json()["detail"]


def test_stream_of_a_bad_question_is_422_before_any_event(api: str) -> None:
    response = HTTP.post(f"{api}/api/ask/stream", json={"question": "  "}, headers=AUTH)
    assert response.status_code == 422 and "empty" in response.json()["detail"]


@pytest.mark.parametrize(
    ("controls", "filters"),
    [
        ((None, "", ""), None),
        (([], " ", None), None),
        ((["a.txt"], "2024-01-01", ""), {"sources": ["a.txt"], "published_from": "2024-01-01"}),
        ((None, None, "2024-12-31"), {"published_to": "2024-12-31"}),
    ],
)
def test_chat_filter_controls_become_ask_filters(controls: tuple, filters: dict | None) -> None:
    assert make_filters(*controls) == filters


@pytest.mark.parametrize(("token", "says"), [(None, "open to anyone"), ("t", "requires")])
def test_startup_says_whether_the_api_is_open(
    seed_assistant: Assistant, caplog: pytest.LogCaptureFixture, token: str | None, says: str
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.serving.api"):
        create_api(seed_assistant, token=token)
    assert says in caplog.text
