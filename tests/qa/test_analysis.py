"""Step 1: question type (classifier + cues), units, document, asked fact, topic, follow-ups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.text import normalise
from index.tokenizer import ChineseTokenizer
from qa.analysis import (
    Analyser,
    QuestionType,
    asked_measure,
    asked_type,
    asks_who_and_a_fact,
    beyond_title,
    cue_in,
    document_facts,
    headings,
    topic_of,
    wants_lead,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("中欧班列由哪些部门负责？", QuestionType.RESPONSIBILITY),
        ("红色文化论坛谁牵头？", QuestionType.RESPONSIBILITY),
        # keyword style and word orders the old rules typed as topics
        ("中欧班列 责任部门", QuestionType.RESPONSIBILITY),
        ("飞机场改扩建归谁管", QuestionType.RESPONSIBILITY),
        ("谁负责中欧班列集结中心", QuestionType.RESPONSIBILITY),
        ("哪位市领导负责红色文化工作？", QuestionType.RESPONSIBILITY),  # a person asked, not a section's list
        ("哪位副市长负责红色文化？", QuestionType.RESPONSIBILITY),
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


def test_who_and_a_fact_asked_in_parts_of_their_own() -> None:
    assert asks_who_and_a_fact("中欧班列谁牵头，什么时候完成？")
    assert asks_who_and_a_fact("机场改扩建投资多少钱,由哪个部门负责")
    assert not asks_who_and_a_fact("充电桩项目分管领导的手机号是多少？")  # a fact of the responsible, one part
    assert not asks_who_and_a_fact("中欧班列谁牵头？") and not asks_who_and_a_fact("中欧班列什么时候完成？")


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
        ("城投集团的总经理是谁", "person"),  # a company's head: a name, not a unit
        ("农村公路每公里造价", "money"),
        ("什么时候完成？", "date"),
        ("完成时限是哪天", "date"),
        ("分成比例是多少", "percent"),
        ("项目总投资多少钱", "money"),
        ("派多少名老师", "number"),
        ("谁负责", "unit"),
        ("X归哪个部门管", "unit"),
        ("有什么安排", None),
        ("一般公共预算收入计划增长多少", "percent"),  # a growth rate, though 预算 names money
        ("社会消费品零售总额增长目标是什么", "percent"),
        ("财政收入增长多少亿元", "money"),  # the question names the unit it wants
        ("增长目标谁负责", "unit"),
        ("办理时间压减到多少", "number"),  # a quantity of time (1个工作日), not a date
        ("审批时限缩短至几个工作日", "number"),
        ("办理时间是什么时候", "date"),
    ],
)
def test_asked_fact(question: str, asked: str | None) -> None:
    assert asked_type(question) == asked


def test_asked_measures() -> None:
    assert asked_measure("派多少名教师") == (("名",), True)  # a count in 场 or 批 does not answer it
    assert asked_measure("要解决多少人") == (("人", "名"), True)  # 3.5万人 and 20名 both do
    assert asked_measure("建多少个") == (("个",), False)  # 个 counts anything: 5项 answers it
    assert asked_measure("一共有多少件民生实事") == (("件",), True)  # 件 counts a plan's items (30件民生实事)
    assert asked_measure("派多少老师") == (("名",), False)  # the lexicon's measure synonym
    measures, strict = asked_measure("起步区面积有多大")
    assert strict and "平方公里" in measures


def test_cue_pairs_allow_a_gap() -> None:
    assert cue_in("这事归哪个部门管", (), (("归", "管", 6),))
    assert not cue_in("归属于管理", (), (("归", "理", 1),))


def test_topic_drops_question_words_and_years() -> None:
    assert topic_of("2023年中欧班列由哪些部门负责？", frozenset()) == "中欧班列"


def test_a_filler_inside_a_word_stays_in_the_topic() -> None:
    """大项 is a section word (第三大项), but not inside 重大项目; a question word goes wherever it is."""
    words = ChineseTokenizer([]).words
    assert topic_of("重大项目建设谁牵头", frozenset(), words) == "重大项目建设"
    assert topic_of("重大项目建设谁牵头", frozenset()) != "重大项目建设"  # cut without the word spans
    assert topic_of("今年新建几所学校", frozenset(), words) == "新建 学校"
    assert topic_of("主要预期目标这一部分包括哪些内容", frozenset(), words) == "预期目标"  # 这一部分 points, always cut


def test_which_several_lists_rather_than_counts() -> None:
    assert asked_type("哪几项任务由发改委牵头") is None
    assert asked_type("要建几个园区") == "number"
    assert asked_type("门票多少钱") == "money" and asked_type("税收分成比例") == "percent"


def test_a_money_noun_in_a_who_question_names_the_task() -> None:
    assert asked_type("给小企业发补助，这事谁挑头？") == "unit"
    assert asked_type("补助标准是多少，谁负责？") == "money"  # an amount asked as well


def test_a_few_more_asks_for_more_not_for_a_count() -> None:
    assert asked_type("示范学校要多建几所？") is None  # build a few more
    assert asked_type("最多派几名干部") == "number" and asked_type("至多设几个站点") == "number"
    assert asked_type("每年派几名干部") == "number"
    assert asked_type("去临沂支教的老师名单") == "person"


def _two_years(tmp_path):
    from corpus import load_corpus

    layouts = Path(__file__).resolve().parents[1] / "data" / "layouts"
    for name in ("yunchuan-2023-segments.txt", "yunchuan-2024-segments.txt"):
        shutil.copy2(layouts / name, tmp_path / name)
    return load_corpus(tmp_path)


def test_a_heading_title_is_scored_once_however_many_plans_repeat_it(tmp_path) -> None:
    """Next year's plan repeats this year's headings: each distinct title is scored once a question, titles
    that share no bigram with the topic not at all, and every document's heading of that title is named."""
    from corpus.unit_matcher import UnitMatcher
    from index.tokenizer import ChineseTokenizer
    from qa.lexical import NO_EXPANSIONS, LexicalScorer

    two = _two_years(tmp_path)
    lexical = LexicalScorer((c.text for c in two.clauses), ChineseTokenizer().words)
    scored: list[str] = []

    def cover(topic: str, title: str, expansions) -> float:
        scored.append(title)
        return lexical.coverage(topic, title, expansions)

    analyser = Analyser(UnitMatcher(two.units, two.places), two.documents, two.clauses, lexical.vocabulary, cover,
                        lambda topic: NO_EXPANSIONS, lambda draft: (QuestionType.SECTION_LIST, {}), 0.8, 2)
    every = headings(two.clauses)
    assert len(every) > len({h.title for h in every})  # the titles do repeat
    named = analyser("优化市场环境有哪些任务？", has_history=False).headings
    assert sorted(scored) == sorted(set(scored))
    assert "优化市场环境" in scored and "保障措施" not in scored
    assert [h.title for _, h in named] == ["优化市场环境"] * 2
    # A quoted heading is named as printed, whatever else the question says about the plan.
    scored.clear()
    quoted = analyser("营商环境工作里“优化市场环境”有哪些任务？", has_history=False).headings
    assert not scored and [(score, h.title) for score, h in quoted] == [(1.0, "优化市场环境")] * 2
    assert {h.document_id for _, h in named} == {d.document_id for d in two.documents}
    # The same as scoring every heading, best first, in document order among equals.
    topic = analyser("“优化市场环境”有哪些任务？", has_history=False).subject
    brute = sorted(((round(lexical.coverage(topic, h.title), 4), i, h) for i, h in enumerate(every)
                    if lexical.coverage(topic, h.title) >= 0.8), key=lambda t: (-t[0], -len(t[2].path), t[1]))
    assert named == tuple((score, h) for score, _, h in brute)


