"""The ``newsdesk`` command, run in-process (``main``) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import ROOT, SEED


def _run(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSDESK_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.txt",
        "latin1": tmp_path / "latin1.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    files["latin1"].write_bytes("Café reopens\n\nThe café in Zürich reopened.\n".encode("latin-1"))
    return files


def test_ask_json_prints_one_object_with_the_documented_schema(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert _run("ingest", str(SEED), "--no-progress", store=store).returncode == 0
    result = _run("ask", "Which groups reject the withdrawal?", "--json", store=store)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {
        "answer",
        "refused",
        "citations",
        "retrieved",
        "notice",
        "supported_share",
        "confidence",
    }
    assert payload["notice"] is None and payload["supported_share"] is None
    assert 0.0 < payload["confidence"] <= 1.0
    assert isinstance(payload["answer"], str) and payload["refused"] is False
    citation_types = {
        "n": int,
        "chunk_id": str,
        "article_id": str,
        "title": str,
        "quote": str,
        "start": int,
        "end": int,
    }
    for citation in payload["citations"]:
        for key, kind in citation_types.items():
            assert isinstance(citation[key], kind), key
        assert citation["url"] is None or isinstance(citation["url"], str)
        assert f"[{citation['n']}]" in payload["answer"]
    for passage in payload["retrieved"]:
        assert isinstance(passage["chunk_id"], str) and isinstance(passage["text"], str)
        assert isinstance(passage["article_id"], str) and isinstance(passage["score"], float)


def test_ask_on_an_empty_store_says_how_to_ingest(tmp_path: Path, capsys) -> None:
    code = main(["--store", str(tmp_path / "empty"), "ask", "Who welcomed it?"])
    err = capsys.readouterr().err
    assert code == 1
    assert "newsdesk ingest" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("NEWSDESK_ANSWERER", "extractve", "'extractive', 'llamacpp', 'ollama' or 'openai'"),
        ("NEWSDESK_K", "0", "greater than 0"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable_not_a_traceback(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    code = main(["--store", str(tmp_path / "s"), "ask", "Who welcomed it?"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"({variable})" in err and repr(value) in err and says in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("variable", "value", "code", "says"),
    [
        ("NEWSDESK_K", "0", 1, "error: setting k = '0' (NEWSDESK_K): Input should be greater"),
        ("NEWSDESK_CHROMA_URL", "http://127.0.0.1:9", 1, "error: Cannot reach the Chroma server"),
    ],
)
def test_python_server_py_with_a_bad_setting_or_store_says_so_in_one_line(
    tmp_path: Path, variable: str, value: str, code: int, says: str
) -> None:
    env = {**os.environ, "NEWSDESK_STORE": str(tmp_path / "s"), variable: value}
    done = subprocess.run(
        [sys.executable, str(ROOT / "server.py")],
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith(says) and "Traceback" not in done.stderr


def test_ask_rejects_a_question_of_100_kb(tmp_path: Path, capsys) -> None:
    code = main(["--store", str(tmp_path / "s"), "ask", "why?" * 25_000])
    err = capsys.readouterr().err
    assert code == 1
    assert "100,000 characters" in err and "limit is 2,000" in err


@pytest.mark.parametrize(
    ("kind", "message"),
    [("empty", "empty file"), ("binary", "binary file"), ("missing", "no such file")],
)
def test_bad_input_gets_one_clear_line_and_the_rest_is_ingested(
    tmp_path: Path, bad_files: dict[str, Path], capsys, kind: str, message: str
) -> None:
    bad = bad_files.get(kind, tmp_path / "missing.txt")
    code = main(["--store", str(tmp_path / "s"), "ingest", "--no-progress", str(bad), str(SEED)])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if str(bad) in line]
    assert code == 1
    assert len(lines) == 1 and message in lines[0]
    assert "1 added" in captured.out


def test_latin1_file_is_ingested_with_a_warning_naming_it(
    tmp_path: Path, bad_files: dict[str, Path], capsys
) -> None:
    code = main(
        ["--store", str(tmp_path / "s"), "ingest", "--no-progress", str(bad_files["latin1"])]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert str(bad_files["latin1"]) in captured.err and "not valid UTF-8" in captured.err
    assert "1 added" in captured.out
    code = main(["--store", str(tmp_path / "s"), "ask", "Which café reopened?", "--json"])
    assert "Zürich" in json.loads(capsys.readouterr().out)["answer"]
