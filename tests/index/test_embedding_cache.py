"""The bounded cache of question embeddings (index/embedding_cache.py)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from index.embedding_cache import CachedEmbedder


class CountingEmbedder:
    """Returns a vector made from the text's length and counts every text it is asked to embed."""

    name, dim = "test:counting", 4

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.passages: list[str] = []

    def _rows(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float32).reshape(len(texts), 4)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += texts
        return self._rows(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += texts
        return self._rows(texts)

    def count_tokens(self, text: str) -> int:
        return len(text)


def test_a_repeated_question_is_embedded_once() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, capacity=10)
    first = cached.embed_queries(["谁牵头？"])
    again = cached.embed_queries(["谁牵头？"])
    assert np.array_equal(first, again) and inner.queries == ["谁牵头？"]
    stats = cached.stats()
    assert (stats.hits, stats.misses, stats.size) == (1, 1, 1)


def test_a_batch_embeds_only_its_new_distinct_questions_and_keeps_its_order() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, capacity=10)
    cached.embed_queries(["甲"])
    vectors = cached.embed_queries(["乙乙", "甲", "乙乙", "丙丙丙"])
    assert inner.queries == ["甲", "乙乙", "丙丙丙"]
    assert vectors[:, 0].tolist() == [2, 1, 2, 3]


def test_the_least_recently_used_question_is_evicted_beyond_capacity() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, capacity=2)
    cached.embed_queries(["一"])
    cached.embed_queries(["二"])
    cached.embed_queries(["一"])  # 一 is now the most recent
    cached.embed_queries(["三"])  # evicts 二
    assert cached.stats().size == 2
    cached.embed_queries(["一"])
    cached.embed_queries(["二"])
    assert inner.queries == ["一", "二", "三", "二"]


def test_a_caller_cannot_alter_a_cached_vector() -> None:
    cached = CachedEmbedder(CountingEmbedder(), capacity=4)
    vectors = cached.embed_queries(["问题"])
    vectors[0, 0] = 99.0
    assert cached.embed_queries(["问题"])[0, 0] == 2.0


def test_passages_and_token_counts_pass_through_uncached() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, capacity=4)
    cached.embed_passages(["条款"])
    cached.embed_passages(["条款"])
    assert inner.passages == ["条款", "条款"] and cached.count_tokens("四个字符") == 4
    assert (cached.name, cached.dim) == (inner.name, inner.dim)
    assert cached.embed_queries([]).shape == (0, 4)


def test_threads_share_the_cache_safely() -> None:
    cached = CachedEmbedder(CountingEmbedder(), capacity=8)
    questions = [f"问题{i % 12}" for i in range(400)]
    results: list[float] = []

    def ask(chunk: list[str]) -> None:
        for q in chunk:
            results.append(float(cached.embed_queries([q])[0, 0]))

    threads = [threading.Thread(target=ask, args=(questions[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(float(len(q)) for q in questions)
    assert cached.stats().size == 8


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CachedEmbedder(CountingEmbedder(), capacity=0)
