"""End-to-end answers on the real corpus and index: the right clauses, units, spans and refusals."""

from __future__ import annotations

import pytest

from corpus.text import normalise
from qa.compose import REFUSAL
from qa.models import Answer, Turn
from qa.service import QAService


def _ids(answer: Answer) -> list[str]:
    return [c.clause.clause_id for c in answer.citations]


def _assert_extractive(answer: Answer) -> None:
    """Every quoted line of a topic/target answer is verbatim text of the clause its marker names."""
    by_marker = {c.clause.citation: c.clause for c in answer.citations}
    for line in answer.answer.splitlines():
        marker = next((m for m in by_marker if line.startswith(m)), None)
        if marker:
            for piece in line[len(marker):].split("……"):
                assert piece in by_marker[marker].text


def test_responsibility_names_units_from_the_parsed_parenthesis(service: QAService) -> None:
    answer = service.ask("中欧班列由哪些部门负责？")
    assert answer.answerable and answer.question_type == "responsibility"
    assert "分工方案-18" in _ids(answer)
    for unit in ("济南市交通运输局", "临沂市交通运输局", "济南市口岸物流办"):
        assert unit in answer.answer
    citation = answer.citations[0]
    (start, end), = citation.highlights
    assert citation.clause.text[start:end] == citation.clause.responsibility_raw


def test_lead_question_marks_the_lead_units(service: QAService) -> None:
    answer = service.ask("红色文化论坛谁牵头？")
    assert _ids(answer)[0] == "分工方案-1"
    assert "牵头单位：济南市委宣传部、临沂市委宣传部" in answer.answer


def test_target_question_quotes_the_number(service: QAService) -> None:
    answer = service.ask("每学年选派多少名教师赴临沂支教？")
    assert answer.answerable and _ids(answer)[0] == "工作要点-34"
    clause = answer.citations[0].clause
    assert any("20名左右" in clause.text[s:e] for s, e in answer.citations[0].highlights)
    assert "20名左右" in answer.answer
    _assert_extractive(answer)


def test_topic_spanning_both_attachments_cites_both(service: QAService) -> None:
    answer = service.ask("飞机场有什么建设安排？")
    assert {"分工方案-17", "工作要点-13"} <= set(_ids(answer))
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
    assert leads == sorted(leads, reverse=True)  # every lead clause before every shared one


def test_unit_lead_question_lists_only_led_clauses(service: QAService, seed_corpus) -> None:
    answer = service.ask("发改委牵头哪些工作")
    led = [c.clause_id for c in seed_corpus.clauses if {"济南市发展改革委", "临沂市发展改革委"} & set(c.lead_units)]
    assert _ids(answer) == led and len(led) == 2


def test_unanswerable_question_is_refused_with_see_also(service: QAService) -> None:
    answer = service.ask("济南到临沂的高铁票价是多少？")
    assert not answer.answerable
    assert answer.answer.startswith(REFUSAL)
    assert answer.citations == () and answer.see_also


def test_follow_up_resolves_against_previous_turn(service: QAService) -> None:
    first = service.ask("中欧班列由哪些部门负责？")
    history = [Turn("user", "中欧班列由哪些部门负责？"), Turn("assistant", first.answer)]
    follow = service.ask("那2023年有什么具体安排？", history)
    assert follow.answerable and _ids(follow)[0] == "工作要点-14"


def test_highlights_lie_inside_the_clause_text(service: QAService) -> None:
    for question in ("中欧班列由哪些部门负责？", "飞机场有什么建设安排？", "济南市教育局负责哪些任务？"):
        answer = service.ask(question)
        for citation in answer.citations + answer.see_also:
            for start, end in citation.highlights:
                assert 0 <= start < end <= len(citation.clause.text)


def test_same_question_in_full_width_gives_same_answer(service: QAService) -> None:
    half = service.ask("党校每年请专家授课不少于2次吗?")
    full = service.ask("党校每年请专家授课不少于２次吗？")
    assert _ids(half) == _ids(full)
    assert normalise(half.answer) == normalise(full.answer)
