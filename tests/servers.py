"""Real servers for tests on free loopback ports: the web app (``python server.py``, or an app
object under uvicorn in a thread), ``chroma run`` and ``llama_cpp.server``.

with app_server(store, NEWSDESK_ANSWERER="extractive") as url:
    Client(url).predict("Who welcomed it?", api_name="/ask")
with Served(create_server(assistant)) as served, chroma_server(tmp_path) as chroma_url:
    httpx.get(f"{served.url}/healthz")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import uvicorn

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


class Served:
    """A uvicorn server running ``app`` in a thread; ``url`` is its base address."""

    def __init__(self, app: object) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("uvicorn did not start within 60 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@contextmanager
def chroma_server(data: Path) -> Iterator[str]:
    """``chroma run`` storing in ``data`` on a free loopback port; yields its URL."""
    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    chroma = Path(sys.executable).with_name("chroma")
    command = [chroma, "run", "--path", data / "db", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with (
        (data / "server.log").open("wb") as log,
        running(
            command,
            probe=f"{url}/api/v2/heartbeat",
            what=f"chroma run (log: {data}/server.log)",
            timeout=60,
            log=log,
        ),
    ):
        yield url


@contextmanager
def llama_cpp_server() -> Iterator[str]:
    """``llama_cpp.server`` on the bundled SmolLM2 GGUF and a free port; yields its ``/v1`` URL."""
    from assistant.factory import bundled_gguf_path

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        bundled_gguf_path(),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
    ]
    probe = f"http://127.0.0.1:{port}/v1/models"
    with running(command, probe=probe, what="llama_cpp.server", timeout=180):
        yield f"http://127.0.0.1:{port}/v1"
