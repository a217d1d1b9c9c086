"""corpus/related.py: which 工作要点 clauses continue which 分工方案 clauses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpus import Corpus
from corpus.related import THRESHOLD, link_related, overlap_scores

MUST_LINK = [
    ("2023工作要点-16", "2023分工方案-14"),
    ("2023工作要点-20", "2023分工方案-29"),
    ("2023工作要点-20", "2023分工方案-30"),
    ("2023工作要点-20", "2023分工方案-31"),
    ("2023工作要点-39", "2023分工方案-8"),
    ("2023工作要点-1", "2023分工方案-1"),
    ("2023工作要点-12", "2023分工方案-16"),
    ("2023工作要点-24", "2023分工方案-20"),
    ("2023工作要点-38", "2023分工方案-12"),
    ("2023工作要点-40", "2023分工方案-32"),
]
# They share only boilerplate such as "对口合作专项实施方案".
MUST_NOT_LINK = [
    ("2023工作要点-8", "2023分工方案-20"),
    ("2023工作要点-5", "2023分工方案-20"),
    ("2023工作要点-35", "2023分工方案-20"),
    ("2023工作要点-8", "2023分工方案-6"),
]


@pytest.mark.parametrize(("a", "b"), MUST_LINK)
def test_continuations_are_linked_both_ways(seed_corpus: Corpus, a: str, b: str) -> None:
    assert b in seed_corpus.clause(a).related
    assert a in seed_corpus.clause(b).related


@pytest.mark.parametrize(("a", "b"), MUST_NOT_LINK)
def test_boilerplate_overlap_is_not_a_link(seed_corpus: Corpus, a: str, b: str) -> None:
    assert b not in seed_corpus.clause(a).related
    assert a not in seed_corpus.clause(b).related


def test_the_threshold_separates_the_pairs_with_a_margin(seed_corpus: Corpus) -> None:
    scores = overlap_scores(seed_corpus.clauses)

    def score(a: str, b: str) -> float:
        return scores.get((a, b), scores.get((b, a), 0.0))

    assert min(score(a, b) for a, b in MUST_LINK) >= THRESHOLD + 0.01
    assert max(score(a, b) for a, b in MUST_NOT_LINK) <= THRESHOLD - 0.005


def test_links_cross_documents_are_symmetric_and_strongest_first(seed_corpus: Corpus) -> None:
    by_id = {c.clause_id: c for c in seed_corpus.clauses}
    for clause in seed_corpus.clauses:
        for other in clause.related:
            assert by_id[other].document != clause.document
            assert clause.clause_id in by_id[other].related
    assert seed_corpus.clause("2023工作要点-20").related[0] == "2023分工方案-30"  # the near-verbatim one


def test_link_related_fills_related_without_touching_the_rest(seed_corpus: Corpus) -> None:
    bare = [replace(c, related=()) for c in seed_corpus.clauses]
    linked = link_related(bare)
    assert [c.related for c in linked] == [c.related for c in seed_corpus.clauses]
    assert [c.text for c in linked] == [c.text for c in seed_corpus.clauses]
    assert all(c.related == () for c in link_related(bare, threshold=1.01))
