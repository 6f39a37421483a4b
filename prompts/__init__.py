"""Prompt templates shipped as package data, loaded by name.

system = load_prompt("answer_system")           # prompts/answer_system.txt
text = load_prompt("answer_user").format(question=q, sources=s)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["load_prompt", "prompt_names"]


def prompt_names() -> list[str]:
    """Names of the templates that ship with newsdesk, sorted."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".txt") for f in files if f.name.endswith(".txt"))


@lru_cache(maxsize=32)
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.txt``; ``KeyError`` names the templates that exist."""
    resource = resources.files(__name__).joinpath(f"{name}.txt")
    if not resource.is_file():
        raise KeyError(
            f"No prompt template named {name!r}. Known templates: {', '.join(prompt_names())}."
        )
    return resource.read_text(encoding="utf-8").strip() + "\n"
