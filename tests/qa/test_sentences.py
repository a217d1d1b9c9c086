"""Sentence vectors: embedded once, cached under a content hash, rebuilt when a sentence changes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.sentences import sentence_vectors


class CountingEmbedder:
    name, dim = "fake:3", 3

    def __init__(self) -> None:
        self.calls = 0

    def embed_passages(self, texts):
        self.calls += len(texts)
        rows = np.array([[len(t), t.count("。"), 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_vectors_are_cached_and_keyed_by_content(tmp_path: Path, seed_corpus) -> None:
    clauses = seed_corpus.clauses[:3]
    embedder = CountingEmbedder()
    first = sentence_vectors(clauses, embedder, tmp_path)
    sentences = sum(len(first.spans[c.clause_id]) for c in clauses)
    assert embedder.calls == sentences and first.matrix.shape == (sentences, 3)
    again = sentence_vectors(clauses, embedder, tmp_path)
    assert embedder.calls == sentences and again.build_seconds == 0.0  # read from the cache
    assert np.array_equal(again.matrix, first.matrix)
    changed = [replace(clauses[0], text=clauses[0].text + "新增一句。", body_end=-1), *clauses[1:]]
    sentence_vectors(changed, embedder, tmp_path)
    assert embedder.calls > sentences  # a changed sentence is a new cache file
    assert len(list(tmp_path.glob("sentences-*.npy"))) == 2


def test_best_sentence_and_spans_lie_in_the_text(tmp_path: Path, seed_corpus) -> None:
    clause = seed_corpus.clauses[0]
    vectors = sentence_vectors([clause], CountingEmbedder(), None)
    score, span = vectors.best(clause.clause_id, vectors.matrix[-1])
    assert span == vectors.spans[clause.clause_id][-1] and score > 0.99
    for start, end in vectors.spans[clause.clause_id]:
        assert 0 <= start < end <= len(clause.body)
    assert vectors.best("unknown", vectors.matrix[0]) == (0.0, None)
