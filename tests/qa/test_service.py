"""End-to-end answers on the real corpus and index: the right clauses, units, spans, lists and refusals."""

from __future__ import annotations

import pytest

from corpus.text import normalise
from qa.models import REFUSAL, Answer, Turn
from qa.service import QAService


def _ids(answer: Answer) -> list[str]:
    return [c.clause.clause_id for c in answer.citations]


def _id(corpus, short: str, number: int) -> str:
    """The id of a seed clause, by its document's short name and printed number (ids are opaque)."""
    return next(c.clause_id for c in corpus.clauses if c.short_name.endswith(short) and c.number == number)


def _assert_extractive(answer: Answer) -> None:
    """Every highlight is a span of its clause, and every quoted span appears verbatim in the answer."""
    for citation in answer.citations:
        for start, end in citation.highlights:
            assert 0 <= start < end <= len(citation.clause.text)
        start, end = citation.highlights[0]
        assert citation.clause.text[start:end] in answer.answer


def test_responsibility_names_units_from_the_parsed_note(service: QAService, seed_corpus) -> None:
    answer = service.ask("中欧班列由哪些部门负责？")
    assert answer.answerable and answer.question_type == "responsibility"
    assert _id(seed_corpus, "分工方案", 18) in _ids(answer)
    for unit in ("济南市交通运输局", "临沂市交通运输局", "济南市口岸物流办"):
        assert unit in answer.answer
    assert answer.why and answer.support >= service.calibration.judge.answer_threshold
    _assert_extractive(answer)


@pytest.mark.parametrize("question", ["中欧班列 责任部门", "中欧班列归谁管", "谁负责中欧班列集结中心"])
def test_keyword_and_reordered_responsibility_questions(service: QAService, question: str) -> None:
    answer = service.ask(question)
    assert answer.question_type == "responsibility" and answer.answerable
    assert "济南市交通运输局" in answer.answer


def test_lead_question_leads_with_the_lead_units(service: QAService, seed_corpus) -> None:
    answer = service.ask("红色文化论坛谁牵头？")
    assert _ids(answer)[0] == _id(seed_corpus, "分工方案", 1)
    first = answer.answer.splitlines()[0]
    assert first.index("牵头单位：济南市委宣传部、临沂市委宣传部") < first.index("红色文化论坛")


def test_answers_use_the_documents_own_label_for_shared_units(service: QAService) -> None:
    answer = service.ask("红色文化论坛谁牵头？")
    label = answer.citations[0].clause.unit_label
    assert label and f"{label}：" in answer.answer


def test_target_question_quotes_the_number(service: QAService, seed_corpus) -> None:
    answer = service.ask("每学年选派多少名教师赴临沂支教？")
    assert answer.answerable and _ids(answer)[0] == _id(seed_corpus, "工作要点", 34)
    assert "20名左右" in answer.answer[:120]
    _assert_extractive(answer)


def test_everyday_words_reach_the_documents_terms(service: QAService, seed_corpus) -> None:
    answer = service.ask("派多少老师去临沂支教？")  # 老师 for the documents' 教师
    assert answer.answerable and _ids(answer)[0] == _id(seed_corpus, "工作要点", 34)


def test_topic_spanning_both_documents_cites_both(service: QAService, seed_corpus) -> None:
    answer = service.ask("飞机场有什么建设安排？")
    assert {_id(seed_corpus, "分工方案", 17), _id(seed_corpus, "工作要点", 13)} <= set(_ids(answer))
    _assert_extractive(answer)


def test_pairing_question(service: QAService) -> None:
    answer = service.ask("历下区和哪个县结对？")
    assert answer.answerable and "沂水县" in answer.answer


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("济南市教育局负责哪些任务？", ["济南市教育局"]),
        ("临沂文旅局要干啥", ["临沂市文化和旅游局"]),
        ("发改委都负责哪些工作", ["济南市发展改革委", "临沂市发展改革委"]),
    ],
)
def test_unit_questions_are_exhaustive_lead_first(service: QAService, seed_corpus, question, units) -> None:
    answer = service.ask(question)
    assert answer.question_type == "unit_list" and answer.answerable
    expected = {c.clause_id for u in units for c in seed_corpus.for_unit(u)}
    ids = _ids(answer)
    assert set(ids) == expected and len(ids) == len(expected)
    leads = [set(units) & set(c.clause.lead_units) != set() for c in answer.citations]
    assert leads == sorted(leads, reverse=True)


def test_a_section_question_lists_every_clause_of_the_section(service: QAService, seed_corpus) -> None:
    section = next(c.section for c in seed_corpus.clauses if c.section and "资金保障" in c.section[-1])
    expected = {c.clause_id for c in seed_corpus.clauses if c.section == section}
    answer = service.ask("“加强资金保障”包括哪些措施？")
    assert answer.question_type == "section_list" and answer.answerable
    assert expected <= set(_ids(answer))
    assert f"共{len(answer.citations)}项" in answer.answer
    _assert_extractive(answer)


