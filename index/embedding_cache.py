"""A bounded cache of question embeddings in front of an embedder.

Questions repeat: the chat box's "ask again", the page's example questions, many staff asking the same
thing.  Embedding is nearly all of a question's cost, so a repeated question is served from memory.
The cache holds query vectors only (passages are embedded once, at build), keyed by the exact text,
evicting the least recently used beyond ``capacity`` entries (384 float32 each: 4096 entries are 6 MB).
Vectors are returned as copies, so a caller cannot alter a cached one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # index.embedders builds this wrapper: a runtime import would be circular
    from index.embedders import Embedder

DEFAULT_CAPACITY = 4096


@dataclass(frozen=True)
class CacheStats:
    capacity: int
    size: int
    hits: int
    misses: int


class CachedEmbedder:
    """``embedder`` with its query embeddings cached; same name and dim, so indexes do not change."""

    def __init__(self, embedder: Embedder, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"cache capacity must be at least 1, got {capacity}")
        self.inner, self.capacity = embedder, capacity
        self.name, self.dim = embedder.name, embedder.dim
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
            missing = list(dict.fromkeys(t for t in texts if t not in found))
            self._hits += len(texts) - len(missing)
            self._misses += len(missing)
        if missing:
            # Embedded outside the lock: other threads' hits do not wait for this question's embedding.
            fresh = self.inner.embed_queries(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    found[text] = self._vectors[text] = vector
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts])  # a new array: the cached rows stay untouched

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self.capacity, len(self._vectors), self._hits, self._misses)
