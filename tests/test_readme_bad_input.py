"""Every row of the README's bad-input table names tests, and every test it names exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT

SECTION = "## Bad input and attacks: what the user sees"


def _rows() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return [line for line in table.splitlines() if line.startswith("| ") and "`tests/" in line]


def test_the_bad_input_table_has_a_row_per_case_each_naming_a_test() -> None:
    rows = _rows()
    assert len(rows) >= 13
    assert all(row.rstrip().endswith("|") and row.count(" | ") >= 2 for row in rows)


def test_every_test_the_table_names_exists() -> None:
    named = 0
    for row in _rows():
        file = None
        for reference in re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)`", row.split(" | ")[-1]):
            path, _, function = reference.partition("::")
            file = path or file
            assert file, reference
            source = (ROOT / file).read_text(encoding="utf-8")
            if function:
                assert f"def {function}(" in source, f"{file}::{function} is not a test"
            named += 1
    assert named >= 16
