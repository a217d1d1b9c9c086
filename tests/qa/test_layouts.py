"""The answer layer on the layout test documents (tests/data/layouts): leaders, table deadlines, passages,
plans of two years, unit sections.  Invented documents, a service built in a temporary folder."""

from __future__ import annotations

import pytest

from qa.service import QAService

DOCUMENTS = (
    "beitang-2024-labelled-lines.txt", "luting-2023-tab-table.txt", "yunchuan-2023-segments.txt",
    "yunchuan-2024-segments.txt", "lanyu-2025-unit-sections.txt", "qinghe-2024-trailing.txt",
)


@pytest.fixture(scope="module")
def layouts(layout_service) -> QAService:
    return layout_service(*DOCUMENTS)


def _documents(answer) -> set[str]:
    return {c.clause.document_id for c in answer.citations}


def test_a_leader_question_names_the_leader(layouts: QAService) -> None:
    answer = layouts.ask("国际货运航线这项工作哪位省领导分管？")
    assert answer.answerable and answer.answer.index("陈岩") < 40


@pytest.mark.parametrize("question", ["鹭汀区城投集团的董事长是谁？", "鹭汀区城投集团经理叫什么名字？"])
def test_the_head_of_a_company_is_not_the_tasks_leader(layouts: QAService, question: str) -> None:
    """The task that names 区城投集团 has 责任领导 孙卫东, who is no 董事长 or 经理 of it: not stated."""
    answer = layouts.ask(question)
    assert not answer.answerable and "孙卫东" not in answer.answer


def test_the_leader_of_a_task_is_answered_by_name(layouts: QAService) -> None:
    answer = layouts.ask("鹭汀湾片区土地收储由哪位领导负责？")
    assert answer.answerable and answer.answer.index("孙卫东") < 40


def test_a_deadline_from_a_table_column_leads_the_answer(layouts: QAService) -> None:
    answer = layouts.ask("鹭汀区区商务局牵头的任务什么时候完成？")
    assert answer.answerable and "完成时限：2023年11月底前" in answer.answer.splitlines()[0][:40]


def test_a_passage_answers_and_says_it_is_not_a_task(layouts: QAService) -> None:
    answer = layouts.ask("营商环境办汇总后报给谁？")
    assert answer.answerable and not answer.citations[0].clause.is_task
    assert "不是任务条款" in answer.answer


def test_a_unit_list_spans_both_years_and_a_year_narrows_to_its_plan(layouts: QAService) -> None:
    answer = layouts.ask("市政务服务中心负责哪些任务？")
    assert answer.question_type == "unit_list" and len({d[:4] for d in _documents(answer)}) == 2
    dated = layouts.ask("2024年高频证照免提交什么时候完成？")
    assert dated.answerable and {d[:4] for d in _documents(dated)} == {"2024"}


def test_units_heading_their_sections_own_the_items(layouts: QAService) -> None:
    answer = layouts.ask("县经济开发区管委会负责几项工作？")
    assert answer.question_type == "unit_list" and "共涉及3项任务" in answer.answer


def test_the_issuing_place_says_whose_plan_not_what_is_asked(layouts: QAService) -> None:
    """鹭汀区 names the plan (its title), no clause: it picks the document and is not a topic word no clause
    covers, which would push the judge to refuse."""
    analysis = layouts.analyse("鹭汀区智慧社区示范点要建几个？")
    assert analysis.document and "鹭汀" not in analysis.topic and "智慧社区示范点" in analysis.topic
    answer = layouts.ask("鹭汀区智慧社区示范点要建几个？")
    assert answer.answerable and answer.citations[0].clause.document_id == analysis.document
    assert "10个" in answer.answer[:60]


def test_leading_or_taking_part_lists_every_task_of_the_unit(layouts: QAService) -> None:
    led = layouts.ask("区商务局牵头哪些工作？")
    both = layouts.ask("区商务局牵头或参与哪些工作？")
    assert led.question_type == both.question_type == "unit_list"
    assert {c.clause.clause_id for c in led.citations} < {c.clause.clause_id for c in both.citations}


def test_naming_another_issuing_place_asks_the_previous_question_of_its_plan(layouts: QAService) -> None:
    from qa.models import Turn

    first = layouts.ask("鹭汀区住建局负责哪些任务？")
    follow = layouts.ask("澜屿县的呢？", [Turn("user", "鹭汀区住建局负责哪些任务？"), Turn("assistant", first.answer)])
    assert _documents(first) == {"2023任务清单"}
    assert follow.question_type == "unit_list" and _documents(follow) == {"2025任务清单"}


def test_a_heading_both_years_repeat_lists_both_plans_under_one_title(layouts: QAService) -> None:
    answer = layouts.ask("“优化市场环境”有哪些任务？")
    assert answer.question_type == "section_list" and len({d[:4] for d in _documents(answer)}) == 2
    assert answer.answer.startswith("“优化市场环境”部分共")


def test_a_unit_name_two_districts_use_counts_the_tasks_each_leads(layouts: QAService) -> None:
    """区民政局 of 鹭汀区 and of 青禾区 are two directory entries (区民政局（鹭汀区）…) while both plans print
    区民政局: what each leads is read from the directory, not by comparing printed names."""
    answer = layouts.ask("区民政局负责哪些任务？")
    assert answer.question_type == "unit_list" and len({c.clause.document_id for c in answer.citations}) == 2
    assert "共涉及2项任务（其中牵头2项）" in answer.answer and answer.answer.count("（牵头）") == 2


