"""Load on the served API: N concurrent clients each asking M questions on ``/api/ask``.

    .venv/bin/python bench/load.py                       # 20 clients x 10 questions
    .venv/bin/python bench/load.py --url http://127.0.0.1:7860 --token T   # a running server

Without ``--url`` it ingests ``data/articles`` into a temporary store and starts
``python server.py`` on a free loopback port (a separate process, so the clients do not share its
interpreter). Prints p50/p95/max latency, throughput and errors; ``--report`` writes them as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Which groups reject the withdrawal?",
    "Who welcomed the withdrawal?",
    "What did Kataib Hezbollah call the US decision?",
    "Where are the US troops going?",
    "When will the troops leave Iraq?",
    "Which militias are backed by Iran?",
    "What did the Iraqi government say about the withdrawal?",
    "How many US troops are in Iraq?",
    "Who is the prime minister of Iraq?",
    "What is the price of bread in Paris?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server() -> Iterator[str]:
    """``python server.py`` on a fresh store holding ``data/articles``; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-load-") as directory:
        port = free_port()
        env = {**os.environ, "NEWSDESK_STORE": directory, "NEWSDESK_PORT": str(port)}
        env.pop("NEWSDESK_API_TOKEN", None)
        env.pop("NEWSDESK_CHROMA_URL", None)
        cli = [sys.executable, "-m", "assistant.cli", "ingest", "data/articles", "--no-progress"]
        subprocess.run(cli, env=env, cwd=ROOT, check=True, capture_output=True)
        process = subprocess.Popen(
            [sys.executable, "server.py"], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_up(url: str, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer /healthz within {seconds:.0f} s")


async def client(
    http: httpx.AsyncClient, number: int, questions: int, latencies: list[float], errors: list[str]
) -> None:
    for i in range(questions):
        question = QUESTIONS[(number + i) % len(QUESTIONS)]
        began = time.perf_counter()
        try:
            response = await http.post("/api/ask", json={"question": question})
            response.raise_for_status()
            if not isinstance(response.json().get("answer"), str):
                raise ValueError("the response holds no answer")
        except (httpx.HTTPError, ValueError) as error:
            errors.append(f"{type(error).__name__}: {error}")
            continue
        latencies.append(time.perf_counter() - began)


async def run_load(url: str, *, clients: int, questions: int, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120, limits=limits) as http:
        await http.post("/api/ask", json={"question": QUESTIONS[0]})  # warm-up, not counted
        began = time.perf_counter()
        await asyncio.gather(
            *(client(http, n, questions, latencies, errors) for n in range(clients))
        )
        wall = time.perf_counter() - began
    return summarise(latencies, errors, wall=wall, clients=clients, questions=questions)


def summarise(
    latencies: list[float], errors: list[str], *, wall: float, clients: int, questions: int
) -> dict:
    ordered = sorted(latencies) or [float("nan")]
    return {
        "clients": clients,
        "questions_per_client": questions,
        "requests": clients * questions,
        "ok": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 3),
        "max_s": round(ordered[-1], 3),
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 2),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one on a temp store)")
    parser.add_argument("--token", default=os.environ.get("NEWSDESK_API_TOKEN"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--report", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    if args.url:
        figures = asyncio.run(
            run_load(args.url, clients=args.clients, questions=args.questions, token=args.token)
        )
    else:
        with local_server() as url:
            figures = asyncio.run(
                run_load(url, clients=args.clients, questions=args.questions, token=None)
            )
    print(
        f"{figures['requests']} requests ({figures['clients']} clients x "
        f"{figures['questions_per_client']}): {figures['errors']} errors, "
        f"p50 {figures['p50_s']:.3f} s, p95 {figures['p95_s']:.3f} s, "
        f"max {figures['max_s']:.3f} s, "
        f"{figures['throughput_rps']:.1f} requests/s on {figures['cpus']} CPUs"
    )
    if args.report:
        args.report.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
