"""Sentence vectors: every sentence of every clause embedded once, so evidence is judged per sentence.

A clause's vector averages its sentences; the question is usually about one of them.  The vectors are
the QA layer's own artefact, built in its warm-up from the same embedder as the index and cached in
``CLAUSE_QA_QA_CACHE_DIR`` under a name that hashes the embedder and every sentence, so a changed
corpus or model simply builds a new file and a cached one is never stale.  The index is not touched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.models import Clause
from qa.evidence import sentences
from qa.models import Span

log = logging.getLogger(__name__)
_BATCH = 64


@dataclass(frozen=True)
class SentenceVectors:
    spans: dict[str, tuple[Span, ...]]  # clause id → its sentences, [start, end) of Clause.text
    rows: dict[str, tuple[int, int]]  # clause id → its [first, last) rows of ``matrix``
    matrix: np.ndarray  # unit rows, one per sentence
    build_seconds: float  # 0 when read from the cache

    def scores(self, clause_id: str, query: np.ndarray) -> np.ndarray:
        """Cosine of each sentence of the clause with the query vector."""
        first, last = self.rows.get(clause_id, (0, 0))
        return self.matrix[first:last] @ query

    def best(self, clause_id: str, query: np.ndarray) -> tuple[float, Span | None]:
        scores = self.scores(clause_id, query)
        if not len(scores):
            return 0.0, None
        index = int(np.argmax(scores))
        return float(scores[index]), self.spans[clause_id][index]


def _spans(clause: Clause) -> tuple[Span, ...]:
    return tuple(sentences(clause)) or ((0, len(clause.text)),)


def _digest(embedder_name: str, clauses: Sequence[Clause], spans: dict[str, tuple[Span, ...]]) -> str:
    digest = hashlib.sha256(embedder_name.encode())
    for clause in clauses:
        for start, end in spans[clause.clause_id]:
            digest.update(f"\0{clause.clause_id}\0{clause.text[start:end]}".encode())
    return digest.hexdigest()[:20]


def sentence_vectors(clauses: Sequence[Clause], embedder, cache_dir: Path | None) -> SentenceVectors:
    """Read the cached vectors for these clauses and embedder, or embed the sentences and cache them."""
    spans = {c.clause_id: _spans(c) for c in clauses}
    rows: dict[str, tuple[int, int]] = {}
    texts: list[str] = []
    for clause in clauses:
        rows[clause.clause_id] = (len(texts), len(texts) + len(spans[clause.clause_id]))
        texts.extend(clause.text[s:e] for s, e in spans[clause.clause_id])
    path = cache_dir / f"sentences-{_digest(embedder.name, clauses, spans)}.npy" if cache_dir else None
    if path is not None and path.exists():
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape == (len(texts), embedder.dim):
                return SentenceVectors(spans, rows, matrix, 0.0)
        except (OSError, ValueError) as exc:
            log.warning("sentence vectors at %s are unreadable, embedding again: %s", path, exc)
    started = time.perf_counter()
    parts = [embedder.embed_passages(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]
    matrix = np.vstack(parts) if parts else np.empty((0, embedder.dim), dtype=np.float32)
    seconds = round(time.perf_counter() - started, 2)
    log.info("embedded %d sentences of %d clauses in %.1f s", len(texts), len(clauses), seconds)
    if path is not None:
        _save(path, matrix)
    return SentenceVectors(spans, rows, matrix, seconds)


def _save(path: Path, matrix: np.ndarray) -> None:
    """Write atomically; a read-only cache folder only costs the next start the embedding again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npy", delete=False) as handle:
            np.save(handle, matrix, allow_pickle=False)
        os.replace(handle.name, path)
    except OSError as exc:
        log.warning("cannot cache sentence vectors at %s: %s", path, exc)
