"""Lists and judgements on layout documents of other issuers (tests/data/layouts), as the layout dev
questions (evaluation/gold-layouts-dev.jsonl) found them."""

from __future__ import annotations

import pytest

from qa.service import QAService

DOCUMENTS = ("yanbo-2023-leader-sections.txt", "luwan-2024-pipe-table.md", "xiuchuan-2022-hexagon-brackets.txt",
             "桐溪区2024年重点工作分工.txt", "huichuan-2022-opinion-issuer.txt")


@pytest.fixture(scope="module")
def plans(layout_service) -> QAService:
    return layout_service(*DOCUMENTS)


def test_a_heading_that_says_who_leads_it_lists_its_tasks(plans: QAService) -> None:
    """Its 牵头 is the heading's name, not a question about who leads."""
    answer = plans.ask("何亚楠副区长牵头重点工作有哪些？")
    assert answer.question_type == "section_list" and "“何亚楠副区长牵头重点工作”部分共3项" in answer.answer
    assert len(answer.citations) == 3


def test_a_table_category_is_a_section_to_list(plans: QAService) -> None:
    answer = plans.ask("住房保障这一类有哪些工作？")
    assert answer.question_type == "section_list" and answer.answer.startswith("“住房保障”部分共2项")


def test_a_kind_of_thing_is_named_in_whole_words(plans: QAService) -> None:
    """级物流 is in two clauses (省级物流枢纽, 5A级物流企业) but is no word: no list of it."""
    answer = plans.ask("岫川省5个省级物流枢纽分别建在哪些城市？")
    assert "级物流”" not in answer.answer and answer.question_type != "section_list"


def test_a_word_the_documents_have_part_of_is_judged_not_refused_plainly(plans: QAService) -> None:
    """停车位 is no clause's word (停车泊位 is): the question still has something to search for."""
    answer = plans.ask("桐溪区停车位的事谁管？")
    assert answer.answerable and "停车泊位" in answer.citations[0].clause.text


def test_a_money_word_in_a_who_question_is_not_asked_for(plans: QAService) -> None:
    answer = plans.ask("蕙川省给招毕业生的小企业发补助，这事谁挑头？")
    assert answer.answerable and "没有写明金额" not in answer.answer
    assert "省人力资源社会保障厅" in answer.answer.splitlines()[0][:60]


@pytest.mark.parametrize("question", [
    "盐泊湿地公园保护修复资金多少？", "中小河流治理工程资金有多少？", "盐泊湿地公园生态修复比例是多少？",
])
def test_an_amount_no_relevant_clause_states_is_refused(plans: QAService, question: str) -> None:
    """The clause about the thing gives no amount; another clause among the best few does (惠企政策资金3亿元),
    but it has nothing to do with the question: its relevance is near zero, so it states nothing asked."""
    answer = plans.ask(question)
    assert not answer.answerable and "但没有写明" in answer.answer


def test_an_amount_the_relevant_clause_states_is_answered(plans: QAService) -> None:
    answer = plans.ask("全年兑现惠企政策资金多少？")
    assert answer.answerable and "3亿元" in answer.answer


@pytest.fixture(scope="module")
def two_years(layout_service) -> QAService:
    """One city's 2023 and 2024 plans, kept side by side."""
    return layout_service("yunchuan-2023-segments.txt", "yunchuan-2024-segments.txt")


def test_what_only_last_years_plan_has_asked_of_this_year_points_to_it(two_years: QAService) -> None:
    """The 2024 plan has no 企业诉求 task: not its unrelated best clause as an answer, but a refusal that names the
    2023 plan's task; asked of 去年, that task answers.  A task both plans have is answered from this year's."""
    this_year = two_years.ask("今年企业诉求办结率要达到多少？")
    assert not this_year.answerable
    assert "《云川市2024年优化营商环境工作要点》没有写明" in this_year.answer
    assert "〔2023工作要点第6条〕有相关内容" in this_year.answer
    last_year = two_years.ask("去年企业诉求办结率要达到多少？")
    assert last_year.answerable and last_year.citations[0].clause.clause_id == "2023工作要点-6"
    both = two_years.ask("今年新增集成服务事项多少项？")
    assert both.answerable and both.citations[0].clause.clause_id == "2024工作要点-1" and "30项" in both.answer
