"""Step 1: question type (classifier + cues), units, document, asked fact, topic, follow-ups."""

from __future__ import annotations

import pytest

from qa.analysis import QuestionType, asked_measure, asked_type, cue_in, topic_of


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("中欧班列由哪些部门负责？", QuestionType.RESPONSIBILITY),
        ("红色文化论坛谁牵头？", QuestionType.RESPONSIBILITY),
        # keyword style and word orders the old rules typed as topics
        ("中欧班列 责任部门", QuestionType.RESPONSIBILITY),
        ("飞机场改扩建归谁管", QuestionType.RESPONSIBILITY),
        ("谁负责中欧班列集结中心", QuestionType.RESPONSIBILITY),
        ("济南市教育局负责哪些任务？", QuestionType.UNIT_LIST),
        ("临沂文旅局要干啥", QuestionType.UNIT_LIST),
        ("发改委牵头哪些工作", QuestionType.UNIT_LIST),
        ("每学年选派多少名教师赴临沂支教？", QuestionType.TARGET),
        ("党校每年请专家授课几次", QuestionType.TARGET),
        ("飞机场有什么建设安排？", QuestionType.TOPIC),
        ("“加强资金保障”包括哪些措施？", QuestionType.SECTION_LIST),
    ],
)
def test_question_types(service, question: str, kind: QuestionType) -> None:
    assert service.analyse(question).type is kind


def test_a_unit_named_with_a_person_question_is_not_a_unit_list(service) -> None:
    analysis = service.analyse("临沂高新区管委会主任是谁？")
    assert analysis.asked == "person" and analysis.type is not QuestionType.UNIT_LIST


def test_units_resolve_aliases_and_cities(service) -> None:
    assert service.analyse("临沂文旅局要干啥").units == ("临沂市文化和旅游局",)
    assert service.analyse("发改委牵头哪些工作").units == ("济南市发展改革委", "临沂市发展改革委")


def test_lead_and_document_hints(service, seed_corpus) -> None:
    by_short = {d.short_name: d.document_id for d in seed_corpus.documents}
    analysis = service.analyse("工作要点里中欧班列谁牵头？")
    assert analysis.wants_lead and analysis.document == by_short["工作要点"]
    assert service.analyse("分工方案里中欧班列谁负责").document == by_short["分工方案"]
    assert service.analyse("中欧班列谁负责").document is None


def test_follow_ups_need_history(service) -> None:
    assert service.analyse("那牵头单位呢？", has_history=True).follow_up
    assert not service.analyse("那牵头单位呢？").follow_up
    assert service.analyse("一年至少讲几次？", has_history=True).follow_up  # short, asks a fact, names nothing
    assert not service.analyse("济南遥墙国际机场二期改扩建有什么安排？", has_history=True).follow_up


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("这项工作哪位领导分管？", "person"),
        ("局长是谁", "person"),
        ("什么时候完成？", "date"),
        ("完成时限是哪天", "date"),
        ("分成比例是多少", "percent"),
        ("项目总投资多少钱", "money"),
        ("派多少名老师", "number"),
        ("谁负责", "unit"),
        ("X归哪个部门管", "unit"),
        ("有什么安排", None),
    ],
)
def test_asked_fact(question: str, asked: str | None) -> None:
    assert asked_type(question) == asked


def test_asked_measures() -> None:
    assert asked_measure("派多少名教师") == (("名",), False)
    assert asked_measure("派多少老师") == (("名",), False)  # the lexicon's measure synonym
    measures, strict = asked_measure("起步区面积有多大")
    assert strict and "平方公里" in measures


def test_cue_pairs_allow_a_gap() -> None:
    assert cue_in("这事归哪个部门管", (), (("归", "管", 6),))
    assert not cue_in("归属于管理", (), (("归", "理", 1),))


def test_topic_drops_question_words_and_years() -> None:
    assert topic_of("2023年中欧班列由哪些部门负责？", frozenset()) == "中欧班列"


def test_which_several_lists_rather_than_counts() -> None:
    assert asked_type("哪几项任务由发改委牵头") is None
    assert asked_type("要建几个园区") == "number"
    assert asked_type("门票多少钱") == "money" and asked_type("税收分成比例") == "percent"


def test_a_few_more_asks_for_more_not_for_a_count() -> None:
    assert asked_type("示范学校要多建几所？") is None  # build a few more
    assert asked_type("最多派几名干部") == "number" and asked_type("至多设几个站点") == "number"
    assert asked_type("每年派几名干部") == "number"
    assert asked_type("去临沂支教的老师名单") == "person"
