"""FAISS inner-product search over unit vectors (so scores are cosines).

Exact ``IndexFlatIP`` below ``HNSW_MIN_VECTORS``, HNSW above.  The threshold is
the measured crossover (benchmarks/bench_index.py, 384-d, 2 cores, one query,
p50, 2026-11-27): flat 0.12 ms at 5k vectors (HNSW 0.22 ms), 0.72 ms at 10k
(HNSW 0.40 ms), 7.8 ms at 50k (HNSW 1.45 ms), 620 ms at 1M on a busy machine (HNSW 2.1 ms).
Recall@10 of HNSW against exact search on *random* unit vectors, the worst
case for a graph index (no cluster structure), is 0.85 at 10k and falls to
0.05 at 1M: raise ``HNSW_EF_SEARCH`` (or the threshold) before trusting it on a
big corpus; real embeddings are far kinder, but measure them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

HNSW_MIN_VECTORS = 10_000
HNSW_M = 32  # links per node: recall vs memory (M * 8 bytes per vector)
HNSW_EF_CONSTRUCTION = 100
HNSW_EF_SEARCH = 128  # candidates kept while searching: recall vs latency


@dataclass(frozen=True)
class DenseIndex:
    index: faiss.Index

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_min_vectors: int = HNSW_MIN_VECTORS) -> DenseIndex:
        """Index the rows of ``vectors`` (unit length, float32); row i is document i."""
        count, dim = vectors.shape
        index: faiss.Index
        if count >= hnsw_min_vectors:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

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
        """Read an index file; a damaged file raises RuntimeError (faiss's own message)."""
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index)
