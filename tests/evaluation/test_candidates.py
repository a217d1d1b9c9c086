"""`clause-qa feedback export`: votes become gold-set candidates only when a person need not decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import Corpus
from corpus.models import Clause
from corpus.text import normalise
from evaluation.candidates import KEYWORD_CHARS, candidates, gold_line, keyword
from evaluation.gold import GoldQuestion, load_gold, validate_gold
from qa.cli import main
from qa.feedback import Feedback, FeedbackStore, StoredFeedback


def _clause(corpus: Corpus, words: str) -> Clause:
    found = [c for c in corpus.clauses if words in c.text]
    assert len(found) == 1, words
    return found[0]


def _answer(*clauses: Clause) -> str:
    """An answer as the service writes one: each clause's marker, then its wording."""
    return "\n".join(f"{c.citation}{c.body}" for c in clauses)


def _vote(number: int, question: str, cited: tuple[Clause, ...], rating: str = "up", **changes) -> StoredFeedback:
    fields = {
        "rating": rating, "question": question, "answer": _answer(*cited) if cited else "文件中没有找到相关规定。",
        "answerable": bool(cited), "question_type": "topic", "citations": tuple(c.clause_id for c in cited),
        **changes,
    }
    return StoredFeedback(number, "2026-12-01T09:00:00+00:00", Feedback(**fields))


@pytest.fixture(scope="module")
def airport(seed_corpus: Corpus) -> tuple[Clause, Clause]:
    return (_clause(seed_corpus, "济南遥墙国际机场二期改扩建、临沂启阳机场"),
            _clause(seed_corpus, "积极推进济南遥墙国际机场二期改扩建工程"))


def test_an_up_vote_becomes_a_gold_line_that_validates(seed_corpus: Corpus, airport) -> None:
    accepted, review = candidates([_vote(7, "机场扩建有哪些安排？", airport)], seed_corpus, [])
    assert review == []
    (line,) = accepted
    assert line.id == "fb7" and line.gold == tuple(c.clause_id for c in airport)
    assert (line.type, line.style, line.split) == ("multi-clause", "paraphrase", "dev")
    assert 1 <= len(line.keywords) <= 2
    assert validate_gold(accepted, seed_corpus) == []
    assert json.loads(json.dumps(gold_line(line), ensure_ascii=False))["gold"] == list(line.gold)


def test_types_follow_the_answer(seed_corpus: Corpus, airport) -> None:
    plan, _ = airport
    votes = [
        _vote(1, "机场扩建谁牵头？", (plan,), question_type="responsibility"),
        _vote(2, "明天天气怎么样？", ()),
        _vote(3, "那牵头单位呢？", (plan,), history=("飞机场有什么建设安排？",)),
        _vote(4, "机场扩建写在哪条？", (plan,)),
    ]
    accepted, review = candidates(votes, seed_corpus, [])
    assert review == []
    kinds = {q.id: (q.type, q.gold, q.keywords, q.history) for q in accepted}
    assert kinds["fb1"][0] == "responsibility"
    assert kinds["fb2"] == ("unanswerable", (), (), ())
    assert kinds["fb3"][0] == "follow-up" and kinds["fb3"][3] == ("飞机场有什么建设安排？",)
    assert kinds["fb4"][0] == "which-task"


def test_a_unit_list_names_its_unit_and_lists_every_task(seed_corpus: Corpus) -> None:
    tasks = tuple(seed_corpus.for_unit("济南市教育局"))
    accepted, review = candidates(
        [_vote(1, "济南市教育局负责哪些任务？", tasks, question_type="unit_list")], seed_corpus, []
    )
    assert review == [] and accepted[0].units == ("济南市教育局",) and accepted[0].type == "unit-list"


def test_a_fact_the_gold_set_has_keeps_its_split(seed_corpus: Corpus, airport) -> None:
    known = GoldQuestion("g1", "飞机场有什么建设安排？", tuple(c.clause_id for c in airport), ("机场",),
                         "which-task", "paraphrase", "test")
    accepted, _ = candidates([_vote(1, "机场改扩建有何部署？", airport)], seed_corpus, [known], split="dev")
    assert accepted[0].split == "test"  # no fact on both sides of the split


def test_what_a_person_must_decide_goes_to_review(seed_corpus: Corpus, airport) -> None:
    plan, points = airport
    known = GoldQuestion("g1", "飞机场有什么建设安排？", (plan.clause_id,), ("机场",), "which-task", "paraphrase", "dev")
    stale = StoredFeedback(9, "2026-12-01T09:00:00+00:00", Feedback(
        "up", "旧编号的问题？", "〔旧文件第1条〕某某", True, "topic", ("旧文件-1",)))
    votes = [
        _vote(1, "机场的事归谁管？", (plan,), rating="down", note="少了工作要点那条"),
        _vote(2, "机场的事归谁管？", (plan,)),
        _vote(3, "机场建设怎么安排？", (plan,)),
        _vote(4, "机场建设怎么安排？", (plan, points)),
        _vote(5, "飞机场有什么建设安排？", (plan,)),
        stale,
    ]
    accepted, review = candidates(votes, seed_corpus, [known])
    assert accepted == []
    reasons = {r.question: r for r in review}
    assert reasons["机场的事归谁管？"].reason.startswith("voted down")
    assert (reasons["机场的事归谁管？"].up, reasons["机场的事归谁管？"].down) == (1, 1)
    assert reasons["机场的事归谁管？"].notes == ("少了工作要点那条",)
    assert reasons["机场建设怎么安排？"].reason == "the up votes saw different answers"
    assert len(reasons["机场建设怎么安排？"].cited) == 2
    assert "duplicate of question g1" in reasons["飞机场有什么建设安排？"].reason
    assert "not in the documents" in reasons["旧编号的问题？"].reason


def test_a_keyword_is_a_short_run_the_answer_quotes_from_the_clause(airport) -> None:
    plan, _ = airport
    found = keyword(_answer(plan), plan.text)
    shortest, longest = KEYWORD_CHARS
    assert found is not None and shortest <= len(found) <= longest
    assert found in normalise(plan.text) and found in normalise(_answer(plan))
    assert keyword("完全无关的回答", plan.text) is None


def test_the_command_writes_candidates_eval_can_load(tmp_path: Path, seed_corpus: Corpus, airport, capsys) -> None:
    db = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db)
    for vote in [_vote(0, "机场扩建有哪些安排？", airport), _vote(0, "明天下雨吗？", (), rating="down", note="应当拒答")]:
        store.add(vote.feedback)
    empty_gold = tmp_path / "gold.jsonl"
    empty_gold.write_text("", encoding="utf-8")
    out, review = tmp_path / "candidates.jsonl", tmp_path / "review.jsonl"
    code = main(["feedback", "export", "--db", str(db), "--gold", str(empty_gold), "--out", str(out),
                 "--review", str(review)])
    assert code == 0
    written = load_gold(out)
    assert [q.question for q in written] == ["机场扩建有哪些安排？"] and validate_gold(written, seed_corpus) == []
    (referred,) = [json.loads(line) for line in review.read_text(encoding="utf-8").splitlines()]
    assert referred["question"] == "明天下雨吗？" and referred["notes"] == ["应当拒答"]
    assert "2 votes: 1 gold candidates" in capsys.readouterr().err


def test_the_command_says_when_there_is_no_feedback_yet(tmp_path: Path, capsys) -> None:
    assert main(["feedback", "export", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no feedback has been stored yet" in capsys.readouterr().err
