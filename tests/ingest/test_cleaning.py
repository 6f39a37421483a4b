from __future__ import annotations

import pytest

from ingest.cleaning import clean_text
from tests.conftest import SEED

SEED_DEBRIS = [
    "Oops!",
    "Something went wrong.",
    "Please try again later.",
    "In this article:",
    "3-min read",
    "symbolic funeral (EPA)",
    "Read More",
    "Tunisia’s prime minister ‘beaten up’",
    "Pegasus spyware",
    "article commenting",
]


def test_seed_article_keeps_its_headline_as_title() -> None:
    title, _ = clean_text(SEED.read_text(encoding="utf-8"))
    assert title == "Iranian-backed militias in Iraq divided over US decision to ‘withdraw’ troops"


@pytest.mark.parametrize("debris", SEED_DEBRIS)
def test_seed_article_loses_site_debris(debris: str) -> None:
    _, body = clean_text(SEED.read_text(encoding="utf-8"))
    assert debris not in body


@pytest.mark.parametrize(
    "kept",
    [
        "Powerful Shia political and militia leaders in Iraq are divided",
        "“deceptive declaration to maintain the occupation”",
        "“The resistance will remain fully prepared until the real withdrawal.”",
        "noting that they will give an opportunity for the forces to withdraw.",
    ],
)
def test_seed_article_keeps_its_paragraphs(kept: str) -> None:
    _, body = clean_text(SEED.read_text(encoding="utf-8"))
    assert kept in body


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        ("Advertisement", "widget line"),
        ("5 min read", "read-time badge"),
        ("Protesters gather outside parliament on Tuesday (Reuters)", "credited caption"),
        ("Comments are closed for this article, see our community guidelines", "comment notice"),
    ],
)
def test_general_rules_drop_debris_of_other_sites(debris: str, rule: str) -> None:
    raw = f"Headline\n\nThe council voted on Monday.\n\n{debris}\n\nThe vote passed 7 to 2.\n"
    _, body = clean_text(raw)
    assert debris not in body, rule
    assert body == "The council voted on Monday.\n\nThe vote passed 7 to 2."


def test_related_headlines_after_a_link_list_heading_are_dropped() -> None:
    raw = (
        "Headline\n\nThe council voted on Monday.\n\nMost Read\n\nMan bites dog in town\n\n"
        "Markets rally on rate hopes\n"
    )
    assert clean_text(raw)[1] == "The council voted on Monday."


def test_a_paragraph_printed_twice_is_debris_but_distinct_paragraphs_stay() -> None:
    raw = (
        "Headline\n\nA crowd waves flags in the square at dusk\n\n"
        "A crowd waves flags in the square at dusk\n\nThe mayor spoke.\n\nThe crowd cheered.\n"
    )
    assert clean_text(raw)[1] == "The mayor spoke.\n\nThe crowd cheered."


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    raw = (
        "Headline\n\nThe minister said the budget would be presented to parliament\n"
        "next week, after months of delay.\n"
    )
    assert clean_text(raw)[1] == (
        "The minister said the budget would be presented to parliament "
        "next week, after months of delay."
    )
