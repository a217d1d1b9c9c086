"""Passage vectors kept across rebuilds, so that adding one document embeds that document only.

A rebuild (an upload, a removal) builds a new index generation and a new QA service from the whole
corpus: every clause's indexed text and every sentence is embedded again, and embedding is nearly all
of a rebuild's cost.  ``ReusingEmbedder`` sits in front of the service's embedder and remembers the
passage vector of each text it has seen; the first time it is put in front of a running service it
learns that service's vectors (the index generation's stored vectors and the sentence vectors), so
the texts that did not change are not embedded at all.  Queries pass straight through.

The vectors are the same embedder's for the same text (the index's check that the embedder still
reproduces a stored vector guards a process against a model changed on disk, which cannot happen
inside one running process).  After each build only the texts that build used are kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from index import Embedder
from index.build import indexed_text

BATCH = 64  # texts per call of the inner embedder, so a long build can report its progress
Progress = Callable[[int, int], None]  # (texts embedded so far, texts to embed)


class ReusingEmbedder:
    """``inner`` with its passage vectors remembered by text; same name and dim, so indexes do not change."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._known: dict[str, np.ndarray] = {}
        self._used: set[str] = set()
        self._lock = threading.Lock()
        self._progress: Progress | None = None

    @classmethod
    def around(cls, service) -> ReusingEmbedder:
        """The service's embedder, as a ReusingEmbedder that knows the service's vectors (made once)."""
        embedder = service.retriever.embedder
        if isinstance(embedder, cls):
            return embedder
        reusing = cls(embedder)
        if service.retriever.backend.kind == "faiss":  # in memory; Milvus would cost a round trip per clause
            reusing.learn((indexed_text(c), v) for c, v in service.retriever.stored_vectors())
        sentences = service.sentences
        for clause_id, spans in sentences.spans.items():
            first, _ = sentences.rows[clause_id]
            text = service.corpus.clause(clause_id).text
            reusing.learn((text[s:e], sentences.matrix[first + n]) for n, (s, e) in enumerate(spans))
        return reusing

    def learn(self, pairs: Iterator[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            for text, vector in pairs:
                self._known[text] = np.asarray(vector, dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            vectors = self.inner.embed_passages(batch)
            with self._lock:
                self._known.update(zip(batch, np.asarray(vectors, dtype=np.float32), strict=True))
            if self._progress is not None:
                self._progress(start + len(batch), len(missing))
        with self._lock:
            self._used.update(texts)
            if not texts:
                return np.empty((0, self.dim), dtype=np.float32)
            return np.vstack([self._known[t] for t in texts])

    @contextmanager
    def reporting(self, progress: Progress) -> Iterator[None]:
        """Tell ``progress`` how far the embedding of new texts is, while the block runs."""
        self._progress = progress
        try:
            yield
        finally:
            self._progress = None

    def keep_used(self) -> None:
        """Forget the vectors of texts no build used since the last call (removed documents)."""
        with self._lock:
            self._known = {t: v for t, v in self._known.items() if t in self._used}
            self._used = set()

    def __len__(self) -> int:
        return len(self._known)
