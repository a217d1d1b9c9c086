from __future__ import annotations

import pytest

from index.fusion import reciprocal_rank_fusion


def test_fused_score_is_the_sum_of_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        {"keyword": [(7, 9.0), (3, 4.0)], "dense": [(3, 0.8), (5, 0.7), (7, 0.6)]}, k=60
    )
    by_doc = {f.doc: f for f in fused}
    assert by_doc[3].score == pytest.approx(1 / 62 + 1 / 61)
    assert by_doc[7].score == pytest.approx(1 / 61 + 1 / 63)
    assert by_doc[5].score == pytest.approx(1 / 62)
    assert [f.doc for f in fused] == [3, 7, 5]


def test_each_channel_keeps_its_rank_and_score_or_none() -> None:
    fused = reciprocal_rank_fusion({"keyword": [(1, 2.5)], "dense": [(2, 0.9), (1, 0.4)]}, k=10)
    by_doc = {f.doc: f for f in fused}
    assert by_doc[1].ranks == {"keyword": 1, "dense": 2}
    assert by_doc[1].scores == {"keyword": 2.5, "dense": 0.4}
    assert by_doc[2].ranks == {"keyword": None, "dense": 1}
    assert by_doc[2].scores == {"keyword": None, "dense": 0.9}


def test_k_weighs_agreement_against_a_single_top_rank() -> None:
    # Doc 2 is fourth in both lists; docs 1 and 3 each top one list.
    rankings = {"a": [(1, 0.0), (4, 0.0), (5, 0.0), (2, 0.0)], "b": [(3, 0.0), (6, 0.0), (7, 0.0), (2, 0.0)]}
    assert reciprocal_rank_fusion(rankings, k=60)[0].doc == 2  # 2/64 > 1/61
    assert [f.doc for f in reciprocal_rank_fusion(rankings, k=1)[:3]] == [1, 3, 2]  # 1/2 > 2/5


def test_ties_go_to_the_better_best_rank_then_the_lower_document() -> None:
    fused = reciprocal_rank_fusion(
        {"a": [(9, 0.0), (4, 0.0)], "b": [(4, 0.0), (9, 0.0)], "c": [(8, 0.0)]}, k=60
    )
    assert [f.doc for f in fused] == [4, 9, 8]


def test_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        reciprocal_rank_fusion({"a": [(1, 0.0)]}, k=0)


def test_channel_weights_scale_each_channels_share() -> None:
    rankings = {"keyword": [(1, 9.0), (2, 8.0)], "dense": [(2, 0.9), (1, 0.8)]}
    equal = reciprocal_rank_fusion(rankings, k=10)
    assert equal[0].score == pytest.approx(equal[1].score)  # 1/11 + 1/12 each
    weighted = reciprocal_rank_fusion(rankings, k=10, weights={"keyword": 2.0})
    assert [f.doc for f in weighted] == [1, 2]
    assert weighted[0].score == pytest.approx(2 / 11 + 1 / 12)
