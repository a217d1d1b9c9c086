"""Run gold questions through the same code path as the API."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from tqdm import tqdm

from evaluation.gold import GoldQuestion
from evaluation.metrics import Row
from qa.models import Answer, Turn
from qa.service import QAService

# Enough see-also clauses for nDCG@10 whatever the number of citations.
RANKED_DEPTH = 10


def replay(service: QAService, history: Sequence[str], mode: str) -> list[Turn]:
    """The conversation a follow-up belongs to: earlier questions asked for real, answers kept."""
    turns: list[Turn] = []
    for question in history:
        answer = service.ask(question, turns, top_k=RANKED_DEPTH, mode=mode)
        turns += [Turn("user", question), Turn("assistant", answer.answer)]
    return turns


# Steps that are not the answer layer's own: the query embedding, the index search, a language model.
_NOT_ADDED = ("embed", "search", "generate")


def added_ms(answer: Answer) -> float:
    """The answer layer's own time for one answer: its total minus embedding, index search and generation."""
    timings = answer.timings_ms
    return round(timings.get("total", 0.0) - sum(timings.get(step, 0.0) for step in _NOT_ADDED), 3)


def _row(gold: GoldQuestion, answer: Answer, latency_ms: float) -> Row:
    cited = tuple(c.clause.clause_id for c in answer.citations)
    ranked = tuple(dict.fromkeys(cited + tuple(c.clause.clause_id for c in answer.see_also)))
    return Row(
        id=gold.id, question=gold.question, type=gold.type, style=gold.style, split=gold.split,
        gold=tuple(gold.gold), keywords=tuple(gold.keywords), units=tuple(gold.units),
        ranked=ranked, cited=cited if answer.answerable else (), answer=answer.answer,
        answerable=answer.answerable, question_type=answer.question_type, support=answer.support,
        latency_ms=latency_ms, added_ms=added_ms(answer),
    )


def run(service: QAService, questions: Sequence[GoldQuestion], mode: str = "hybrid",
        progress: bool = True) -> list[Row]:
    """Ask every question (follow-ups after replaying their history); one Row each."""
    rows = []
    for gold in tqdm(questions, desc=f"eval {mode}", disable=not progress, file=sys.stderr, leave=False):
        history = replay(service, gold.history, mode)
        started = time.perf_counter()
        answer = service.ask(gold.question, history, top_k=RANKED_DEPTH, mode=mode)
        rows.append(_row(gold, answer, round((time.perf_counter() - started) * 1000, 2)))
    return rows
