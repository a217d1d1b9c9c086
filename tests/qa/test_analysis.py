"""Question analysis: type, units (aliases resolved), document and follow-up detection."""

from __future__ import annotations

import pytest

from corpus.unit_matcher import UnitMatcher
from qa.analysis import QuestionType, analyse


@pytest.fixture(scope="module")
def analyse_q(seed_corpus):
    matcher = UnitMatcher(seed_corpus.units)
    return lambda q, history=False: analyse(q, matcher, seed_corpus.documents, has_history=history)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("中欧班列由哪些部门负责？", QuestionType.RESPONSIBILITY),
        ("红色文化论坛谁牵头？", QuestionType.RESPONSIBILITY),
        ("济南市教育局负责哪些任务？", QuestionType.UNIT_LIST),
        ("临沂文旅局要干啥", QuestionType.UNIT_LIST),
        ("发改委牵头哪些工作", QuestionType.UNIT_LIST),
        ("每学年选派多少名教师赴临沂支教？", QuestionType.TARGET),
        ("党校每年请专家授课几次", QuestionType.TARGET),
        ("飞机场有什么建设安排？", QuestionType.TOPIC),
    ],
)
def test_question_types(analyse_q, question: str, kind: QuestionType) -> None:
    assert analyse_q(question).type is kind


def test_units_resolve_aliases_and_cities(analyse_q) -> None:
    assert analyse_q("临沂文旅局要干啥").units == ("临沂市文化和旅游局",)
    assert analyse_q("发改委牵头哪些工作").units == ("济南市发展改革委", "临沂市发展改革委")


def test_lead_and_document_hints(analyse_q) -> None:
    analysis = analyse_q("2023年中欧班列谁牵头？")
    assert analysis.wants_lead and analysis.document == "工作要点"
    assert analyse_q("分工方案里中欧班列谁负责").document == "分工方案"
    assert analyse_q("中欧班列谁负责").document is None


def test_follow_ups_need_history(analyse_q) -> None:
    assert analyse_q("那牵头单位呢？", history=True).follow_up
    assert not analyse_q("那牵头单位呢？", history=False).follow_up
    assert not analyse_q("济南遥墙国际机场二期改扩建有什么安排？", history=True).follow_up
