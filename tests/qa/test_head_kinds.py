"""A kind of thing named by a two-character noun ("要打造哪些品牌"): every task that states it, when few of the
plan's tasks do; a word most tasks share (合作) is no kind to list."""

from __future__ import annotations

import pytest

from qa.service import QAService


@pytest.fixture(scope="module")
def plan(layout_service) -> QAService:
    return layout_service("tangxi-2025-brand-items.txt")


def test_a_rare_head_noun_lists_the_tasks_that_state_it(plan: QAService) -> None:
    answer = plan.ask("今年要打造哪些品牌？")
    assert answer.question_type == "section_list", answer.why
    assert sorted(c.clause.number for c in answer.citations) == [2, 5]
    assert answer.answer.startswith("写明“品牌”的共2项")


def test_a_quoted_name_before_the_kind_is_part_of_its_overview(plan: QAService) -> None:
    overview = plan.ask("要打造的品牌都有哪些？").answer.splitlines()[0]
    assert "“棠溪红茶”区域公用品牌" in overview and "“溪畔人家”民宿品牌" in overview


def test_a_word_many_tasks_share_is_not_listed_as_a_kind(plan: QAService) -> None:
    answer = plan.ask("有哪些合作？")
    assert not answer.answer.startswith("写明“合作”")
    assert len(answer.citations) < 4


def test_which_ones_before_a_predicate_ask_within_one_task(layout_service) -> None:
    """哪几个乡镇改造商贸中心: the towns of the 商贸中心 task, not every task that states 中心."""
    service = layout_service("cangli-2025-implementation.txt", "kezhou-2024-parts-leader-notes.txt")  # 中心 is rare
    answer = service.ask("哪几个乡镇改造商贸中心？")
    assert answer.question_type == "topic" and not answer.answer.startswith("写明")
    assert "石滩" in answer.answer and answer.citations[0].clause.number == 2


def test_a_county_is_no_kind_of_thing_to_list(service) -> None:
    """蒙阴县有哪些文旅项目: about 文旅项目 in 蒙阴县, not every one of the 13 tasks that name 蒙阴县."""
    answer = service.ask("蒙阴县有哪些文旅项目要推动建设？")
    assert not answer.answer.startswith("写明“蒙阴县”")
    assert answer.citations[0].clause.clause_id == "2023工作要点-31"
