"""Real servers for tests: a free loopback port, a process started and awaited, the web app.

with app_server(store, NEWSDESK_ANSWERER="extractive") as url:
    Client(url).predict("Who welcomed it?", api_name="/ask")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(
    url: str, *, process: subprocess.Popen[Any], what: str, timeout: float = 120.0
) -> None:
    """Return once ``url`` answers 200; fail the test if ``process`` dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not start within {timeout:.0f} s")


@contextmanager
def running(
    command: Sequence[str | Path],
    *,
    probe: str,
    what: str,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends, once ``probe`` answers 200."""
    output = log if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(part) for part in command], env=env, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        wait_for_http(probe, process=process, what=what, timeout=timeout)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def app_server(store: Path, **settings: str) -> Iterator[str]:
    """``python server.py`` on ``store`` and a free port, with extra ``NEWSDESK_*`` settings."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_API_TOKEN"}
    env.update(NEWSDESK_STORE=str(store), NEWSDESK_PORT=str(port), **settings)
    url = f"http://127.0.0.1:{port}/"
    with running([sys.executable, ROOT / "server.py"], probe=url, what="the web app", env=env):
        yield url
