"""Graceful shutdown: on SIGTERM the real server (uvicorn in a subprocess, loopback only) stops taking new
connections and finishes the requests in flight, a streamed answer included, then exits cleanly.

The subprocess wraps the app in a test-only ASGI layer that holds chosen requests (``x-test-delay``) or
slows a stream (``x-test-drip``) and prints a line when a request arrives, so the test knows they are in
flight when it sends the signal.
"""

from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

SERVER = """
import asyncio, sys
import uvicorn
from api.app import create_app
from qa.settings import Settings

app = create_app(Settings(index_dir=sys.argv[1], rebuild_stale_index=False))

async def held(scope, receive, send):
    headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
    name = headers.get(b"x-test-name", b"").decode()
    if name:
        print("arrived", name, flush=True)
    await asyncio.sleep(float(headers.get(b"x-test-delay", b"0")))
    drip = float(headers.get(b"x-test-drip", b"0"))

    async def dripping(message):
        if drip and message["type"] == "http.response.body" and message.get("more_body"):
            await asyncio.sleep(drip)
        await send(message)

    await app(scope, receive, dripping)

uvicorn.run(held, host="127.0.0.1", port=int(sys.argv[2]), log_level="info", access_log=False)
"""
HOLD = 3.0  # seconds the held requests stay in flight after they arrive


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(service, service_settings) -> Iterator[tuple[subprocess.Popen, str, queue.Queue]]:
    """uvicorn on a free loopback port, serving the session's built index; yields (process, url, arrivals)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(Path(service_settings.index_dir)), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    arrivals: queue.Queue[str] = queue.Queue()
    watcher = threading.Thread(
        target=lambda: [
            arrivals.put(line.split()[1]) for line in process.stdout if line.startswith("arrived")
        ],
        daemon=True,
    )
    watcher.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not become healthy in 90 s"
            time.sleep(0.1)
        yield process, url, arrivals
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        watcher.join(timeout=10)  # it ends at the end of the output, before the pipe is closed
        process.stdout.close()
        process.stderr.close()


def test_sigterm_lets_in_flight_requests_finish(server) -> None:
    process, url, arrivals = server
    results: dict[str, object] = {}

    def ask(name: str) -> None:
        try:
            response = httpx.post(
                f"{url}/api/ask",
                json={"question": "中欧班列由哪些部门负责？"},
                timeout=60,
                headers={"x-test-name": name, "x-test-delay": str(HOLD)},
            )
            results[name] = (response.status_code, response.json()["citations"][0]["clause_id"])
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            results[name] = exc

    def stream(name: str) -> None:
        chat = {"messages": [{"role": "user", "content": "机场有什么建设安排？"}], "stream": True}
        try:
            with httpx.stream(
                "POST",
                f"{url}/v1/chat/completions",
                json=chat,
                timeout=60,
                headers={"x-test-name": name, "x-test-drip": "0.1"},
            ) as response:
                events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
            text = "".join(json.loads(e)["choices"][0]["delta"].get("content", "") for e in events[:-1])
            results[name] = (response.status_code, events[-1], "〔2023分工方案第17条〕" in text, len(events))
        except Exception as exc:  # noqa: BLE001
            results[name] = exc

    clients = [threading.Thread(target=ask, args=(f"ask{i}",)) for i in range(3)]
    clients.append(threading.Thread(target=stream, args=("stream",)))
    for client in clients:
        client.start()
    arrived = {arrivals.get(timeout=30) for _ in clients}
    assert arrived == {"ask0", "ask1", "ask2", "stream"}
    process.send_signal(signal.SIGTERM)

    # New connections are refused while the held requests are still being answered.
    refused = False
    deadline = time.monotonic() + HOLD - 0.5
    while not refused and time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/healthz", timeout=0.5)
            time.sleep(0.05)
        except httpx.TransportError:
            refused = True
    for client in clients:
        client.join(timeout=60)

    assert refused, "the server still took new connections after SIGTERM"
    for name in ("ask0", "ask1", "ask2"):
        assert isinstance(results[name], tuple), results[name]
        status, cited = results[name]
        assert status == 200 and cited in {"2023分工方案-18", "2023工作要点-14"}
    assert isinstance(results["stream"], tuple), results["stream"]
    status, last, cites_the_airport_clause, events = results["stream"]
    assert (status, last, cites_the_airport_clause) == (200, "[DONE]", True)
    assert events > 5  # a stream of many chunks, dripped across the shutdown
    # uvicorn re-raises the signal it caught once the graceful shutdown is over, so the exit status says
    # SIGTERM; the log says the shutdown ran to its end (lifespan shutdown included).
    assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    log = process.stderr.read()
    assert (
        "Shutting down" in log and "Application shutdown complete" in log and "Finished server process" in log
    )
