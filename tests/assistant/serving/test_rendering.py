"""Article text on the chat page: escaped Markdown and HTML, links only to http(s) URLs.

The real browser check is ``tests/test_browser.py``; these pin the rules case by case.
"""

from __future__ import annotations

import pytest

from assistant.models import Answer, Citation
from assistant.serving.rendering import chat_text, escape_answer, http_url, render_sources


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:/no-host",
        "",
        None,
    ],
)
def test_only_an_http_url_with_a_host_becomes_a_link(url: str | None) -> None:
    assert http_url(url) is None


def test_an_http_url_is_encoded_so_it_cannot_end_the_link_early() -> None:
    assert http_url("https://a.example/x) [y](javascript:z") == (
        "https://a.example/x%29%20%5By%5D%28javascript:z"
    )


def _answer(title: str, url: str | None, quote: str) -> Answer:
    citation = Citation(
        n=1, chunk_id="c", article_id="a", title=title, url=url, quote=quote, start=0, end=1
    )
    return Answer(answer=f"{quote} [1]", refused=False, citations=[citation], retrieved=[])


def test_a_hostile_title_url_and_quote_render_as_plain_text() -> None:
    rendered = render_sources(
        _answer("[t](javascript:x) <b>", "javascript:alert(1)", "![i](data:x) <script>")
    )
    assert "](" not in rendered.replace("\\](", "") and "<" not in rendered
    assert "javascript:alert(1)" not in rendered  # the url is not shown as a link target


def test_the_answer_keeps_its_markers_and_escapes_the_rest() -> None:
    text = chat_text(_answer("t", None, "*Hi* [x](javascript:y)"))
    assert text.endswith("[1]") and "\\*Hi\\*" in text and "\\[x\\]\\(javascript:y\\)" in text
    assert escape_answer("[1]: javascript:x") == "\\[1\\]: javascript:x"  # no reference link
