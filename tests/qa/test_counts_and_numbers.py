"""Questions staff ask of a plan as a whole or of one numbered task: how many tasks it has, how many a unit
leads, what 第N条 says, who an official padded in a table cell (周 岚) oversees; and typed facts (money, a
time) answered only by a clause that states them."""

from __future__ import annotations

import pytest

from qa.analysis import about_whole_plan, clause_numbers, counts_items
from qa.models import Turn
from qa.service import QAService


@pytest.fixture(scope="module")
def county(layout_service) -> QAService:
    return layout_service("mingshui-2024-padded-names.txt")


@pytest.fixture(scope="module")
def two_plans(layout_service) -> QAService:
    return layout_service("mingshui-2024-padded-names.txt", "lvting-2024-aligned-table.txt")


def test_clause_numbers_are_read_in_digits_and_in_chinese() -> None:
    assert clause_numbers("第5条是什么") == ("5",)
    assert clause_numbers("第十二项任务谁牵头") == ("12",)
    assert clause_numbers("2024年第4.1条是什么") == ("4.1",)  # as a plan numbered per section is cited
    assert clause_numbers("第一批试点有哪些") == ()


def test_a_count_of_items_is_not_a_count_of_a_quantity() -> None:
    assert counts_items("number", ("项",)) and counts_items(None, ("条",))
    assert not counts_items("number", ("所",)) and not counts_items("number", ())


def test_only_words_for_the_plan_and_its_items_leave_the_whole_plan() -> None:
    assert about_whole_plan("这个方案 一共 任务") and about_whole_plan("")
    assert not about_whole_plan("幼儿园 任务")


@pytest.mark.parametrize("question", ["这个方案一共有多少项任务？", "共有几项任务？", "分解表里一共几条？"])
def test_how_many_tasks_counts_and_lists_every_task(county: QAService, question: str) -> None:
    answer = county.ask(question)
    assert answer.answerable, answer.why
    assert "共列出4项任务" in answer.answer
    assert [c.clause.number for c in answer.citations] == [1, 2, 3, 4]


def test_how_many_tasks_of_several_plans_counts_each(two_plans: QAService) -> None:
    answer = two_plans.ask("一共有多少项任务？")
    assert "《明水县2024年民生工作目标任务分解表》4项" in answer.answer
    assert "《绿汀县2024年重点工作任务分解表》5项" in answer.answer and "共9项任务" in answer.answer


def test_how_many_tasks_a_unit_leads_is_its_list(county: QAService) -> None:
    answer = county.ask("县住建局牵头几项任务？")
    assert answer.question_type == "unit_list"
    assert [c.clause.number for c in answer.citations] == [3]
    assert answer.answer.startswith("县住建局牵头1项任务")


def test_a_task_named_by_its_number_is_answered_from_it(county: QAService) -> None:
    answer = county.ask("第二项任务谁牵头？")
    assert answer.answerable and [c.clause.number for c in answer.citations] == [2]
    assert answer.answer.splitlines()[0].startswith("〔2024任务分解表第2条〕牵头单位：县卫健局")


def test_a_numbered_task_that_states_no_time_is_refused_saying_so(county: QAService) -> None:
    answer = county.ask("第1条什么时候完成？")
    assert not answer.answerable and "没有写明完成时间" in answer.answer
    assert county.ask("第3条什么时候完成？").answerable  # 年底前投入使用


def test_a_date_answer_leads_with_the_clauses_one_deadline(county: QAService) -> None:
    answer = county.ask("县城公共停车场什么时候投入使用？")
    assert answer.answerable and answer.answer.startswith("〔2024任务分解表第3条〕完成时限：年底前。")


@pytest.mark.parametrize("name, numbers", [("周岚", [1]), ("何平", [2]), ("韩雪", [2, 3])])
def test_a_padded_leader_name_lists_the_tasks_they_oversee(county: QAService, name: str, numbers: list[int]) -> None:
    answer = county.ask(f"{name}分管哪些任务？")
    assert answer.answerable, answer.why
    assert sorted(c.clause.number for c in answer.citations) == numbers


def test_money_is_answered_only_where_a_clause_states_an_amount(county: QAService) -> None:
    """The clause on 幼儿园 has figures (3所, 900个, 90%), none of them money."""
    answer = county.ask("新建公办幼儿园安排了多少资金？")
    assert not answer.answerable and ("没有写明资金" in answer.answer or "没有写明金额" in answer.answer)


