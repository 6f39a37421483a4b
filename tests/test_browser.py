"""A real browser (Debian's chromium, driven by Playwright) asks the example question.

Never downloads a browser: it uses ``/usr/bin/chromium`` (``make install`` installs it).
``NEWSDESK_UPDATE_SCREENSHOT=1`` also writes the README's ``docs/screenshot.png``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import EXAMPLES
from assistant import Assistant, Settings
from server import create_server
from tests.conftest import ROOT
from tests.requirements import CHROMIUM, require_chromium
from tests.test_api import Served

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


def test_browser_asks_the_example_question_and_sees_markers_and_sources(
    chat_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(chat_url, wait_until="networkidle")
            box = page.locator("#question textarea")
            box.fill(EXAMPLES[0])
            box.press("Enter")
            chat = page.locator("#chat")
            expect(chat).to_contain_text("[1]", timeout=120_000)
            expect(chat).to_contain_text("withdrawal")
            sources = page.locator("#sources")
            expect(sources).to_contain_text("[1]")
            expect(sources).to_contain_text("Iranian-backed militias in Iraq")  # the title
            shot = tmp_path / "screenshot.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("NEWSDESK_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
