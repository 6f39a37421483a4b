"""Plain text and Markdown whose first line is body text, not a headline: nothing is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.models import Article
from ingest.cleaning import clean_text, derive_title
from ingest.loaders import load_sources
from tests.conftest import SEED
from tests.requirements import require_lee_corpus

PARAGRAPH = (
    "The city council voted on Monday to approve the budget for next year, after months of "
    "debate about schools, roads and the harbour. The vote passed seven to two."
)


def _load(path: Path) -> Article | SourceError:
    [item] = load_sources([path], max_bytes=10**6)
    return item


@pytest.mark.parametrize("name", ["one-line.txt", "one-line.md"])
def test_a_file_that_is_one_paragraph_on_one_line_is_all_body(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PARAGRAPH + "\n", encoding="utf-8")
    article = _load(path)
    assert isinstance(article, Article)
    assert article.text == PARAGRAPH
    assert article.title == "The city council voted on Monday to approve the budget for next…"


def test_a_first_line_of_body_text_stays_in_the_body_with_what_follows(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(f"{PARAGRAPH}\n\nThe mayor said taxes would not rise.\n", encoding="utf-8")
    article = _load(path)
    assert isinstance(article, Article)
    assert article.text == f"{PARAGRAPH}\n\nThe mayor said taxes would not rise."


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("# Council passes the budget", "Council passes the budget"),
        ("Council passes the budget", "Council passes the budget"),
        ("Is the budget too big?", "Is the budget too big?"),
    ],
)
def test_a_headline_stays_the_title_and_out_of_the_body(first_line: str, title: str) -> None:
    assert clean_text(f"{first_line}\n\n{PARAGRAPH}\n") == (title, PARAGRAPH)


def test_the_sample_article_keeps_its_headline() -> None:
    title, body = clean_text(SEED.read_text(encoding="utf-8"))
    assert title.startswith("Iranian-backed militias in Iraq divided")
    assert not body.startswith("Iranian-backed militias in Iraq divided")


def test_a_file_with_only_a_headline_fails_loudly_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "headline.txt"
    path.write_text("Council passes the budget\n", encoding="utf-8")
    error = _load(path)
    assert isinstance(error, SourceError) and error.source == str(path)
    assert "no article text left" in error.problem


def test_every_lee_news_article_saved_as_one_line_keeps_all_its_words(tmp_path: Path) -> None:
    """Real news: the Lee corpus holds 300 articles, one paragraph on one line each."""
    lines = require_lee_corpus().read_text(encoding="latin-1").splitlines()
    articles = [" ".join(line.split()) for line in lines if line.strip()][:60]
    for number, text in enumerate(articles):
        (tmp_path / f"lee-{number:03d}.txt").write_text(text + "\n", encoding="utf-8")
    items = list(load_sources([tmp_path], max_bytes=10**6))
    assert all(isinstance(item, Article) for item in items), items
    assert len(items) == len(articles)
    for text, item in zip(articles, items, strict=True):
        assert isinstance(item, Article)
        assert item.text.split() == text.split()  # not one word lost
        assert item.title and text.startswith(item.title.rstrip("…"))


def test_a_derived_title_is_the_first_sentence_or_the_first_words() -> None:
    assert derive_title("Fire crews battle blazes. More to come.") == "Fire crews battle blazes"
    long = "one two three four five six seven eight nine ten eleven twelve thirteen"
    assert derive_title(long) == "one two three four five six seven eight nine ten eleven twelve…"