@pytest.mark.parametrize(("question", "missing"), [
    ("帮助多少名退役军人就业？", "退役军人"),  # the plan counts 1200名农村劳动力, nobody else
    ("新增多少个充电桩？", "充电"),  # 600个 are 停车泊位 (jieba: 充电 + 桩)
])
def test_a_count_of_something_the_documents_never_name_is_refused_naming_it(
    county: QAService, question: str, missing: str
) -> None:
    answer = county.ask(question)
    assert not answer.answerable and f"文件没有提到{missing}" in answer.answer


@pytest.mark.parametrize("question", ["帮助多少名农村劳动力转移就业？", "新增多少个停车位？"])
def test_a_count_of_something_the_documents_name_is_answered(county: QAService, question: str) -> None:
    """停车位 is not the plan's word (停车泊位), but its parts are: a word for the model to judge, not refused."""
    assert county.ask(question).answerable


def test_which_task_an_official_or_a_unit_is_named_in_lists_those_tasks(county: QAService) -> None:
    """"X是哪个任务的责任领导": the tasks X oversees, as "X负责哪些工作" lists them; so for a unit's 牵头单位."""
    official = county.ask("周岚是哪个任务的责任领导？")
    assert official.answer.startswith("周岚负责的共1项任务") and official.citations[0].clause.number == 1
    assert county.ask("周岚负责几项任务？").answer.startswith("周岚负责的共1项任务")  # counted, as listed
    unit = county.ask("县人社局是哪项任务的牵头单位？")
    assert unit.answer.startswith("县人社局牵头1项任务") and unit.citations[0].clause.number == 4


def test_an_unstated_fact_of_an_official_names_the_official_the_plan_names(county: QAService) -> None:
    """欧阳明远 is in the 分管县领导 cells, not the wording: "文件提到欧阳明远", not "nothing to look for"."""
    answer = county.ask("欧阳明远的办公电话是多少？")
    assert not answer.answerable and "文件提到欧阳明远，但没有写明办公电话" in answer.answer


@pytest.fixture(scope="module")
def ledger(layout_service) -> QAService:
    """A department's 台账 whose rows are short of a merged cell, with a web page's 发布机构 / 发文日期 block."""
    return layout_service("lanxi-2024-merged-cells.txt")


def test_an_office_of_a_short_row_is_its_unit_not_its_wording(ledger: QAService) -> None:
    answer = ledger.ask("港航管理科负责哪些任务？")
    assert answer.answerable and [c.clause.number for c in answer.citations][:1] == [3]
    assert "港航管理科" not in answer.citations[0].clause.body


def test_a_time_of_a_short_row_is_its_deadline(ledger: QAService) -> None:
    answer = ledger.ask("水上交通应急演练什么时候完成？")
    assert answer.answerable and "长期坚持" in answer.answer.splitlines()[0][:40]


def test_tasks_of_a_deadline_are_listed_with_it(ledger: QAService) -> None:
    """长期坚持 is printed in the 完成时限 column only, never in a task's wording."""
    answer = ledger.ask("哪些任务要长期坚持？")
    assert answer.answerable and [c.clause.number for c in answer.citations] == [3, 5]
    assert all("完成时限：长期坚持" in line for line in answer.answer.splitlines()[1:])


def test_the_date_of_the_page_block_is_the_plans_date(ledger: QAService) -> None:
    answer = ledger.ask("这个台账是哪天印发的？")
    assert answer.answerable and "2024年2月20日" in answer.answer
    assert any("发文日期" in c.clause.text for c in answer.citations)


def test_a_count_after_a_question_about_a_unit_is_not_of_the_whole_plan(county: QAService) -> None:
    history = (Turn("user", "县住建局负责哪些任务？"), Turn("assistant", county.ask("县住建局负责哪些任务？").answer))
    answer = county.ask("一共几项？", history=history)
    assert answer.answerable and answer.answer.startswith("县住建局共涉及2项任务")


@pytest.fixture(scope="module")
def rectification(layout_service) -> QAService:
    return layout_service("heyang-2024-rectification-list.txt")


def test_units_named_in_the_rectification_sentence_answer_who(rectification: QAService) -> None:
    answer = rectification.ask("共享单车乱停乱放谁牵头整改？")
    assert answer.answerable and answer.answer.splitlines()[0].startswith("〔整改清单第4条〕牵头单位：城关街道")


def test_a_task_that_names_nobody_says_so_when_asked_who(rectification: QAService) -> None:
    answer = rectification.ask("第5条谁负责？")
    assert answer.answerable and "（该条未列明责任单位）" in answer.answer


@pytest.mark.parametrize("question", ["一共有多少项民生工作？", "分解表里共有多少个项目？"])
def test_a_count_in_the_plans_own_words_is_of_its_tasks(county: QAService, question: str) -> None:
    assert "共列出4项任务" in county.ask(question).answer