@pytest.mark.parametrize(
    ("question", "lead"),
    [("发改委牵头哪些工作", True), ("中欧班列谁牵头？", True), ("发改委牵头或参与哪些工作", False),
     ("参与或者牵头的工作有哪些", False), ("“协同建设产业园区”谁牵头？", True), ("社会资本参与的项目谁牵头", True)],
)
def test_wants_lead_unless_taking_part_is_asked_too(question: str, lead: bool) -> None:
    assert wants_lead(normalise(question)) is lead


def _analyser(tmp_path, *names: str) -> Analyser:
    from corpus import load_corpus
    from corpus.unit_matcher import UnitMatcher
    from index.tokenizer import ChineseTokenizer
    from qa.lexical import NO_EXPANSIONS, LexicalScorer

    layouts = Path(__file__).resolve().parents[1] / "data" / "layouts"
    for name in names:
        shutil.copy2(layouts / name, tmp_path / name)
    corpus = load_corpus(tmp_path)
    lexical = LexicalScorer((c.text for c in corpus.clauses), ChineseTokenizer().words)
    return Analyser(UnitMatcher(corpus.units, corpus.places), corpus.documents, corpus.clauses, lexical.vocabulary,
                    lexical.coverage, lambda topic: NO_EXPANSIONS, lambda draft: (QuestionType.TOPIC, {}), 0.8, 2)


