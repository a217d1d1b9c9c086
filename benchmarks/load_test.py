"""Load test of the real service (issue #7): 1, 8 and 32 concurrent clients on POST /api/ask.

    python benchmarks/load_test.py                       # 1, 8, 32 clients; at most 1000 requests / 30 s each
    python benchmarks/load_test.py --clients 1 8 32 64 --requests 500 --seconds 20

Loopback only, bounded in count and time, stops by itself.  Reports throughput, p50/p95/p99 latency and
errors per concurrency level; the goal is zero errors and p95 under 200 ms at 32 clients on 2 cores.
The server, the questions and the client loop are those of benchmarks/bench_http.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench_http import (
    closed_loop,
    default_index_dir,
    ensure_index,
    header,
    loadavg,
    request_bodies,
    serve,
    table,
    warm_up,
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index-dir", type=Path, help="built index (default: CLAUSE_QA_INDEX_DIR, var/index)"
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="concurrency levels")
    parser.add_argument("--requests", type=int, default=1000, help="most requests per level")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest level, seconds")
    args = parser.parse_args(argv)
    if any(n < 1 or n > 256 for n in args.clients):
        parser.error("--clients: between 1 and 256")
    index_dir = (args.index_dir or default_index_dir()).absolute()
    ensure_index(index_dir)

    print(header("Load test: POST /api/ask (issue #7)", index_dir))
    with serve(index_dir) as server:
        bodies = request_bodies(server.url)
        warm_up(server.url, bodies)
        runs = [closed_loop(server.url, bodies, n, args.requests, args.seconds) for n in args.clients]
    print(table(runs))
    print(f"\nload average after: {loadavg()}\n")
    errors = sum(run.errors for run in runs)
    print(f"- {'met' if errors == 0 else 'NOT met'}: zero errors ({errors})")
    for run in runs:
        if run.clients == 32:
            print(
                f"- {'met' if run.p(95) < 200 else 'NOT met'}: p95 under 200 ms at 32 clients "
                f"({run.p(95):.0f} ms)"
            )


if __name__ == "__main__":
    main()
