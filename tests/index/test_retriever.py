from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from index import Hit, Retriever

AIRPORT = {"2023分工方案-17", "2023工作要点-13"}


def ids(hits: list[Hit]) -> list[str]:
    return [h.clause.clause_id for h in hits]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_airport_question_finds_the_airport_clauses(retriever: Retriever, mode: str) -> None:
    assert set(ids(retriever.search("飞机场改扩建归哪个部门管？", k=2, mode=mode))) == AIRPORT


def test_the_sub_word_airport_matches_the_airport_clauses_by_keyword(retriever: Retriever) -> None:
    """飞机场 is one jieba word; only its sub-word 机场 is in the clauses."""
    assert set(ids(retriever.search("飞机场", k=2, mode="keyword"))) == AIRPORT


def test_hybrid_hits_carry_both_channels_and_the_rrf_score(retriever: Retriever) -> None:
    hits = retriever.search("飞机场改扩建", k=5)
    assert len(hits) == 5
    for hit in hits:
        assert set(hit.ranks) == set(hit.scores) == {"keyword", "dense"}
        weights = {"keyword": 2.0, "dense": 1.0}  # the default fusion: BM25 counts twice
        expected = sum(weights[c] / (60 + r) for c, r in hit.ranks.items() if r is not None)
        assert hit.score == pytest.approx(expected)
    keyword, dense = hits[0].scores["keyword"], hits[0].scores["dense"]
    assert keyword is not None and keyword > 0
    assert dense is not None and 0 < dense <= 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_single_channel_reports_its_own_score(retriever: Retriever) -> None:
    keyword = retriever.search("物流枢纽", k=3, mode="keyword")
    assert all(h.ranks["dense"] is None and h.scores["dense"] is None for h in keyword)
    assert [h.ranks["keyword"] for h in keyword] == [1, 2, 3]
    assert all(h.score == h.scores["keyword"] for h in keyword)
    dense = retriever.search("物流枢纽", k=3, mode="dense")
    assert all(h.ranks["keyword"] is None and h.score == h.scores["dense"] for h in dense)


def test_keyword_search_finds_a_unit_by_its_short_name(retriever: Retriever) -> None:
    hits = retriever.search("临沂商城管委会", k=5, mode="keyword")
    assert hits and all("临沂商城管委会" in h.clause.units for h in hits[:2])


def test_width_and_case_do_not_matter(retriever: Retriever) -> None:
    assert ids(retriever.search("５Ｇ示范应用", k=3, mode="keyword")) == ids(
        retriever.search("5g示范应用", k=3, mode="keyword")
    )


def test_blank_query_gives_nothing(retriever: Retriever) -> None:
    assert retriever.search("") == [] and retriever.search("  \n ") == []


def test_k_limits_the_hits(retriever: Retriever) -> None:
    assert len(retriever.search("合作", k=1)) == 1
    assert len(retriever.search("合作", k=200)) == len(retriever.corpus.citable)  # tasks and passages


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"mode": "bm25"}, "unknown retrieval mode"), ({"k": 0}, "at least 1")]
)
def test_bad_arguments_are_refused(retriever: Retriever, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        retriever.search("机场", **kwargs)


def test_tokenize_is_the_keyword_tokenizer(retriever: Retriever) -> None:
    assert "机场" in retriever.tokenize("飞机场") and "市委宣传部" in retriever.tokenize("两市市委宣传部")


def test_concurrent_searches_match_sequential_ones(retriever: Retriever) -> None:
    questions = [
        "飞机场改扩建",
        "中欧班列",
        "支教老师",
        "异地就医",
        "红色文化主题月",
        "教育局",
        "精品钢",
        "碳汇",
    ] * 3
    sequential = [[(h.clause.clause_id, h.score, h.ranks) for h in retriever.search(q, 5)] for q in questions]
    with ThreadPoolExecutor(max_workers=6) as pool:
        concurrent = list(
            pool.map(
                lambda q: [(h.clause.clause_id, h.score, h.ranks) for h in retriever.search(q, 5)], questions
            )
        )
    assert concurrent == sequential
