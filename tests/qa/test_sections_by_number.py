"""A part of a plan named by its number ("第二部分有哪些任务"): the heading printed with that number, at the
shallowest level that has one, whether it is written 第二部分 or 二、."""

from __future__ import annotations

import pytest

from qa.analysis import _heading_number
from qa.service import QAService


@pytest.fixture(scope="module")
def parts(layout_service) -> QAService:
    return layout_service("kezhou-2024-parts-leader-notes.txt")


@pytest.fixture(scope="module")
def numbered(layout_service) -> QAService:
    return layout_service("shenping-2024-you-lead-first.txt")


def test_a_heading_number_is_read_in_each_style() -> None:
    assert _heading_number("二、全面实施乡村振兴") == 2
    assert _heading_number("（十）培育发展绿色产品") == 10
    assert _heading_number("第三部分　民生实事") == 3
    assert _heading_number("加强组织领导") is None


@pytest.mark.parametrize(("plan", "question", "heading"), [
    ("parts", "第三部分有哪些内容？", "第三部分"),  # printed 第三部分
    ("numbered", "第三部分是什么内容？", "三、"),  # printed 三、
])
def test_a_part_named_by_number_lists_that_part(request: pytest.FixtureRequest, plan: str, question: str,
                                                 heading: str) -> None:
    answer = request.getfixturevalue(plan).ask(question)
    assert answer.question_type == "section_list", answer.why
    assert answer.citations and all(c.clause.section[0].startswith(heading) for c in answer.citations)


def test_the_shallowest_level_with_the_number_is_the_one_meant(parts: QAService) -> None:
    """第二部分 is the part so printed, not the 二、 heading inside it."""
    answer = parts.ask("第二部分包括哪些任务？")
    assert answer.citations and all(c.clause.section[0].startswith("第二部分") for c in answer.citations)
    assert {c.clause.section[1][:2] for c in answer.citations if len(c.clause.section) > 1} >= {"一、", "二、"}


def test_a_part_the_plan_does_not_have_is_not_invented(numbered: QAService) -> None:
    answer = numbered.ask("第九部分有哪些任务？")
    assert not any(c.clause.section and c.clause.section[0].startswith("九、") for c in answer.citations)
