"""evaluation/metrics.py: each metric on hand-made rows, with the value worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from evaluation.metrics import (
    Row,
    citation_precision,
    keyword_recall,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    summarise,
    unit_recall,
)

BASE = Row(
    id="q", question="?", type="which-task", style="keyword", split="test", gold=("a", "b"), keywords=("机场", "枢纽"),
    units=("济南市交通运输局",), ranked=("x", "a", "y", "b"), cited=("x", "a"), answer="〔x〕机场改扩建",
    answerable=True, question_type="topic", support=0.6, latency_ms=10.0,
)


def test_recall_counts_all_gold_within_k_capped_by_k() -> None:
    assert recall_at(BASE, 1) == 0.0
    assert recall_at(BASE, 2) == 0.5  # one of two gold in the top 2
    assert recall_at(BASE, 5) == 1.0
    many = replace(BASE, gold=tuple("abcdefg"), ranked=tuple("abcdexyz"))
    assert recall_at(many, 5) == 1.0  # an exhaustive list longer than k is not punished


def test_rank_metrics() -> None:
    assert reciprocal_rank(BASE) == 0.5
    assert reciprocal_rank(replace(BASE, ranked=("x", "y"))) == 0.0
    # relevant at ranks 2 and 4: (1/log2(3) + 1/log2(5)) / (1 + 1/log2(3))
    assert ndcg_at(BASE, 10) == pytest.approx((0.6309298 + 0.4306766) / (1 + 0.6309298), abs=1e-6)


def test_answer_metrics() -> None:
    assert citation_precision(BASE) == 0.5
    assert citation_precision(replace(BASE, cited=())) is None
    assert keyword_recall(BASE) == 0.5  # 机场 is in the answer, 枢纽 is not
    assert keyword_recall(replace(BASE, answer="飞机")) == 0.0
    assert keyword_recall(replace(BASE, answer="機場")) == 0.5  # the clause as printed, in traditional script
    assert unit_recall(BASE) == 0.0
    assert unit_recall(replace(BASE, answer="济南市交通运输局牵头")) == 1.0


def test_refusal_metrics_and_false_refusals() -> None:
    rows = [
        BASE,  # answerable, answered
        replace(BASE, id="r1", answerable=False),  # answerable, refused: a false refusal
        replace(BASE, id="u1", gold=(), keywords=(), answerable=False),  # unanswerable, refused
        replace(BASE, id="u2", gold=(), keywords=(), answerable=True),  # unanswerable, answered
    ]
    summary = summarise(rows)
    assert summary["questions"] == 4 and summary["answerable"] == 2 and summary["unanswerable"] == 2
    assert summary["refusal_precision"] == 0.5  # of 2 refusals, 1 was right
    assert summary["refusal_recall"] == 0.5  # of 2 unanswerable, 1 refused
    assert summary["false_refusal_rate"] == 0.5
    assert summary["latency_p50_ms"] == 10.0


def test_answer_layer_metrics_of_issue_11() -> None:
    from evaluation.metrics import all_gold_cited, cited_right, keywords_first, type_right

    # 机场 is within the first 120 characters, 枢纽 comes after them
    late = replace(BASE, answer="〔x〕机场" + "。" * 130 + "枢纽")
    assert keywords_first(late) == 0.5
    assert keywords_first(replace(BASE, answerable=False)) is None  # refusals are counted as false refusals
    assert cited_right(BASE) == 1.0 and cited_right(replace(BASE, cited=("x",))) == 0.0
    assert all_gold_cited(BASE) == 0.0 and all_gold_cited(replace(BASE, cited=("a", "b", "x"))) == 1.0
    assert all_gold_cited(replace(BASE, answerable=False, cited=())) == 0.0
    assert type_right(replace(BASE, type="which-task", question_type="topic")) == 1.0
    assert type_right(replace(BASE, type="follow-up")) is None


def test_section_lists_and_added_latency_in_the_summary() -> None:
    rows = [
        replace(BASE, id="s1", type="section-list", cited=("a", "b"), added_ms=1.0),
        replace(BASE, id="s2", type="section-list", cited=("a",), added_ms=3.0),
        replace(BASE, id="s3", type="section-list", answerable=False, cited=(), added_ms=2.0),
        replace(BASE, id="q", added_ms=10.0),
    ]
    summary = summarise(rows)
    assert summary["section_all_gold"] == pytest.approx(1 / 3, abs=1e-4)
    assert summary["latency_added_p50_ms"] == 2.0
    assert summary["cited_right"] == 1.0


def test_threshold_is_the_highest_within_the_false_refusal_goal_with_a_margin() -> None:
    from evaluation.calibrate import choose_threshold

    # answerable at 0.2, 0.6, 0.9 (refusing below 0.21 refuses one of three); unanswerable at 0.1, 0.5
    y = np.array([1, 1, 1, 0, 0])
    p = np.array([0.2, 0.6, 0.9, 0.1, 0.5])
    threshold, false_refusals, recall = choose_threshold(y, p, goal=0.0, margin=0.0)
    assert threshold == 0.2 and false_refusals == 0.0 and recall == 0.5
    threshold, false_refusals, recall = choose_threshold(y, p, goal=0.34, margin=0.0)
    assert threshold == 0.6 and round(false_refusals, 2) == 0.33 and recall == 1.0
    # a margin keeps the threshold that far below the next answerable question's probability
    threshold, false_refusals, recall = choose_threshold(y, p, goal=0.0, margin=0.05)
    assert threshold == 0.15 and false_refusals == 0.0 and recall == 0.5
    threshold, _, _ = choose_threshold(y, p, goal=0.34, margin=0.05)
    assert threshold == 0.55


def test_reliability_bins_and_fact_groups() -> None:
    from evaluation.calibrate import fact_groups, reliability
    from evaluation.gold import GoldQuestion

    table = reliability(np.array([1, 0, 1, 1]), np.array([0.05, 0.15, 0.9, 0.95]))
    assert table == [
        {"bin": "0.0-0.2", "questions": 2, "predicted": 0.1, "observed": 0.5},
        {"bin": "0.8-1.0", "questions": 2, "predicted": 0.925, "observed": 1.0},
    ]
    q = lambda i, gold: GoldQuestion(i, "问", gold, (), "target", "paraphrase", "dev")
    groups = fact_groups([q("a", ("x-1", "x-2")), q("b", ("x-2", "x-1")), q("c", ()), q("d", ())])
    assert groups[0] == groups[1] and len(set(groups)) == 3  # rewordings share a fold; each refusal its own
