"""FAISS inner-product search over unit vectors (so scores are cosines).

Exact ``IndexFlatIP`` below ``HNSW_MIN_VECTORS``, HNSW above.  The threshold is
the measured crossover (benchmarks/bench_index.py, 384-d, 2 cores, one query):
flat search costs 0.11 ms at 5k vectors and 0.7 ms at 10k, where HNSW
(M=32, efSearch=128) answers in 0.4 ms; from there on exact search grows
linearly (7 ms at 50k, ~150 ms at 1M) while HNSW stays near a millisecond.
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

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest (document, cosine) pairs for one query vector, best first."""
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, self.size))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

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
