"""The tree is the design: imports flow one way, no cycles, no module grows past a screenful.

Rooms of ``assistant`` by rank (a module imports only from its own room or a lower rank):

    0  text/ errors models settings     words and plain data
    1  retrieval/                       the store, embeddings, BM25, the fused retriever
    2  answering/                       questions, answerers, citation check, condensing
    3  factory                          the one place that names concrete integrations
    4  chain                            the front door (``Assistant``)
    5  serving/ evaluation/ (package)   around the chain
    6  cli                              a composition root

Outside it: ``app`` (the page) -> ``assistant``; ``ingest`` -> ``assistant``; ``server`` (the
other composition root) -> ``app``, ``assistant``, ``ingest``; ``prompts`` imports none of ours.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

OURS = ("assistant", "ingest", "prompts", "app", "server")
RANKS = {
    "assistant.text": 0,
    "assistant.errors": 0,
    "assistant.models": 0,
    "assistant.settings": 0,
    "assistant.retrieval": 1,
    "assistant.answering": 2,
    "assistant.factory": 3,
    "assistant.chain": 4,
    "assistant.serving": 5,
    "assistant.evaluation": 5,
    "assistant": 5,
    "assistant.cli": 6,
}
# What may reach outside its own layer, lazily: the composition roots.
COMPOSITION_ROOTS = {"assistant.cli": {"ingest", "prompts", "server"}}
BELOW_ASSISTANT = {"prompts"}
MAX_LINES = 260
LONG_REASON = "Long because:"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    files = [ROOT / "app.py", ROOT / "server.py"]
    for package in ("assistant", "ingest", "prompts"):
        files += sorted((ROOT / package).rglob("*.py"))
    return {module_name(path): path for path in files}


def imports_of(name: str, path: Path) -> Iterator[str]:
    """Every module of ours that ``name`` imports, at module level or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in OURS:
                yield target


def graph() -> dict[str, set[str]]:
    modules = our_modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {t for t in imports_of(name, path) if t in modules and t != name}
    return edges


def rank(name: str) -> tuple[int, str]:
    room = max((r for r in RANKS if name == r or name.startswith(r + ".")), key=len)
    return RANKS[room], room


def test_the_import_graph_has_no_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycle = trail[trail.index(target) :] if target in trail else [node]
                pytest.fail(f"import cycle: {' -> '.join([*cycle, target])}")
            if target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])


def test_assistant_modules_import_only_their_room_or_lower() -> None:
    upward = []
    for name, targets in graph().items():
        if not name.startswith("assistant"):
            continue
        own_rank, own_room = rank(name)
        for target in targets:
            if not target.startswith("assistant"):
                allowed = BELOW_ASSISTANT | COMPOSITION_ROOTS.get(name, set())
                if target.split(".")[0] not in allowed:
                    upward.append(f"{name} imports {target} (outside assistant)")
                continue
            target_rank, target_room = rank(target)
            if target_rank > own_rank or (target_rank == own_rank and target_room != own_room):
                upward.append(f"{name} (rank {own_rank}) imports {target} (rank {target_rank})")
    assert not upward, "\n".join(sorted(upward))


@pytest.mark.parametrize(
    ("prefix", "forbidden"),
    [
        ("ingest", {"app", "server"}),
        ("prompts", {"assistant", "ingest", "app", "server"}),
        ("app", {"server"}),
    ],
)
def test_outer_modules_import_one_way(prefix: str, forbidden: set[str]) -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name == prefix or name.startswith(prefix + ".")
        for target in targets
        if target.split(".")[0] in forbidden
    ]
    assert not wrong, "\n".join(wrong)


def test_assistant_never_imports_the_web_framework_of_the_page() -> None:
    offenders = []
    for name, path in our_modules().items():
        if not name.startswith("assistant"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if any((n or "").split(".")[0] == "gradio" for n in [*names, module]):
                    offenders.append(name)
    assert not offenders


def test_no_module_is_long_without_a_written_reason() -> None:
    long = []
    for name, path in our_modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if lines > MAX_LINES and LONG_REASON not in docstring:
            long.append(f"{name}: {lines} lines")
    assert not long, f"over {MAX_LINES} lines without '{LONG_REASON}' in the docstring: {long}"


def test_the_checker_sees_relative_imports() -> None:
    """Guard the guard: the graph resolves ``from ..x import y`` and finds known edges."""
    edges = graph()
    assert "assistant.retrieval.embeddings" in edges["assistant.answering.extractive"]
    assert "assistant.models" in edges["assistant.retrieval.store"]
    assert "assistant.chain" in edges["assistant.serving.api"]
