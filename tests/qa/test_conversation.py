from __future__ import annotations

from qa.conversation import other_place, previous_context
from qa.markers import marked_ids
from qa.models import Turn


def test_markers_round_trip_to_clause_ids(seed_corpus) -> None:
    text = "〔2023分工方案第18条〕牵头单位……\n〔2023工作要点第14条〕加快建设〔2023分工方案第18条〕"
    assert marked_ids(text, seed_corpus) == ["2023分工方案-18", "2023工作要点-14"]


def test_previous_context_takes_last_question_and_its_citations(seed_corpus) -> None:
    history = [
        Turn("user", "机场有什么安排"),
        Turn("assistant", "〔2023分工方案第17条〕……"),
        Turn("user", "中欧班列谁负责"),
        Turn("assistant", "〔2023分工方案第18条〕……〔2023工作要点第99条〕"),
    ]
    context = previous_context(history, seed_corpus)
    assert context is not None
    assert context.question == "中欧班列谁负责"
    assert context.clause_ids == ("2023分工方案-18",)  # an unknown marker is ignored


def test_no_user_turn_no_context(seed_corpus) -> None:
    assert previous_context([Turn("assistant", "你好")], seed_corpus) is None


def test_a_refusal_cites_nothing_for_a_follow_up(seed_corpus) -> None:
    history = [Turn("user", "高铁票价多少"), Turn("assistant", "文件中没有找到相关规定。以下条款可能相关：〔2023分工方案第17条〕")]
    context = previous_context(history, seed_corpus)
    assert context is not None and context.clause_ids == ()


def test_a_follow_up_naming_only_the_other_place_asks_the_previous_question_of_it() -> None:
    places = ("济南市", "临沂市")
    assert other_place("临沂", "济南市教育局负责哪些任务？", places) == "临沂市教育局负责哪些任务?"
    assert other_place("临沂市", "济南的文旅局要干啥", places) == "临沂的文旅局要干啥"
    assert other_place("临沂", "济南和临沂怎么合作？", places) is None  # it named both already
    # a district and a county: the full name replaced, suffix and all
    assert other_place("澜屿县", "鹭汀区住建局负责哪些任务？", ("鹭汀区", "澜屿县")) == "澜屿县住建局负责哪些任务?"
    # …but not where the suffix character begins the unit's own name (市场监管局)
    assert other_place("鹭汀区", "云川市场监管局负责哪些任务？", ("云川市", "鹭汀区")) == "鹭汀市场监管局负责哪些任务?"
    assert other_place("牵头单位", "济南市教育局负责哪些任务？", places) is None


def test_a_short_question_naming_a_thing_of_its_own_is_no_follow_up(layout_service) -> None:
    """After a unit's list, "民宿有什么安排？" asks about 民宿 (a noun the last turn never touched); "谁牵头？" then
    continues it, and "什么时候完成？" (a verb, no thing) continues that."""
    service = layout_service("mingshui-2024-padded-names.txt", "tangxi-2025-brand-items.txt")
    first = "明水县住建局负责什么？"
    history = [Turn("user", first), Turn("assistant", service.ask(first).answer)]
    alone, after = service.ask("民宿有什么安排？"), service.ask("民宿有什么安排？", history)
    assert after.answerable and [c.clause.clause_id for c in after.citations] == [c.clause.clause_id for c in alone.citations]
    assert "民宿" in after.citations[0].clause.text
    history += [Turn("user", "民宿有什么安排？"), Turn("assistant", after.answer)]
    lead = service.ask("谁牵头？", history)
    assert lead.answerable and "民宿" in lead.citations[0].clause.text and "县文旅局" in lead.answer
    history += [Turn("user", "谁牵头？"), Turn("assistant", lead.answer)]
    when = service.ask("什么时候完成？", history)  # of 民宿's tasks (they give no time): never another plan's task
    assert not when.citations or "民宿" in when.citations[0].clause.text


def test_a_place_asked_after_a_place_swaps_the_place_of_the_question_as_answered(seed_corpus) -> None:
    """济南市教育局负责哪些任务？ → 临沂的呢？ → 济南的呢？: the third asks the first question of 济南 again, not the
    words 临沂的呢."""
    history = [
        Turn("user", "济南市教育局负责哪些任务？"), Turn("assistant", "〔2023分工方案第37条〕……"),
        Turn("user", "临沂的呢？"), Turn("assistant", "〔2023分工方案第38条〕……"),
    ]
    context = previous_context(history, seed_corpus)
    assert context is not None and context.question == "临沂市教育局负责哪些任务?"
    assert context.clause_ids == ("2023分工方案-38",)
    history += [Turn("user", "那机场呢？"), Turn("assistant", "〔2023分工方案第17条〕……")]
    assert previous_context(history, seed_corpus).question == "那机场呢？"  # no place: the words themselves


def test_how_many_of_them_it_leads_after_a_units_list_counts_the_tasks_it_leads(service) -> None:
    first = "济南市教育局负责哪些任务？"
    whole = service.ask(first)
    led = service.ask("其中牵头的有几项？", [Turn("user", first), Turn("assistant", whole.answer)])
    alone = service.ask("济南市教育局牵头哪些任务？")
    assert len(whole.citations) > len(led.citations) > 0
    assert [c.clause.clause_id for c in led.citations] == [c.clause.clause_id for c in alone.citations]


def test_a_list_of_the_tasks_a_unit_leads_says_it_leads_them(service) -> None:
    """Not "共涉及2项任务（其中牵头2项）": the unit takes part in more than the two it leads."""
    led = service.ask("济南市教育局牵头哪些任务？")
    assert led.answer.startswith(f"济南市教育局牵头{len(led.citations)}项任务：") and "（牵头）" not in led.answer
    assert "牵头的全部" in led.why


def test_a_follow_up_naming_only_what_it_is_about_asks_what_the_last_question_asked(service) -> None:
    """"那临沂呢？" after "…由谁牵头？" asks who leads (units named), not what the clause says."""
    first = "职业教育协作由谁牵头？"
    answer = service.ask(first)
    follow = service.ask("那临沂呢？", [Turn("user", first), Turn("assistant", answer.answer)])
    assert follow.question_type == "responsibility" and "临沂市教育局" in follow.answer[:60]
