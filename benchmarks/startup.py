"""Start-up and memory as a user of `make serve` sees them: prints numbers; not a test, nothing here asserts.

    python benchmarks/startup.py                # a first start, then --restarts restarts, then direct starts
    python benchmarks/startup.py --reinstall    # drop the install stamp first: the first start runs pip

Each start runs the command in the repository (on a free loopback port, through CLAUSE_QA_PORT; the
index where the settings put it, ./var/index by default), times it until GET /healthz answers 200,
asks --questions questions (the first of evaluation/gold.jsonl, half through /api/ask, half through
/v1/chat/completions), reads the served process's resident memory from /proc (VmRSS now, VmHWM its peak),
and stops it with SIGINT to the process group it started.  The first start may rebuild a missing or
stale index (the output says so).  Starts of `.venv/bin/clause-qa serve` itself show what make adds.
The machine is shared: rerun when the load average printed is high.  Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evaluation" / "gold.jsonl"
STAMP = REPO / ".venv" / ".installed"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Start:
    label: str
    seconds_to_healthy: float
    rss_mb: float  # after the questions
    peak_mb: float  # VmHWM: the most it was resident at any time
    rebuilt_index: bool
    ran_pip: bool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{cpu}; {len(os.sched_getaffinity(0))} cores usable; {mem_kb / 2**20:.0f} GiB RAM; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}"
    )


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def questions(count: int) -> list[str]:
    found = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip() and len(found) < count:
            found.append(json.loads(line)["question"])
    return found


def descendants(root: int) -> list[int]:
    """Every process below ``root``, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def server_pid(root: int) -> int:
    """The process that serves: the one running `clause-qa serve` (make and bash sit above it)."""
    for pid in [root, *descendants(root)]:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(arg.endswith(b"clause-qa") for arg in argv) and b"serve" in argv:
            return pid
    raise RuntimeError(f"no clause-qa serve process under {root}")


def memory_mb(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def stop(process: subprocess.Popen) -> None:
    """SIGINT to the process group this script started (make, bash and the server), SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start(label: str, command: list[str], asked: list[str], timeout: float) -> Start:
    port = free_port()
    env = {**os.environ, "CLAUSE_QA_PORT": str(port), "CLAUSE_QA_ACCESS_LOG_LEVEL": "WARNING"}
    url = f"http://{HOST}:{port}"
    with tempfile.TemporaryFile("w+") as log:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                while True:
                    if process.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(f"{label} exited with {process.returncode}:\n{log.read()[-3000:]}")
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.perf_counter() - began > timeout:
                        raise RuntimeError(f"{label}: not healthy after {timeout} s")
                    time.sleep(0.02)
                healthy = time.perf_counter() - began
                for index, question in enumerate(asked):
                    if index % 2:
                        body = {"messages": [{"role": "user", "content": question}]}
                        client.post("/v1/chat/completions", json=body).raise_for_status()
                    else:
                        client.post("/api/ask", json={"question": question}).raise_for_status()
            rss, peak = memory_mb(server_pid(process.pid))
        finally:
            stop(process)
        log.seek(0)
        output = log.read()
    return Start(label, healthy, rss, peak, "rebuilding the index" in output, "pip install" in output)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--restarts", type=int, default=3, help="restarts through make serve, after the first"
    )
    parser.add_argument("--direct", type=int, default=2, help="starts of .venv/bin/clause-qa serve itself")
    parser.add_argument("--questions", type=int, default=20, help="questions asked before memory is read")
    parser.add_argument(
        "--reinstall", action="store_true", help="drop the install stamp: the first start runs pip"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a start")
    args = parser.parse_args(argv)

    asked = questions(args.questions)
    print(f"date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {machine()}")
    print(f"load average before: {load_average()}\n")
    if args.reinstall:
        STAMP.unlink(missing_ok=True)
    make, direct = (
        ["make", "--no-print-directory", "serve"],
        [str(REPO / ".venv" / "bin" / "clause-qa"), "serve"],
    )
    starts = [start("make serve (first)", make, asked, args.timeout)]
    starts += [
        start(f"make serve (restart {i + 1})", make, asked, args.timeout) for i in range(args.restarts)
    ]
    starts += [start(f"clause-qa serve ({i + 1})", direct, asked, args.timeout) for i in range(args.direct)]

    print(f"{'start':<26}{'to healthy, s':>14}{'RSS, MB':>10}{'peak, MB':>10}  notes")
    for s in starts:
        notes = ", ".join(
            n for n, on in (("ran pip", s.ran_pip), ("rebuilt the index", s.rebuilt_index)) if on
        )
        print(f"{s.label:<26}{s.seconds_to_healthy:>14.2f}{s.rss_mb:>10.0f}{s.peak_mb:>10.0f}  {notes}")
    restarts = [s for s in starts[1 : 1 + args.restarts]]
    directs = starts[1 + args.restarts :]
    if restarts:
        make_median = statistics.median(s.seconds_to_healthy for s in restarts)
        print(
            f"\nmake serve, nothing changed: median {make_median:.2f} s to healthy, "
            f"median RSS {statistics.median(s.rss_mb for s in restarts):.0f} MB "
            f"after {len(asked)} questions"
        )
        if directs:
            direct_median = statistics.median(s.seconds_to_healthy for s in directs)
            print(
                f"clause-qa serve directly: median {direct_median:.2f} s "
                f"(make adds {make_median - direct_median:+.2f} s, ratio {make_median / direct_median:.2f})"
            )
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    sys.exit(main())
