"""A web client never makes the server read one of its files: only uploaded bytes are ingested.

Attacks 1-2 of issue 17: a Gradio FileData naming a server path, and a feed whose body is a
path (feedparser opened it); and uploads do not stay in Gradio's cache.
"""

from __future__ import annotations

import json
from pathlib import Path

from gradio_client import Client, handle_file

from tests.security.conftest import Server, ingest_files

SECRET = "Zanzibar quartermaster pelican ledger seventeen"


def _secret_file(folder: Path, name: str = "secret.txt") -> Path:
    path = folder / name
    path.write_text(f"Private notes\n\nThe {SECRET} is kept in the vault of the server.\n")
    return path


def _stored_anywhere(server: Server) -> bool:
    answer = server.ask(f"What is the {SECRET}?").json()
    quoted = " ".join(c["quote"] for c in answer.get("citations", []))
    return SECRET.split()[0] in quoted or any(
        "secret" in a["article_id"] or "feed.rss" in a["article_id"] for a in server.articles()
    )


def _cached_copies(server: Server, text: str) -> list[Path]:
    return [
        p for p in server.gradio_cache.rglob("*") if p.is_file() and text.encode() in p.read_bytes()
    ]


def test_a_server_path_sent_as_gradio_file_data_is_refused_and_never_read(
    server: Server, tmp_path: Path
) -> None:
    secret = _secret_file(tmp_path)
    file_data = {"path": str(secret), "meta": {"_type": "gradio.FileData"}}
    event, _ = server.gradio_call("ingest", [[file_data], ""])
    assert event == "error"
    assert not _stored_anywhere(server)
    assert not _cached_copies(server, SECRET)  # not even copied into Gradio's cache


def test_a_feed_whose_body_is_a_path_is_not_opened(server: Server, tmp_path: Path) -> None:
    local_feed = tmp_path / "feed.rss"
    local_feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>"
        f"<item><title>Vault</title><guid>vault-1</guid><description>The {SECRET} sits in "
        "the vault, the staff said on Monday after the audit.</description></item>"
        "</channel></rss>"
    )
    response = ingest_files(server, ("news.xml", str(local_feed).encode()))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["added"] == [] and result["failed"]
    assert "not an RSS/Atom feed" in result["failed"][0]["problem"]
    assert not _stored_anywhere(server)


def test_an_upload_through_the_page_is_ingested_and_leaves_no_copy_in_the_cache(
    server: Server, tmp_path: Path
) -> None:
    article = tmp_path / "harbour.txt"
    marker = "Lighthouse keepers of Port Ellery voted to strike"
    article.write_text(f"Harbour strike\n\n{marker} on Tuesday over pay and rosters.\n")
    client = Client(server.url + "/", verbose=False)
    table = client.predict([handle_file(str(article))], "", api_name="/ingest")
    assert "1 added" in table
    assert any(a["article_id"] == "upload:harbour.txt" for a in server.articles())
    assert not _cached_copies(server, marker)


def test_gradio_file_data_of_a_real_upload_still_works_through_the_raw_protocol(
    server: Server, tmp_path: Path
) -> None:
    """The refusal is of paths outside the upload folder, not of the protocol."""
    import httpx

    body = b"Ferry returns\n\nThe night ferry to Calder Bay returned to service on Friday.\n"
    uploaded = httpx.post(
        f"{server.url}/gradio_api/upload", files={"files": ("ferry.txt", body)}, timeout=30
    )
    assert uploaded.status_code == 200, uploaded.text
    path = json.loads(uploaded.text)[0]
    file_data = {"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "ferry.txt"}
    event, payload = server.gradio_call("ingest", [[file_data], ""])
    assert event == "complete", payload
    assert "1 added" in payload
    assert not Path(path).exists()
