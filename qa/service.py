"""Question → answer with citations, or a plain refusal: the product's one code path.

The API, the CLI and the evaluation all call ``QAService.ask``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from corpus.errors import ClauseQAError
from corpus.models import Clause
from corpus.unit_matcher import UnitMatcher
from index import Hit, Retriever
from qa import compose
from qa.analysis import Analysis, QuestionType, analyse
from qa.conversation import previous_context
from qa.evidence import asked_targets, best_sentence, responsibility_span, sentence_of, sentences
from qa.generation import Generator
from qa.models import Answer, Citation, Span, Turn
from qa.support import Calibration, SupportScorer

# Fusion of the whole corpus is cheap at this size and gives every clause both channel scores.
_CANDIDATES = 100


class InvalidText(ClauseQAError, ValueError):
    """A question or history turn that is not valid Unicode: the embedder cannot encode it."""


class QAService:
    def __init__(self, retriever: Retriever, calibration: Calibration, generator: Generator | None = None) -> None:
        self.retriever = retriever
        self.corpus = retriever.corpus
        self.calibration = calibration
        self.generator = generator
        self._matcher = UnitMatcher(self.corpus.units)
        self._scorer = SupportScorer(self.corpus.clauses, calibration)

    def _analyse(self, question: str, has_history: bool) -> Analysis:
        return analyse(question, self._matcher, self.corpus.documents, has_history, self._scorer.vocabulary)

    def resolve_units(self, text: str) -> tuple[str, ...]:
        """The units ``text`` names, aliases resolved (文旅局 → both cities' 文化和旅游局)."""
        return self._matcher.resolve(text)

    # --- the one entry point -------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Turn] = (), top_k: int = 5, mode: str = "hybrid") -> Answer:
        started = time.perf_counter()
        _check_encodable(question, *(turn.content for turn in history))
        analysis = self._analyse(question, has_history=bool(history))
        context = previous_context(history, self.corpus) if analysis.follow_up else None
        timings: dict[str, float] = {"analyse": _ms(started)}

        if analysis.type is QuestionType.UNIT_LIST:
            answer = self._unit_list(analysis)
        else:
            query = f"{context.question} {question}" if context else question
            # A follow-up's own words ask (谁牵头, 几次, 2023年); what it is about is the previous question.
            topic = self._topic_of(context.question) if context else analysis.topic
            step = time.perf_counter()
            hits = self.retriever.search(query, k=_CANDIDATES, mode=mode)
            timings["retrieve"] = _ms(step)
            allowed = self._allowed(analysis, context.clause_ids if context else ())
            answer = self._from_hits(analysis, topic, hits, allowed, top_k, mode)
        if self.generator is not None and answer.answerable and analysis.type is not QuestionType.UNIT_LIST:
            step = time.perf_counter()
            answer = self.generator.rephrase(answer)
            timings["generate"] = _ms(step)
        timings["total"] = _ms(started)
        return replace(answer, timings_ms={**timings, **answer.timings_ms})

    # --- retrieval-based answers ---------------------------------------------------------
    def _topic_of(self, question: str) -> str:
        return self._analyse(question, has_history=False).topic

    def _allowed(self, analysis: Analysis, previous: tuple[str, ...]) -> set[str] | None:
        """Clause ids the answer may come from, when the question narrows them; None: any."""
        allowed: set[str] | None = None
        if previous:
            allowed = set(previous) | {r for cid in previous for r in self.corpus.clause(cid).related}
        if analysis.units:
            owned = {c.clause_id for u in analysis.units for c in self.corpus.for_unit(u)}
            allowed = owned if allowed is None else (allowed & owned or allowed)
        if analysis.document:
            in_document = {c.clause_id for c in self.corpus.clauses if c.short_name == analysis.document}
            allowed = in_document if allowed is None else (allowed & in_document or in_document)
        return allowed

    def _from_hits(
        self, analysis: Analysis, topic: str, hits: list[Hit], allowed: set[str] | None, top_k: int, mode: str
    ) -> Answer:
        needs = _evidence_needed(analysis)
        scored = self._rank(analysis, topic, hits, allowed, needs, mode)
        best = scored[0][0] if scored else 0.0
        if analysis.type is QuestionType.TARGET and not (scored and needs and needs(scored[0][1].clause)):
            best = 0.0  # 多少 / 几次 is answered by a clause that states a number, or not at all
        if best < self.calibration.answer_threshold:
            see_also = tuple(self._citation(h, s, self._summary(h.clause, analysis)) for s, h in scored[:top_k])
            return Answer(
                analysis.question, compose.refusal_answer(see_also), False, analysis.type.value, (), see_also, {}, best
            )
        cited = self._select(scored, analysis, needs)
        cited_ids = {h.clause.clause_id for _, h in cited}
        citations = tuple(self._citation(h, s, self._highlights(h.clause, analysis)) for s, h in cited)
        see_also = tuple(
            self._citation(h, s, self._summary(h.clause, analysis))
            for s, h in [pair for pair in scored if pair[1].clause.clause_id not in cited_ids][:top_k]
        )
        if analysis.type is QuestionType.RESPONSIBILITY:
            text = compose.responsibility_answer(citations, analysis.wants_lead)
        else:
            text = compose.topic_answer(citations)
        return Answer(analysis.question, text, True, analysis.type.value, citations, see_also, {}, best)

    def _rank(
        self, analysis: Analysis, topic: str, hits: list[Hit], allowed: set[str] | None,
        needs: Callable[[Clause], bool] | None, mode: str,
    ) -> list[tuple[float, Hit]]:
        """Hits by support, narrowed to ``allowed``, clauses with what the question needs first."""
        scored = sorted(
            ((self._scorer.support(topic or analysis.question, h.clause, h.scores.get("dense"), mode), h) for h in hits),
            key=lambda pair: -pair[0],
        )
        if allowed is not None:
            scored = [pair for pair in scored if pair[1].clause.clause_id in allowed] or scored
        if needs is not None and scored and not needs(scored[0][1].clause):
            fitting = [pair for pair in scored if needs(pair[1].clause)]
            best = scored[0][1].clause
            # A target question must be answered by a number. A lead clause goes first when it is nearly as
            # strong, or when it is the plan task the best clause continues (work points name no lead).
            if fitting and (
                analysis.type is QuestionType.TARGET
                or fitting[0][0] >= self.calibration.cite_ratio * scored[0][0]
                or fitting[0][1].clause.clause_id in best.related
            ):
                scored = fitting + [pair for pair in scored if not needs(pair[1].clause)]
        return scored

    def _select(
        self, scored: list[tuple[float, Hit]], analysis: Analysis, needs: Callable[[Clause], bool] | None
    ) -> list[tuple[float, Hit]]:
        """The best clause, its continuation in the other document, and clauses nearly as strong.

        When the best clause has what the question needs (a number, a lead unit), so must the others.
        """
        if not scored:
            return []
        if needs is not None and needs(scored[0][1].clause):
            scored = [pair for pair in scored if needs(pair[1].clause)]
        calibration = self.calibration
        best_score, best = scored[0]
        chosen = [scored[0]]
        for s, h in scored[1:]:
            if len(chosen) >= calibration.max_citations:
                break
            is_related = h.clause.clause_id in best.clause.related and analysis.document is None
            if s >= calibration.cite_ratio * best_score or (is_related and s >= 0.5 * best_score):
                chosen.append((s, h))
        return chosen

    def _citation(self, hit: Hit, score: float, highlights: tuple[Span, ...]) -> Citation:
        return Citation(hit.clause, highlights, round(score, 4), dict(hit.ranks))

    def _summary(self, clause: Clause, analysis: Analysis) -> tuple[Span, ...]:
        return (best_sentence(clause, analysis.topic or analysis.question, self._scorer.text_coverage),)

    def _highlights(self, clause: Clause, analysis: Analysis) -> tuple[Span, ...]:
        if analysis.type is QuestionType.RESPONSIBILITY:
            span = responsibility_span(clause)
            if span:
                return (span,)
        if analysis.type is QuestionType.TARGET and clause.targets:
            targets = asked_targets(clause, analysis.question)
            return tuple(dict.fromkeys(sentence_of(clause, (t.start, t.end)) for t in targets))
        return self._summary(clause, analysis)

    # --- exhaustive unit answers ---------------------------------------------------------
    def _unit_list(self, analysis: Analysis) -> Answer:
        """Every clause the named units lead or share, lead first: exhaustive, never cut to top-k."""
        clauses = self.corpus.select(analysis.units, analysis.document)
        led = [c for c in clauses if set(analysis.units) & set(c.lead_units)]
        if analysis.wants_lead and led:  # "发改委牵头哪些任务": only the ones it leads
            clauses = led
        citations = tuple(Citation(c, (_first_sentence(c),), 1.0, {}) for c in clauses)
        if not citations:
            return Answer(analysis.question, compose.REFUSAL, False, analysis.type.value, (), (), {}, 0.0)
        text = compose.unit_list_answer(analysis.units, citations)
        return Answer(analysis.question, text, True, analysis.type.value, citations, (), {}, 1.0)


def _first_sentence(clause: Clause) -> Span:
    spans = sentences(clause)
    return spans[0] if spans else (0, len(clause.text))


def _evidence_needed(analysis: Analysis) -> Callable[[Clause], bool] | None:
    """What a clause must state to answer the question: a quantity for 多少, a lead unit for 谁牵头."""
    if analysis.type is QuestionType.TARGET:
        return lambda clause: any(t.kind == "quantity" for t in clause.targets)
    if analysis.type is QuestionType.RESPONSIBILITY and analysis.wants_lead:
        return lambda clause: bool(clause.lead_units)
    return None


def _check_encodable(*texts: str) -> None:
    """Refuse lone surrogates (``clause-qa ask`` gets them from undecodable argv bytes) before they reach
    the embedder, which would fail with a UnicodeEncodeError deep inside."""
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidText(f"the text is not valid Unicode (a lone surrogate at character {exc.start})") from None


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
