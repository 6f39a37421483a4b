"""`newsdesk list [--json]` and `newsdesk remove ARTICLE_ID`, and unchanged re-ingest speed path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Settings
from assistant.cli import main
from assistant.factory import open_store
from tests.conftest import SEED, ingest


def test_list_json_prints_one_object_per_article_and_remove_drops_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    extra = tmp_path / "budget.md"
    extra.write_text("# Budget passes\n\nThe council voted on Monday.\n", encoding="utf-8")
    assert main(["--store", str(store), "ingest", str(SEED), str(extra), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["--store", str(store), "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["title"] for r in rows} >= {"Budget passes"}
    assert len(rows) == 2
    for row in rows:
        assert {"article_id", "title", "url", "chunks"} <= set(row) and row["chunks"] > 0
    budget = next(r for r in rows if r["title"] == "Budget passes")
    assert main(["--store", str(store), "remove", budget["article_id"]]) == 0
    assert "removed" in capsys.readouterr().out
    assert main(["--store", str(store), "list", "--json"]) == 0
    assert [json.loads(x)["title"] for x in capsys.readouterr().out.splitlines()] == [
        rows[0]["title"] if rows[0] is not budget else rows[1]["title"]
    ]
    assert main(["--store", str(store), "remove", budget["article_id"]]) == 1
    assert "no article" in capsys.readouterr().err


def test_unchanged_reingest_never_loads_the_embedding_model(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", embedding_model=str(tmp_path / "never"))
    first = open_store(Settings(store=settings.store))
    ingest([SEED], first, settings)
    # A store whose model path does not exist: any attempt to embed would fail.
    report = ingest([SEED], open_store(settings), settings)
    assert report.unchanged and report.chunks_written == 0
