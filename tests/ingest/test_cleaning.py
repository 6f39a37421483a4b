from __future__ import annotations

import pytest

from ingest.cleaning import RULES, clean_text
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


def test_the_first_copy_of_a_repeated_line_stays_and_later_copies_go() -> None:
    raw = (
        "Headline\n\nA crowd waves flags in the square at dusk\n\n"
        "A crowd waves flags in the square at dusk\n\nThe mayor spoke.\n\nThe crowd cheered.\n"
    )
    assert clean_text(raw)[1] == (
        "A crowd waves flags in the square at dusk\n\nThe mayor spoke.\n\nThe crowd cheered."
    )


def test_a_page_printed_three_times_keeps_one_copy() -> None:
    page = "The council voted on Monday to approve the budget.\n\nThe vote passed seven to two.\n"
    assert clean_text(f"Headline\n\n{page}{page}{page}")[1] == (
        "The council voted on Monday to approve the budget.\n\nThe vote passed seven to two."
    )


@pytest.mark.parametrize(
    "item",
    [
        "The Lord of the Rings trilogy (DVD)",
        "Apple iPhone 12, 64 GB, black (Renewed)",
        "Nuclear Non-Proliferation Treaty (NPT)",
        "Later the minister agreed to attend the meeting after all. (dpa)",
    ],
)
def test_lines_ending_in_a_parenthesis_that_is_no_photo_credit_stay(item: str) -> None:
    raw = f"Headline\n\nThe shop lists these items.\n\n{item}\n"
    assert item in clean_text(raw)[1]


@pytest.mark.parametrize(
    "notice",
    [
        "© 2019 Science X Network",
        "Copyright 2023 Sunbeam Television Corp. All rights reserved.",
        "This copy is for your personal, non-commercial use only. Distribution and use of this "
        "material are governed by our Subscriber Agreement and by copyright law. For non-personal "
        "use or to order multiple copies, please contact Dow Jones Reprints.",
    ],
)
def test_copyright_and_reprint_notices_go(notice: str) -> None:
    raw = f"Headline\n\nThe council voted on Monday.\n\n{notice}\n"
    assert clean_text(raw)[1] == "The council voted on Monday."


def test_prose_about_copyright_stays() -> None:
    raw = "Headline\n\nCopyright law changes next year, the court said.\n\nReprints cost more.\n"
    assert clean_text(raw)[1] == (
        "Copyright law changes next year, the court said.\n\nReprints cost more."
    )


def test_list_and_dialogue_marks_stay_in_the_text_while_bulleted_debris_goes() -> None:
    raw = "Headline\n\n• Oops!\n\n– „Dann sag es nicht“\n\n– „Ok.“\n\n- 200 g Zucker\n"
    assert clean_text(raw)[1] == "– „Dann sag es nicht“\n\n– „Ok.“\n\n- 200 g Zucker"


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_can_be_turned_off(rule: str) -> None:
    line = {
        "widget": "Advertisement",
        "link_list": "Read More",
        "repeated": "The vote passed seven to two.",
        "caption": "Crowds gather in the square at dusk (EPA)",
        "rights": "© 2024 Daily News",
        "comment_notice": "Comments are closed for this article",
    }[rule]
    raw = f"Headline\n\nThe vote passed seven to two.\n\n{line}\n"
    assert clean_text(raw)[1] == "The vote passed seven to two."
    others = [r for r in RULES if r != rule]
    assert clean_text(raw, rules=others)[1] == f"The vote passed seven to two.\n\n{line}"


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    raw = (
        "Headline\n\nThe minister said the budget would be presented to parliament\n"
        "next week, after months of delay.\n"
    )
    assert clean_text(raw)[1] == (
        "The minister said the budget would be presented to parliament "
        "next week, after months of delay."
    )
