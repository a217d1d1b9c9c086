"""End-to-end HTTP benchmark of POST /api/ask: prints tables; not a test, nothing here asserts.

    python benchmarks/bench_http.py                  # start-up x3, then 1 and 8 concurrent clients
    python benchmarks/bench_http.py --index-dir DIR  # a built index (default: CLAUSE_QA_INDEX_DIR, var/index)

The real service runs as a subprocess (uvicorn, one worker, access log on as in production) on a free
loopback port; clients are closed-loop: each sends its next request when the previous answer arrives,
over its own keep-alive connection.  Questions are the dev split of evaluation/gold.jsonl, follow-ups
with their conversation replayed first (as the evaluation does).  Every run is bounded in count and time,
and the clients share the 2 cores with the server: run it on a quiet machine (the load average before
and after is printed) and rerun if it was busy.

Targets (issue #4): 1 client p50 <= 30 ms, p95 <= 60 ms; 8 clients >= 50 requests/s, no errors;
start-up to healthy <= 3 s with a built index.  benchmarks/load_test.py reuses this module for 1/8/32.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from machine import loadavg

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evaluation" / "gold.jsonl"
HOST = "127.0.0.1"  # loopback only: nothing here ever talks to another address
STARTUP_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0



def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def default_index_dir() -> Path:
    from qa.settings import Settings

    return Settings().index_dir


def ensure_index(index_dir: Path) -> None:
    """Build the index if it is missing or stale, in a subprocess, before anything is timed."""
    code = (
        "import sys; from pathlib import Path; from qa.factory import build_service; "
        "from qa.settings import Settings;"
        "build_service(Settings(index_dir=Path(sys.argv[1]), rebuild_stale_index=True))"
    )
    subprocess.run([sys.executable, "-c", code, str(index_dir)], check=True, cwd=REPO, timeout=900)


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    seconds_to_healthy: float


@contextmanager
def serve(index_dir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """uvicorn serving the app on a free loopback port; yields once /healthz answers 200."""
    port = _free_port()
    environment = {
        **os.environ,
        "CLAUSE_QA_INDEX_DIR": str(index_dir),
        "CLAUSE_QA_REBUILD_STALE_INDEX": "false",  # a benchmark never rebuilds: it measures a built index
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://{HOST}:{port}"
        try:
            with httpx.Client(timeout=1.0) as probe:
                while True:
                    if process.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(
                            f"the server exited with {process.returncode}:\n{log.read()[-3000:]}"
                        )
                    try:
                        if probe.get(f"{url}/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.perf_counter() - started > STARTUP_TIMEOUT_S:
                        raise RuntimeError(f"not healthy after {STARTUP_TIMEOUT_S:.0f} s")
                    time.sleep(0.02)
            yield Server(url, process, time.perf_counter() - started)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def dev_questions() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row.get("split") == "dev"]


def request_bodies(url: str) -> list[dict[str, Any]]:
    """One /api/ask body per dev question; a follow-up carries its replayed conversation."""
    bodies: list[dict[str, Any]] = []
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        for row in dev_questions():
            history: list[dict[str, str]] = []
            for earlier in row.get("history", []):
                answer = client.post("/api/ask", json={"question": earlier, "history": history}).json()[
                    "answer"
                ]
                history += [{"role": "user", "content": earlier}, {"role": "assistant", "content": answer}]
            bodies.append({"question": row["question"], "history": history})
    return bodies


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


@dataclass
class Run:
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(sorted(self.latencies_ms), q)


async def _closed_loop(
    url: str, bodies: Sequence[dict[str, Any]], clients: int, max_requests: int, max_seconds: float
) -> Run:
    issued = 0
    errors = 0
    latencies: list[float] = []
    deadline = time.perf_counter() + max_seconds

    async def client_loop(offset: int) -> None:
        nonlocal issued, errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
            while issued < max_requests and time.perf_counter() < deadline:
                body = bodies[(offset + issued) % len(bodies)]
                issued += 1
                sent = time.perf_counter()
                try:
                    response = await client.post("/api/ask", json=body)
                    ok = response.status_code == 200 and isinstance(response.json().get("citations"), list)
                except (httpx.HTTPError, ValueError):
                    ok = False
                latencies.append((time.perf_counter() - sent) * 1000)
                errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(n * 17) for n in range(clients)))
    return Run(clients, len(latencies), errors, time.perf_counter() - started, latencies)


def closed_loop(
    url: str, bodies: Sequence[dict[str, Any]], clients: int, max_requests: int, max_seconds: float
) -> Run:
    """``clients`` concurrent clients until ``max_requests`` are sent or ``max_seconds`` have passed."""
    return asyncio.run(_closed_loop(url, bodies, clients, max_requests, max_seconds))


def table(runs: Sequence[Run]) -> str:
    lines = [
        "| clients | requests | errors | throughput (req/s) | p50 ms | p95 ms | p99 ms | max ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run.clients} | {run.requests} | {run.errors} | {run.throughput:.1f} | {run.p(50):.1f} | "
            f"{run.p(95):.1f} | {run.p(99):.1f} | {max(run.latencies_ms, default=math.nan):.1f} |"
        )
    return "\n".join(lines)


def header(title: str, index_dir: Path) -> str:
    return (
        f"## {title}\n\n{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {os.cpu_count()} cores, load average "
        f"{loadavg()} (1/5/15 min) before; index {index_dir}; uvicorn, 1 worker, access log at INFO\n"
    )


def warm_up(url: str, bodies: Sequence[dict[str, Any]], count: int = 30) -> None:
    closed_loop(url, bodies, clients=1, max_requests=count, max_seconds=60)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index-dir", type=Path, help="built index (default: CLAUSE_QA_INDEX_DIR, var/index)"
    )
    parser.add_argument("--startups", type=int, default=3, help="start-up measurements")
    parser.add_argument("--requests", type=int, default=400, help="most requests per run")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest run, seconds")
    args = parser.parse_args(argv)
    index_dir = (args.index_dir or default_index_dir()).absolute()
    ensure_index(index_dir)

    print(header("HTTP benchmark: POST /api/ask (issue #4)", index_dir))
    startups = []
    for _ in range(max(1, args.startups)):
        with serve(index_dir) as server:
            startups.append(server.seconds_to_healthy)
    print("start-up to healthy, s: " + ", ".join(f"{s:.2f}" for s in startups) + " (target <= 3 s)\n")

    with serve(index_dir) as server:
        bodies = request_bodies(server.url)
        warm_up(server.url, bodies)
        single = closed_loop(server.url, bodies, 1, args.requests, args.seconds)
        eight = closed_loop(server.url, bodies, 8, args.requests * 2, args.seconds)
    print(
        f"{len(bodies)} dev questions ({sum(1 for b in bodies if b['history'])} follow-ups with history), "
        "cycled\n"
    )
    print(table([single, eight]))
    print(f"\nload average after: {loadavg()}\n")
    verdicts = [
        ("start-up to healthy <= 3 s (slowest)", max(startups) <= 3.0),
        ("1 client p50 <= 30 ms", single.p(50) <= 30),
        ("1 client p95 <= 60 ms", single.p(95) <= 60),
        ("8 clients >= 50 req/s", eight.throughput >= 50),
        ("8 clients no errors", eight.errors == 0 and single.errors == 0),
    ]
    for name, met in verdicts:
        print(f"- {'met' if met else 'NOT met'}: {name}")


if __name__ == "__main__":
    main()
