"""Article text is shown, never obeyed: no autolinks in the page, no escape sequences on a
terminal (low list of issue 17), with a real browser and the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from assistant import Assistant, Settings
from assistant.factory import open_store
from server import create_server
from tests.conftest import ROOT, ingest
from tests.requirements import require_chromium
from tests.servers import Served
from tests.test_browser import ask, chat_page

OWN_URL = "https://harbour.example/news/ferry"
LINKY = {
    "title": "Ferry returns to Calder Bay",
    "url": OWN_URL,
    "text": (
        "The night ferry returned to Calder Bay on Friday, the board said at "
        "https://evil.example/login and www.evil.example/offer, or mail refunds@evil.example."
    ),
}
ESCAPES = {
    "title": "Harbour \x1b]0;pwned-title\x07 tolls \x1b[2J rise",
    "url": "https://harbour.example/tolls",
    "text": "Harbour tolls rose by 4 per cent on Monday \x1b]52;c;ZXZpbA==\x07, the board said.",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("rendering")
    dump = folder / "articles.jsonl"
    dump.write_text("\n".join(json.dumps(a) for a in (LINKY, ESCAPES)), encoding="utf-8")
    settings = Settings(store=folder / "store")
    report = ingest([dump], open_store(settings), settings)
    assert len(report.added) == 2, report
    return settings


@pytest.fixture(scope="module")
def chat_url(store: Settings) -> Iterator[str]:
    require_chromium()
    with Served(create_server(Assistant.from_settings(store))) as served:
        yield f"{served.url}/"


def test_bare_urls_www_names_and_emails_in_articles_are_not_links(chat_url: str) -> None:
    from playwright.sync_api import expect

    with chat_page(chat_url) as page:
        ask(page, "When did the night ferry return to Calder Bay?")
        sources = page.locator("#sources")
        expect(sources).to_contain_text("Ferry returns to Calder Bay", timeout=120_000)
        expect(page.locator("#chat")).to_contain_text("evil.example")
        hrefs = page.eval_on_selector_all(
            "#chat a[href], #sources a[href]", "links => links.map(a => a.href)"
        )
        shown = page.locator("#sources").inner_text() + page.locator("#chat").inner_text()
    assert hrefs == [OWN_URL]  # the article's own URL, and nothing from its text
    assert "https://evil.example/login" in shown and "refunds@evil.example" in shown


def test_the_sources_filter_is_filled_when_the_page_loads(chat_url: str) -> None:
    with chat_page(chat_url) as page:
        page.get_by_text("Filters").click()
        page.locator("#filter-sources input").click()
        page.locator("[role=option]").first.wait_for(timeout=30_000)
        options = page.locator("[role=option]").all_inner_texts()
    assert any("articles.jsonl" in option for option in options), options


def _cli(store: Settings, *args: str) -> str:
    env = {**os.environ, "NEWSDESK_STORE": str(store.store)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("args", [("list",), ("ask", "How much did harbour tolls rise on Monday?")])
def test_the_cli_prints_control_characters_escaped(store: Settings, args: tuple) -> None:
    out = _cli(store, *args)
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in out  # shown, not obeyed


def test_escaped_output_keeps_the_text(store: Settings) -> None:
    out = _cli(store, "ask", "How much did harbour tolls rise on Monday?")
    assert "4 per cent" in out