def test_a_kind_of_thing_lists_every_clause_that_states_it(service: QAService, seed_corpus) -> None:
    expected = {c.clause_id for c in seed_corpus.clauses if "专项实施方案" in normalise(c.text)}
    answer = service.ask("都要编制哪些专项实施方案？")
    assert answer.question_type == "section_list"
    assert set(_ids(answer)) == expected and len(expected) >= 3


def test_unstated_attribute_is_refused_with_what_is_missing(service: QAService, seed_corpus) -> None:
    answer = service.ask("临沂机场的票价是多少？")
    assert not answer.answerable and answer.citations == ()
    assert answer.answer.startswith(REFUSAL) and "没有写明" in answer.answer and "票价" in answer.answer
    airport = {c.clause_id for c in seed_corpus.clauses if "机场" in c.text}
    assert {c.clause.clause_id for c in answer.see_also} & airport  # related by the thing named
    assert "低于" in answer.why


@pytest.mark.parametrize(("question", "unstated"), [("中欧班列谁牵头，什么时候完成？", "完成时间"),
                                                  ("临沂启阳机场改扩建谁负责，投资多少钱？", "金额")])
def test_a_two_part_question_gets_the_part_the_documents_state(service: QAService, question, unstated) -> None:
    """Who is stated and when (or how much) is not: the units, and a line saying what is not written."""
    answer = service.ask(question)
    assert answer.answerable and "交通运输局" in answer.answer
    assert answer.answer.endswith(f"文件没有写明{unstated}。") and unstated in answer.why
    assert not service.ask("中欧班列什么时候完成？").answerable  # asked alone, it is still refused
    stated = service.ask("支教老师派多少人，谁负责？")  # both parts stated: no such line
    assert "20名" in stated.answer and "教育局" in stated.answer and "没有写明" not in stated.answer


def test_who_leads_a_word_of_a_heading_is_one_task_not_the_section(service: QAService) -> None:
    """革命文物 is a word of "保护利用烈士纪念设施和革命文物", not that heading: the task on it answers."""
    answer = service.ask("革命文物 牵头单位")
    assert answer.answerable and "部分共" not in answer.answer
    assert "革命文物" in answer.citations[0].clause.text and "文化和旅游局" in answer.answer[:60]


def test_a_refusal_names_the_department_the_documents_never_mention(service: QAService) -> None:
    """Only in a refusal the judge makes anyway: a department name the unit directory cannot resolve may be a
    staff member's short form of one the documents do name."""
    answer = service.ask("省审计厅的联系电话是多少？")
    assert not answer.answerable and answer.citations == ()
    assert "文件没有提到省审计厅" in answer.answer and "省审计厅" in answer.why
    assert "文件没有提到" not in service.ask("济南市教育局负责哪些任务？").answer  # one it does name


def test_the_tasks_of_an_office_no_unit_could_be_short_for_are_refused(service: QAService) -> None:
    """"体育局负责哪些任务" of plans with no such office: refused by name, whatever clause looks close; an
    abbreviation of a unit they do name (发改局 of 发展改革委) is left for the judge."""
    answer = service.ask("济南市体育局负责哪些任务？")
    assert not answer.answerable and answer.citations == () and "文件没有提到济南市体育局" in answer.answer
    assert "文件没有提到" not in service.ask("济南市发改局负责哪些任务？").answer


@pytest.mark.parametrize("question", ["What is the ticket price of the airport?", "啊啊啊啊", "今天天气怎么样"])
def test_nonsense_gets_a_plain_refusal(service: QAService, question: str) -> None:
    answer = service.ask(question)
    assert not answer.answerable and answer.see_also == () and answer.answer == REFUSAL


def test_follow_up_resolves_against_previous_turn(service: QAService, seed_corpus) -> None:
    first = service.ask("中欧班列由哪些部门负责？")
    history = [Turn("user", "中欧班列由哪些部门负责？"), Turn("assistant", first.answer)]
    follow = service.ask("那2023年有什么具体安排？", history)
    assert follow.answerable and _ids(follow)[0] == _id(seed_corpus, "工作要点", 14)


def test_timings_name_every_step(service: QAService) -> None:
    timings = service.ask("中欧班列由哪些部门负责？").timings_ms
    assert {"embed", "analyse", "retrieve", "search", "judge", "select", "compose", "total"} <= set(timings)


def test_same_question_in_full_width_gives_same_answer(service: QAService) -> None:
    half = service.ask("党校每年请专家授课不少于2次吗?")
    full = service.ask("党校每年请专家授课不少于２次吗？")
    assert _ids(half) == _ids(full)
    assert normalise(half.answer) == normalise(full.answer)