def test_words_of_the_plan_title_are_not_what_a_question_is_about() -> None:
    assert beyond_title("特色产业集群方案", "关于加快培育县域特色产业集群实施方案") == ""
    assert beyond_title("数字经济上管", "柳港市2023年数字经济发展工作要点") == "上管"


def test_a_unit_of_the_plan_named_with_its_place_and_the_plan_title(tmp_path) -> None:
    """青峪县应急局 in 青峪县's plan is its 县应急局; 防灾减灾 repeats the plan's title, so only the unit is asked."""
    analysis = _analyser(tmp_path, "qingyu-2024-group-notes.txt")("青峪县应急局2024年防灾减灾要负责哪些任务？", False)
    assert analysis.units == ("县应急局",) and analysis.content_chars <= 2


def test_one_issuer_s_two_plans_told_apart_by_the_title_s_own_words(tmp_path) -> None:
    analyser = _analyser(tmp_path, "yuze-2024-annex-list.txt")
    plans = {d.title: d.document_id for d in analyser._documents}
    second = next(i for t, i in plans.items() if t.startswith("十项民生实事"))
    assert analyser("榆泽市2024年十项民生实事中新增城镇就业目标是多少人？", False).document == second
    assert analyser("榆泽市2024年地区生产总值要增长多少？", False).document != second  # the title with 2024


def test_a_contact_question_asks_for_a_contact() -> None:
    assert asked_type("招商中心的联系电话是多少") == "contact"
    assert asked_type("区政府网站的网址是什么") == "contact"


def test_what_a_question_asks_about_the_document_itself() -> None:
    assert document_facts("这份方案是什么时候印发的，文号是什么？") == ("number", "date")
    assert document_facts("工作要点是哪个单位印发的？") == ("issuer",)
    assert document_facts("中欧班列谁负责？") == ()


def test_a_unit_whose_name_has_a_bracketed_list_is_all_a_question_asks(tmp_path) -> None:
    """各县（市、区）政府 as printed: its 、 is no break of the question's subject."""
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "澜州市2025年交通工作分工.txt").write_text(
        "澜州市2025年交通工作分工\n"
        "1. 新改建农村公路300公里。（牵头单位：市交通运输局；责任单位：各县（市、区）政府）\n"
        "2. 完成危桥改造20座。（牵头单位：市交通运输局；责任单位：市财政局）\n", encoding="utf-8")
    analysis = _analyser(tmp_path / "plan")("各县（市、区）政府负责哪些任务？", False)
    assert analysis.units == ("各县（市、区）政府",) and analysis.content_chars <= 2


def test_a_place_whose_government_is_a_unit_asked_for_its_tasks_is_that_unit(service) -> None:
    """蒙阴县负责哪些任务: 蒙阴县政府's list; a question about something of the place stays a topic question."""
    place = service.ask("蒙阴县负责哪些任务？")
    government = service.ask("蒙阴县政府负责哪些任务？")
    assert place.question_type == "unit_list" and place.answer.startswith("蒙阴县政府共涉及")
    assert [c.clause.clause_id for c in place.citations] == [c.clause.clause_id for c in government.citations]
    assert service.analyse("蒙阴县的农产品谁负责推销？").units == ()


def test_last_year_is_the_plan_of_the_year_before_the_latest(tmp_path) -> None:
    """去年 of a 2023 and a 2024 plan kept side by side: the 2023 one; 今年 the 2024 one; both words, both plans."""
    analyser = _analyser(tmp_path, "yunchuan-2023-segments.txt", "yunchuan-2024-segments.txt")
    by_year = {d.year: d.document_id for d in analyser._documents}
    assert analyser("去年的招商引资谁牵头？", False).document == by_year[2023]
    assert analyser("今年的招商引资谁牵头？", False).document == by_year[2024]
    assert analyser("今年和去年的招商引资谁牵头？", False).document is None


def test_the_section_marks_a_question_opens_with_are_not_its_topic(service) -> None:
    """"（三）…包括哪些内容": the heading's words are what it names; without the marks, as with them."""
    marked = service.analyse("（八）完善新型基础设施布局包括哪些内容？")
    plain = service.analyse("完善新型基础设施布局包括哪些内容？")
    assert marked.subject == plain.subject and "八" not in marked.topic
    assert [h.title for _, h in marked.headings] == [h.title for _, h in plain.headings] != []