def test_a_count_of_things_a_task_builds_is_not_of_the_tasks(county: QAService) -> None:
    assert "共列出" not in county.ask("一共新建多少个停车场？").answer


def test_a_plan_that_marks_no_lead_says_nothing_of_leads(ledger: QAService) -> None:
    answer = ledger.ask("办公室负责哪些任务？")
    assert answer.answer.startswith("办公室共涉及") and "牵头" not in answer.answer.splitlines()[0]


def test_an_iso_date_of_the_page_block_answers_when_it_was_issued(layout_service) -> None:
    answer = layout_service("songxi-2025-number-inside.txt").ask("这个清单是哪天发布的？")
    assert answer.answerable and "2025年2月18日" in answer.answer


def test_a_unit_list_of_the_named_county_names_only_that_countys_unit(layout_service) -> None:
    """Two counties' plans both have a 县农业农村局: asked with one county's name, the list and its head are that
    county's alone."""
    service = layout_service("mingshui-2024-padded-names.txt", "tangxi-2025-brand-items.txt")
    answer = service.ask("明水县农业农村局负责哪些工作？")
    head = answer.answer.splitlines()[0]
    assert head.startswith("县农业农村局（明水县）共涉及1项任务"), head
    assert "棠溪" not in head and [c.clause.document_id for c in answer.citations] == [answer.citations[0].clause.document_id]
    both = service.ask("县农业农村局负责哪些工作？").answer.splitlines()[0]
    assert "（明水县）" in both and "（棠溪县）" in both


def test_a_count_of_the_plans_items_in_jian_lists_them(layout_service) -> None:
    """多少件民生实事: 件 is a measure of a plan's items, as 项 and 条 are; it had been read as part of the topic."""
    answer = layout_service("liuting-2024-inline-labels.txt").ask("一共有多少件民生实事？")
    assert answer.answerable and "共列出3项任务" in answer.answer, answer.answer[:80]


def test_a_question_about_progress_leads_with_the_progress_the_note_reports(layout_service) -> None:
    """已经 / 了多少 / 目前进展 ask what is done so far: the note's 实际完成情况 leads (it is never a target); a question
    about the commitment (要建多少个) gets the task's own wording only."""
    service = layout_service("liuting-2024-inline-labels.txt")
    done = service.ask("口袋公园建了多少个了？").answer
    assert done.startswith("〔2024情况公示第1条〕实际完成情况：已建成12个"), done
    assert "实际完成情况" in service.ask("养老床位目前进展如何？").answer
    assert "实际完成情况" not in service.ask("口袋公园要建多少个？").answer


def test_a_table_rows_progress_cell_answers_a_question_about_progress(layout_service) -> None:
    """A progress column (落实进展情况) is a field of the row, not its wording: it leads the answer, as printed."""
    answer = layout_service("nanyu-2023-progress.html").ask("供水管网改造完成了多少？").answer
    assert answer.startswith("〔2023进展情况第1条〕落实进展情况：已完成改造12.6公里"), answer


def test_the_tasks_due_by_a_time_of_the_plans_year_are_those_due_then(layout_service) -> None:
    """2024年6月底前 of a 2024 plan whose deadlines say 6月底前, no year: the plan's own year."""
    service = layout_service("shenping-2024-you-lead-first.txt")
    due = service.ask("2024年6月底前要完成什么？")
    assert due.answer.startswith("完成时限为2024年6月底前的共1项") and [c.clause.number for c in due.citations] == [5]


def test_the_tasks_due_by_a_time_are_listed(layout_service) -> None:
    """"9月底前要完成什么": every task whose deadline is that time (2025年9月底前 is due by 9月底前); a question that
    names a task (物流配送中心什么时候建成) is no such list."""
    service = layout_service("cangli-2025-implementation.txt")
    due = service.ask("9月底前要完成什么？")
    assert due.answer.startswith("完成时限为9月底前的共1项") and [c.clause.number for c in due.citations] == [1]
    assert [c.clause.number for c in service.ask("哪些任务要在年底前完成？").citations] == [3]
    assert not service.ask("物流配送中心什么时候建成？").answer.startswith("完成时限为")


def test_a_count_of_people_is_answered_only_by_a_number_of_them(service) -> None:
    """The cadre exchange task sends cadres without saying how many: refused, the count named as missing (not the
    piece 人去 of 多少人去); the teachers' task says 20名左右 and answers."""
    cadres = service.ask("两市互派挂职干部多少名？")
    assert not cadres.answerable and "没有写明具体数量" in cadres.answer
    assert "人去" not in service.ask("济南派多少人去临沂挂职？").answer
    assert service.ask("每学年选派多少名教师？").answerable
