"""Who may talk to the server: its own host names only, no cross-site writes, and a login page
that gives nothing away (attacks 6 and 7 of issue 17), against the real server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.security.conftest import Server, start_server

SECRET_SOURCE = "confidential-briefings.txt"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "rebind.attacker.test"])
def test_a_request_for_another_host_name_is_refused(server: Server, host: str) -> None:
    for path in ("/", "/api/articles", "/healthz"):
        response = httpx.get(server.url + path, headers={"Host": host}, timeout=30)
        assert response.status_code == 400
        assert "NEWSDESK_ALLOWED_HOSTS" in response.json()["detail"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_the_local_names_are_served(server: Server, host: str) -> None:
    port = server.url.rsplit(":", 1)[1]
    response = httpx.get(server.url + "/healthz", headers={"Host": f"{host}:{port}"}, timeout=30)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_upload_is_refused_in_open_mode(server: Server, headers: dict) -> None:
    before = len(server.articles())
    body = b"Planted\n\nA page on another site planted this article in the open server.\n"
    for path in ("/api/ingest", "/gradio_api/upload"):
        response = httpx.post(
            server.url + path, files={"files": ("planted.txt", body)}, headers=headers, timeout=30
        )
        assert response.status_code == 403, (path, response.text)
        assert "cross-site" in response.json()["detail"]
    response = httpx.delete(server.url + "/api/articles/anything", headers=headers, timeout=30)
    assert response.status_code == 403
    assert len(server.articles()) == before


def test_the_pages_own_origin_may_write(server: Server) -> None:
    headers = {"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    body = b"Own page\n\nThe newsdesk page itself uploaded this article about the harbour.\n"
    response = httpx.post(
        server.url + "/api/ingest", files={"files": ("own.txt", body)}, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("token-server")
    secret = folder / SECRET_SOURCE
    secret.write_text("Briefing\n\nThe minister's briefing on the harbour sale is confidential.\n")
    from assistant import Settings
    from assistant.factory import open_store
    from tests.conftest import ingest

    made = Settings(store=folder / "store")
    ingest([secret], open_store(made), made)
    yield from start_server(folder, seed=False, NEWSDESK_API_TOKEN="s3cret-token-for-tests")


def test_the_login_page_lists_no_article_source(token_server: Server) -> None:
    page = httpx.get(token_server.url + "/", timeout=30)
    assert page.status_code == 200
    assert "confidential-briefings" not in page.text
    config = httpx.get(token_server.url + "/config", timeout=30)
    assert "confidential-briefings" not in config.text
    sources = token_server.articles()  # with the token, the article is there
    assert any(SECRET_SOURCE in a["source"] for a in sources)
