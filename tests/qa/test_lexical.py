"""Lexical coverage with synonyms, and the split of a topic into what the corpus knows and what it does not."""

from __future__ import annotations

import pytest

from index.tokenizer import ChineseTokenizer
from qa.lexical import LexicalScorer
from qa.synonyms import Synonyms, thesaurus_groups

TEXTS = [("a", "每学年选派教师赴外地支教"), ("b", "推进机场改扩建工程"), ("c", "加强就医结算合作"),
         ("d", "统筹推进烈士陵园开展纪念活动")]


@pytest.fixture(scope="module")
def scorer() -> LexicalScorer:
    return LexicalScorer((text for _, text in TEXTS), ChineseTokenizer().words)


def test_coverage_counts_rare_bigrams_more(scorer: LexicalScorer) -> None:
    assert scorer.coverage("机场改扩建", TEXTS[1][1]) == 1.0
    assert scorer.coverage("机场改扩建", TEXTS[0][1]) == 0.0
    # 票价 occurs nowhere: it weighs as much as the rarest bigram, so half-covered at best
    assert 0.3 < scorer.coverage("机场票价", TEXTS[1][1]) < 0.7


def test_a_synonym_in_the_text_covers_its_word(scorer: LexicalScorer) -> None:
    plain = scorer.coverage("老师支教", TEXTS[0][1])
    expanded = scorer.coverage("老师支教", TEXTS[0][1], {"老师": frozenset({"教师"})})
    assert expanded == 1.0 > plain


def test_coverages_are_both_readings_in_one_pass(scorer: LexicalScorer) -> None:
    """The judge's two coverage signals: without synonyms and with them, never less."""
    synonyms = {"老师": frozenset({"教师"})}
    for topic in ("老师支教", "机场票价", "支教"):
        for _, text in TEXTS:
            plain, expanded = scorer.coverages(topic, text, synonyms)
            assert plain == pytest.approx(scorer.coverage(topic, text))
            assert expanded == pytest.approx(scorer.coverage(topic, text, synonyms))
            assert expanded >= plain
    plain, expanded = scorer.coverages("老师支教", TEXTS[0][1], synonyms)
    assert plain < 1.0 == expanded  # 支教 is in the text; 老师 only through 教师


def test_unseen_share_and_parts(scorer: LexicalScorer) -> None:
    assert scorer.unseen("机场改扩建") == 0.0
    assert scorer.unseen("票价") == 1.0
    assert scorer.unseen("老师", {"老师": frozenset({"教师"})}) == 0.0
    parts = scorer.parts("机场票价")
    assert parts.known == ("机场",) and parts.unknown == ("票价",)


def test_parts_are_whole_words(scorer: LexicalScorer) -> None:
    """园开 occurs (陵园开展) but 开放 does not: the documents mention 烈士陵园, not 开 of 开放时间; a lone
    character (的) belongs to neither side."""
    parts = scorer.parts("烈士陵园开放时间")
    assert parts.known == ("烈士陵园",) and parts.unknown == ("开放时间",)
    assert scorer.parts("机场的票价") == scorer.parts("机场票价")


def test_the_thesaurus_ships_inside_its_wheel() -> None:
    groups = thesaurus_groups(40)
    assert any({"老师", "教师"} <= set(g) for g in groups)
    assert any({"看病", "就医"} <= set(g) for g in groups)


def test_synonyms_only_point_at_corpus_words() -> None:
    synonyms = Synonyms(["教师", "就医"], [("老师", "教师", "教员"), ("看病", "就医")], extra={"钱": ("资金",)})
    assert synonyms.of("老师") == {"教师"}  # 教员 is not a corpus word
    assert synonyms.of("看病") == {"就医"}
    assert synonyms.of("钱") == frozenset()  # 资金 is not in this corpus
    assert synonyms.expansions("派老师 看病") == {"老师": {"教师"}, "看病": {"就医"}}


def test_unknown_words_count_whole_words_the_corpus_never_has(scorer: LexicalScorer) -> None:
    """The judge's ``unknown_words``: by whole words, so the bigram across two known words (师去 of 老师去外地) does
    not count, where ``unseen`` (by bigrams) does; a word no clause has, even through a synonym (票价), does."""
    synonyms = {"老师": frozenset({"教师"})}
    assert scorer.unknown_words("老师去外地支教", synonyms) == 0.0 < scorer.unseen("老师去外地支教", synonyms)
    assert scorer.unknown_words("机场票价") == pytest.approx(0.5)  # 机场 known, 票价 not: two characters of four
    assert scorer.unknown_words("机场改扩建") == 0.0
