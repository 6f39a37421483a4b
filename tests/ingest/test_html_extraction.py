"""What the HTML path keeps of a page, and the reason it gives when a page holds no article."""

from __future__ import annotations

import pytest

from assistant.errors import SourceError
from ingest.html import article_from_html, count_words, missing_article
from tests.ingest.conftest import NO_ARTICLE_HTML

NAV = '<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>'
FOOTER = "<footer>Valley Times. Privacy policy. Contact.</footer>"
RACES = [
    ("4 May", "Valley Run", "Linz"),
    ("11 May", "Lake Ten", "Gmunden"),
    ("18 May", "Hill Climb", "Steyr"),
    ("25 May", "Night Mile", "Wels"),
]


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>{NAV}"
        f"<main><article><h1>{title}</h1>{body}</article></main>{FOOTER}</body></html>"
    )


def test_a_page_that_is_one_table_is_kept_as_its_rows() -> None:
    rows = "".join(f"<tr><td>{d}</td><td>{r}</td><td>{p}</td></tr>" for d, r, p in RACES)
    table = f"<table><tr><th>Date</th><th>Race</th><th>Place</th></tr>{rows}</table>"
    article = article_from_html(page("Race calendar", table), source="races.html", fallback_id="r")
    assert article.title == "Race calendar"
    for date, race, place in RACES:
        assert f"| {date} | {race} | {place} |" in article.text


def test_a_table_inside_an_article_is_kept_beside_its_prose() -> None:
    prose = (
        "<p>The club published the dates of this year's road races on Monday, after the "
        "council approved the road closures for every one of them.</p>"
    )
    rows = "".join(f"<tr><td>{d}</td><td>{r}</td></tr>" for d, r, _ in RACES)
    html = page("Road races", f"{prose}<table>{rows}</table>")
    article = article_from_html(html, source="races.html", fallback_id="r")
    assert "council approved the road closures" in article.text
    assert "| 18 May | Hill Climb |" in article.text


def test_an_article_in_a_script_written_without_spaces_is_accepted() -> None:
    body = (
        "<p>市の北部に新しい駅が開業し、朝から多くの人が電車に乗りました。</p>"
        "<p>市長は、駅の周りに店や公園を増やす計画を話しました。</p>"
    )
    article = article_from_html(page("新しい駅が開業", body), source="eki.html", fallback_id="e")
    assert "市長は、駅の周りに店や公園を増やす計画を話しました。" in article.text


@pytest.mark.parametrize(
    "body",
    [
        "市の北部に新しい駅が開業し、朝から多くの人が電車に乗りました。",  # Japanese, 。
        "这座城市的北部开通了一个新的火车站。",  # Chinese
        "আজ শনিবার সকালে দৌলতপুর উপজেলার ফিলিপনগর গ্রামে এ ঘটনা ঘটে।",  # Bengali, danda
        "„Ich weiß ich bin betrunken und sollte das vielleicht nicht sagen…“",  # German quotes
    ],
)
def test_a_sentence_in_any_script_makes_an_article(body: str) -> None:
    assert missing_article(body) is None
    assert missing_article(body.rstrip("。।“…")) is not None  # the same words, not a sentence


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The council voted on Monday.", 5),
        ("東京は晴れ", 5),
        ("| 4 May | Valley Run | Linz |", 5),
        ("Ai shi qu de ai 爱逝去的爱", 10),
        ("", 0),
    ],
)
def test_words_are_counted_in_any_script(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (NO_ARTICLE_HTML, "its main text is 3 words ('World Sport Weather'): no sentence of 8"),
        ("<html><head><title>x</title></head><body></body></html>", "trafilatura found no main"),
        (
            page(
                "Reprint",
                "<p>This copy is for your personal, non-commercial use only. Distribution and use "
                "of this material are governed by our Subscriber Agreement and by copyright law. "
                "To order multiple copies, please contact Dow Jones Reprints.</p>",
            ),
            "words of its main text are site debris ('This copy is for your personal",
        ),
    ],
)
def test_a_rejected_page_names_the_reason(html: str, reason: str) -> None:
    with pytest.raises(SourceError) as raised:
        article_from_html(html, source="page.html", fallback_id="p")
    assert raised.value.problem.startswith("no article text found in the page: ")
    assert reason in raised.value.problem
