from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from index.keyword import KeywordIndex

DOCS = [
    ["机场", "建设", "机场"],  # dl 3
    ["高铁", "建设"],  # dl 2
    ["机场", "高铁", "物流", "建设", "建设"],  # dl 5
]


def lucene_bm25(
    tf: int, df: int, dl: int, n: int = 3, avgdl: float = 10 / 3, k1: float = 1.5, b: float = 0.75
) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))


def test_scores_match_hand_computed_bm25() -> None:
    index = KeywordIndex.build(DOCS)
    # 机场: df 2, tf 2 in doc 0, 1 in doc 2; 物流: df 1, tf 1 in doc 2.
    expected = [lucene_bm25(2, 2, 3), 0.0, lucene_bm25(1, 2, 5) + lucene_bm25(1, 1, 5)]
    assert index.scores(["机场", "物流"]) == pytest.approx(expected, rel=1e-6)
    # Spelled out once, to pin the formula itself:
    # idf(机场) = ln(1 + 1.5/2.5); doc 0: tf 2, length norm 1.5 * (0.25 + 0.75 * 3 / (10/3)).
    assert expected[0] == pytest.approx(math.log(1.6) * 2 * 2.5 / (2 + 1.5 * (0.25 + 0.75 * 0.9)))


def test_a_term_in_every_document_still_scores_positive() -> None:
    """rank_bm25's Okapi idf is negative here; Lucene's is ln(1 + 0.5/3.5) > 0."""
    scores = KeywordIndex.build(DOCS).scores(["建设"])
    assert (scores > 0).all()
    assert scores[2] == pytest.approx(lucene_bm25(2, 3, 5), rel=1e-6)


def test_repeated_and_unknown_query_terms() -> None:
    index = KeywordIndex.build(DOCS)
    assert np.array_equal(index.scores(["机场", "机场"]), index.scores(["机场"]))
    assert not index.scores(["港口"]).any()
    assert index.top(["港口"], 5) == []
    assert index.top([], 5) == []


def test_top_is_best_first_positive_only_and_ties_go_to_the_lower_document() -> None:
    index = KeywordIndex.build([["甲"], ["乙"], ["甲"], ["甲"]])
    assert [d for d, _ in index.top(["甲"], 10)] == [0, 2, 3]
    assert [d for d, _ in index.top(["甲"], 2)] == [0, 2]
    assert [d for d, _ in KeywordIndex.build(DOCS).top(["机场"], 1)] == [0]


def test_save_and_load_give_the_same_scores(tmp_path: Path) -> None:
    index = KeywordIndex.build(DOCS)
    index.save(tmp_path / "keyword.npz")
    loaded = KeywordIndex.load(tmp_path / "keyword.npz")
    assert loaded.terms == index.terms and loaded.size == 3
    assert np.array_equal(loaded.scores(["机场", "高铁", "物流"]), index.scores(["机场", "高铁", "物流"]))


def test_an_empty_document_list_gives_an_empty_index() -> None:
    index = KeywordIndex.build([])
    assert index.size == 0 and index.top(["机场"], 3) == []
