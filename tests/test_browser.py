"""A real browser (Debian's chromium, driven by Playwright) asks questions in the chat.

It sees the example answer with markers and sources, and an article whose title, url and text
carry scripts, ``javascript:``/``data:`` links, HTML and Markdown shown as inert text.

Never downloads a browser: it uses ``/usr/bin/chromium`` (``make install`` installs it).
``NEWSDESK_UPDATE_SCREENSHOT=1`` also writes the README's ``docs/screenshot.png``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app import EXAMPLES
from assistant import Assistant, Settings
from assistant.factory import open_store
from server import create_server
from tests.conftest import ROOT, ingest
from tests.requirements import CHROMIUM, require_chromium
from tests.servers import Served

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="module")
def _chromium() -> None:
    """Debian chromium and playwright: skipped without them, failed under REQUIRE_ALL."""
    require_chromium()


@pytest.fixture(scope="module")
def chat_url(seed_settings: Settings) -> Iterator[str]:
    with Served(create_server(Assistant.from_settings(seed_settings))) as served:
        yield f"{served.url}/"


@contextmanager
def chat_page(url: str, dialogs: list[str] | None = None) -> Iterator[Page]:
    """A page of headless Debian chromium on ``url``; ``dialogs`` records every dialog."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            opened = dialogs if dialogs is not None else []
            page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
            page.goto(url, wait_until="networkidle")
            yield page
        finally:
            browser.close()


def ask(page: Page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_browser_asks_the_example_question_and_sees_markers_and_sources(
    chat_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    with chat_page(chat_url) as page:
        ask(page, EXAMPLES[0])
        chat = page.locator("#chat")
        expect(chat).to_contain_text("[1]", timeout=120_000)
        expect(chat).to_contain_text("withdrawal")
        sources = page.locator("#sources")
        expect(sources).to_contain_text("[1]")
        expect(sources).to_contain_text("Iranian-backed militias in Iraq")  # the title
        shot = tmp_path / "screenshot.png"
        page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("NEWSDESK_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


def _payload(tag: str) -> str:
    """Markup that would set ``window.__pwned`` (or open a dialog) if it ever ran."""
    return (
        f"<img src=x onerror=\"window.__pwned='{tag}-img';alert(1)\"> "
        f"<script>window.__pwned='{tag}-script'</script> "
        f"[click {tag}](javascript:window.__pwned='{tag}-md') "
        f"<a href=\"javascript:window.__pwned='{tag}-a'\">open {tag}</a> **bold {tag}** "
        f"![pixel {tag}](data:image/svg+xml;base64,PHN2Zy8+)"  # last: '!' may end a sentence
    )


HOSTILE = [
    {
        "title": f"Zorblat festival {_payload('title')}",
        "url": "javascript:window.__pwned='url';alert(2)",
        "text": f"The Zorblat festival drew 9,000 visitors on Sunday {_payload('text')}.",
    },
    {
        "title": "Quillfield bridge [x](data:text/html,<script>alert(3)</script>)",
        "url": "data:text/html,<script>window.__pwned='data-url'</script>",
        "text": "Mayor Anna Brisk opened the Quillfield bridge on Monday morning.",
    },
    {
        "title": "Quillfield tunnel: the official page",
        "url": "https://quillfield.example/tunnel",
        "text": "The Quillfield tunnel is 4 kilometres long and opened in 1998.",
    },
]
QUESTIONS = [  # each with the title its answer cites
    ("How many visitors did the Zorblat festival draw?", "Zorblat festival <img"),
    ("Who opened the Quillfield bridge?", "Quillfield bridge [x](data:"),
    ("How long is the Quillfield tunnel?", "Quillfield tunnel: the official page"),
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The chat on a store holding articles with hostile titles, urls and text (JSON Lines)."""
    folder = tmp_path_factory.mktemp("hostile")
    feed = folder / "hostile.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in HOSTILE), encoding="utf-8")
    settings = Settings(store=folder / "store")
    report = ingest([feed], open_store(settings), settings)
    assert len(report.added) == len(HOSTILE), report
    with Served(create_server(Assistant.from_settings(settings))) as served:
        yield f"{served.url}/"


def test_hostile_article_titles_urls_and_text_never_run_or_link(hostile_url: str) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []
    hrefs: list[str] = []
    shown = ""
    with chat_page(hostile_url, dialogs) as page:
        chat, sources = page.locator("#chat"), page.locator("#sources")
        for question, title in QUESTIONS:
            ask(page, question)
            expect(sources).to_contain_text(title, timeout=120_000)
            page.wait_for_timeout(500)  # let any injected handler fire
            hrefs += page.eval_on_selector_all(
                "#chat a[href], #sources a[href]", "links => links.map(a => a.href)"
            )
            shown += sources.inner_text()
            inert = "#chat img, #sources img, #chat script, #sources script, #chat [onerror]"
            assert page.locator(inert).count() == 0
        shown += chat.inner_text()
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "https://quillfield.example/tunnel" in hrefs  # an http(s) url still becomes a link
    assert "<script>window.__pwned='title-script'</script>" in shown  # shown, as text
    assert "[click title](javascript:window.__pwned='title-md')" in shown
    assert "javascript:window.__pwned='text-" in shown  # the quoted text's markup too


def test_the_streamed_answer_is_escaped_at_every_step_not_only_at_the_end(
    hostile_url: str,
) -> None:
    from gradio_client import Client

    job = Client(hostile_url, verbose=False).submit(QUESTIONS[0][0], [], api_name="/chat")
    job.result(timeout=120)
    steps = [output[1][-1]["content"] for output in job.outputs() if output[1]]
    assert len(steps) > 1  # streamed: several partial answers, then the final one
    texts = [c if isinstance(c, str) else " ".join(part["text"] for part in c) for c in steps]
    # the final answer quotes the hostile sentence, so its markup was there to be escaped
    assert "9,000 visitors" in texts[-1] and "&lt;script&gt;" in texts[-1], texts[-1]
    for text in texts:
        assert "](javascript:" not in text and "<script>" not in text and "<img" not in text
    assert any("&lt;img" in text for text in texts[:-1])  # escaped while streaming too