def test_a_place_the_documents_never_mention_is_refused_by_name(layouts: QAService) -> None:
    """The rest of the question matches a task well; no clause answers for 甘肃省 all the same."""
    assert layouts.ask("鹭汀区智慧社区示范点要建几个？").answerable
    answer = layouts.ask("甘肃省智慧社区示范点要建几个？")
    assert not answer.answerable and "文件没有提到甘肃省" in answer.answer and "甘肃省" in answer.why


NEW_LAYOUTS = (
    "yupu-2025-notice-segments.txt", "jialong-2024-shishi-table.txt", "zhuao-2024-three-level.txt",
    "cangli-2025-implementation.txt", "yaomei-2025-web-labels.txt",
)


@pytest.fixture(scope="module")
def plans(layout_service) -> QAService:
    return layout_service(*NEW_LAYOUTS)


def test_who_leads_a_section_lists_its_tasks_with_their_units(plans: QAService) -> None:
    answer = plans.ask("瑶湄市优势产业集群由谁牵头？")
    assert answer.answerable and answer.question_type == "responsibility"
    assert len(answer.citations) == 3 and {c.clause.section[-1] for c in answer.citations} == {"一、做强优势产业集群"}
    assert "牵头单位：市工信局" in answer.answer[:120] and "牵头单位：市农业农村局" in answer.answer


def test_the_plans_own_place_in_its_tasks_does_not_pick_the_task(plans: QAService) -> None:
    """嘉泷 is in one task's name (“嘉泷夜校”): as a keyword it must not outweigh what is asked."""
    answer = plans.ask("嘉泷市老人吃饭难的事归谁管？")
    assert answer.answerable and "老年助餐" in answer.citations[0].clause.text
    assert "市民政局" in answer.answer[:40]


def test_a_table_rows_detail_column_answers_a_count(plans: QAService) -> None:
    answer = plans.ask("嘉泷市城区中小学扩容新增多少学位？")
    assert answer.answerable and "5400个" in answer.answer[:80]


def test_a_section_of_paragraphs_lists_them_and_a_signature_answers_nothing(plans: QAService) -> None:
    listed = plans.ask("苍砺县的保障措施有哪些？")
    assert listed.answerable and len(listed.citations) == 3
    assert all(not c.clause.is_task for c in listed.citations) and "加强组织领导" in listed.answer
    signed = plans.ask("榆浦县修路是哪个部门负责的？")
    assert all(c.clause.is_task for c in signed.citations)  # never the signature line 榆浦县人民政府


def test_an_officials_tasks_are_listed_by_name(plans: QAService) -> None:
    """责任领导：许建平 on five tasks: "许建平负责哪些" lists all five, whatever else the question says."""
    answer = plans.ask("瑶湄市制造业任务里许建平负责哪些？")
    assert answer.answerable and answer.answer.startswith("许建平负责的共5项任务")
    assert all("许建平" in c.clause.leaders for c in answer.citations) and len(answer.citations) == 5


def test_an_office_no_plan_names_is_refused_by_name_beside_the_plans_title_words(plans: QAService) -> None:
    """民生实事 only repeats 嘉泷's plan title: the office is all the question asks about."""
    refused = plans.ask("嘉泷市档案局负责哪些民生实事？")
    assert not refused.answerable and "文件没有提到档案局" in refused.answer
    listed = plans.ask("嘉泷市民政局负责哪些民生实事？")
    assert listed.answerable and listed.answer.startswith("市民政局共涉及")


@pytest.fixture(scope="module")
def portal(layout_service) -> QAService:
    """A portal page with a table per section, cells merged down rows, and a 保障措施 section of paragraphs."""
    return layout_service("liaochuan-2025-rowspan-tables.html")


def test_a_row_under_a_merged_cell_has_its_lead_unit_and_leader(portal: QAService) -> None:
    answer = portal.ask("村卫生室改造提升由哪个部门牵头？")
    assert answer.citations[0].clause.number == 9 and "区卫健局" in answer.answer[:40]
    assert [c.clause.number for c in portal.ask("韩书涛负责哪些任务？").citations] == [7, 8, 9, 10, 11, 12, 13]


def test_the_tasks_due_by_the_years_end_are_those_due_by_december_too(portal: QAService) -> None:
    """年底前 and 2025年12月底前 are one time, asked either way; a year the plan is not of is not it."""
    december = [4, 6, 8, 13, 17, 18, 19, 21, 26]
    for question in ("哪些任务要在年底前完成？", "2025年底前要完成什么？", "12月底前要完成哪些任务？"):
        assert sorted(c.clause.number for c in portal.ask(question).citations) == december, question


def test_a_heading_named_word_for_word_is_the_section_meant(portal: QAService) -> None:
    """保障措施 is the fifth section's heading; the fourth's (兜牢就业和社会保障底线) only holds its word 保障."""
    answer = portal.ask("保障措施有哪些？")
    assert answer.answer.startswith("“保障措施”部分共2项") and all(not c.clause.is_task for c in answer.citations)
    assert portal.ask("社会保障方面有哪些任务？").answer.startswith("“兜牢就业和社会保障底线")


def test_the_tasks_with_no_end_are_listed_however_the_plan_words_it(portal: QAService) -> None:
    """长期推进 asked, 长期坚持 printed: the task whose 完成时限 sets no end; a task's own 持续 is no such list."""
    for question in ("哪些任务是长期推进的？", "持续推进的工作有哪些？"):
        answer = portal.ask(question)
        assert answer.answer.startswith("完成时限为长期或持续推进的共1项"), question
        assert [c.clause.number for c in answer.citations] == [11]
    assert not portal.ask("持续改善空气质量谁牵头？").answer.startswith("完成时限")