def test_the_synonyms_join_the_keyword_search_below_the_question_words(service: QAService) -> None:
    plain = service.retriever.search("看病", k=5, mode="keyword")
    expanded = service.retriever.search("看病", k=5, mode="keyword", expansion=("就医",), expansion_weight=0.5)
    assert not plain  # no clause says 看病
    assert "就医" in expanded[0].clause.text and expanded[0].ranks["expansion"] == 1
    # a question word outweighs the same word as a synonym
    own = service.retriever.search("就医", k=1, mode="keyword")[0]
    assert own.scores["keyword"] > expanded[0].scores["keyword"]


def test_list_words_turn_a_topic_question_into_an_exhaustive_list(service: QAService, seed_corpus) -> None:
    expected = {c.clause_id for c in seed_corpus.clauses if "检验检测" in normalise(c.text)}
    answer = service.ask("检验检测方面有哪些合作任务？")
    assert answer.question_type == "section_list" and set(_ids(answer)) == expected and len(expected) >= 2
    head = answer.answer.splitlines()[0]  # the list opens with one key phrase per item, then the items
    assert head.count("；") == len(expected) - 1 and head.endswith("。")


def test_a_count_of_a_units_tasks_is_its_list(service: QAService, seed_corpus) -> None:
    answer = service.ask("济南市教育局负责几项工作？")
    expected = {c.clause_id for c in seed_corpus.for_unit("济南市教育局")}
    assert answer.question_type == "unit_list" and set(_ids(answer)) == expected
    assert f"共涉及{len(expected)}项任务" in answer.answer


def test_an_issuers_place_is_no_kind_of_thing(service: QAService) -> None:
    """Half the tasks name 临沂市: that says whose tasks they are, not what kind of thing they state."""
    assert "写明“临沂市”" not in service.ask("临沂市有哪些任务？").answer
    assert "写明“济南”" not in service.ask("济南有哪些任务？").answer


def test_a_name_is_answered_only_where_a_clause_states_one(service: QAService) -> None:
    """The seed's tasks name no official: who heads an office, or which leader oversees a task, is refused,
    however close the task itself is; what the documents lack is said."""
    for question in ("临沂高新区管委会主任是谁？", "5G示范应用由哪位领导分管？"):
        answer = service.ask(question)
        assert not answer.answerable and answer.citations == ()
        assert "没有写明" in answer.answer


def test_the_documents_own_facts_are_answered_from_the_notice_lines_that_print_them(service: QAService) -> None:
    """文号, 印发日期 and 发文单位 are the plan's, not a task's: the answer states them and cites the notice's own
    lines (passages), for a plan wrapped with another in one notice too."""
    number = service.ask("这份通知的文号是多少？")
    assert number.answerable and "济政办字〔2023〕28号" in number.answer
    assert number.citations and all(not c.clause.is_task for c in number.citations)
    issuers = service.ask("工作要点是哪个单位印发的？")
    assert "济南市人民政府办公厅、临沂市人民政府办公室" in issuers.answer and "工作要点" in issuers.answer.split("。")[0]
    assert "2023年6月29日" in service.ask("这份通知是什么时候印发的？").answer


def test_a_heading_like_opening_is_never_the_quote(service: QAService, seed_corpus) -> None:
    """The heading "加大人才保障力度。" matches the topic word for word, but the quote is what the item does."""
    answer = service.ask("人才保障方面有哪些安排？")
    item = _id(seed_corpus, "工作要点", 43)
    citation = next(c for c in answer.citations if c.clause.clause_id == item)
    start, end = citation.highlights[0]
    quoted = citation.clause.text[start:end]
    assert "人才保障力度" not in quoted and len(quoted) > 20
    _assert_extractive(answer)


def test_units_named_as_sharing_tasks_list_only_the_tasks_each_shares(service: QAService, seed_corpus) -> None:
    """"X和Y共同负责哪些": the tasks both take part in, not every task of either."""
    joint = service.ask("济南市教育局和济南市科技局共同负责哪些？")
    either = service.ask("济南市教育局和济南市科技局负责哪些？")
    shared = seed_corpus.tasks_of(["济南市教育局"]) & seed_corpus.tasks_of(["济南市科技局"])
    assert joint.answerable and {c.clause.clause_id for c in joint.citations} == shared
    assert len(either.citations) > len(joint.citations) and "共同涉及" in joint.answer


def test_nothing_due_by_a_time_is_said_so(service: QAService) -> None:
    """The seed's plans set no deadlines: "年底前要完成什么" is refused as such, not answered from a task's wording."""
    answer = service.ask("年底前要完成什么？")
    assert not answer.answerable and answer.citations == () and "完成时限为年底前" in answer.why
