"""Step 4, select: which clauses an answer cites, and which sentence of each carries the answer.

The quoted sentence is the one most similar to the question and most covering its topic, with a bonus
for stating what was asked (the number, the date) and a penalty for a short heading-like opening
slogan; a long sentence is narrowed to the comma-separated parts that answer.  Every span is a range
of the clause's own text, so quotes stay verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from corpus.models import Clause
from corpus.text import normalise
from index import Hit
from qa.analysis import Analysis, QuestionType
from qa.calibration import EvidenceCalibration, JudgeCalibration
from qa.evidence import body_end, fact_spans, key_phrase, parts, responsibility_span, sentences
from qa.judge import Judgement, Scored
from qa.lexical import Expansions, LexicalScorer
from qa.models import Citation, Span
from qa.retrieve import Listing, Retrieved, RetrieveStep
from qa.sentences import SentenceVectors
from qa.signals import Signals

_DIGIT = set("0123456789０１２３４５６７８９%％")
_TRAILING = "，,：:、"


@dataclass(frozen=True)
class Selection:
    citations: tuple[Citation, ...]
    see_also: tuple[Citation, ...]
    quotes: dict[str, Span]  # clause id → the span its answer line quotes
    overview: dict[str, Span] = field(default_factory=dict)  # a list's one-line summary: clause id → its key phrase


class Selector:
    def __init__(self, signals: Signals, lexical: LexicalScorer, sentence_vectors: SentenceVectors,
                 evidence: EvidenceCalibration, judge: JudgeCalibration, retrieve: RetrieveStep) -> None:
        self._signals, self._lexical, self._vectors = signals, lexical, sentence_vectors
        self._e, self._j, self._retrieve = evidence, judge, retrieve

    def __call__(self, retrieved: Retrieved, judgement: Judgement, vector: np.ndarray | None, top_k: int) -> Selection:
        analysis = retrieved.analysis
        topic = retrieved.topic or analysis.subject
        expansions = judgement.expansions
        if judgement.listing is not None:
            return self._listing(judgement.listing, analysis, topic, vector)
        if not judgement.answerable:
            return Selection((), self._see_also_for_refusal(judgement, analysis, topic, expansions, vector, top_k), {})
        chosen = self._cited(judgement.ranked, analysis)
        quotes: dict[str, Span] = {}
        citations = []
        for scored in chosen:
            clause = scored.clause
            quote = self.quote(clause, analysis, topic, expansions, vector)
            quotes[clause.clause_id] = quote
            spans = [quote]
            if analysis.asked in ("unit", "person"):
                note = responsibility_span(clause)
                if note and note != quote:
                    spans.append(note)
            citations.append(_citation(scored.evidence.hit, scored.probability, tuple(sorted(spans))))
        cited = {c.clause.clause_id for c in citations}
        others = [s for s in judgement.ranked if s.clause.clause_id not in cited][:top_k]
        see_also = tuple(
            _citation(s.evidence.hit, s.probability, (self.quote(s.clause, analysis, topic, expansions, vector),))
            for s in others
        )
        return Selection(tuple(citations), see_also, quotes)

    # --- which clauses ------------------------------------------------------------------------
    def _cited(self, ranked: Sequence[Scored], analysis: Analysis) -> list[Scored]:
        """The best clause, its continuation in the other document, and clauses nearly as likely.

        When the best clause states what the question asks for (a number, a lead unit), so must the others.
        """
        best = ranked[0]
        pool = list(ranked[1:])
        if analysis.asked and not best.evidence.features["asked_present"]:
            # A typed fact (a leader, a date) the best clause does not state: a likely one that states it leads.
            bar = self._j.related_ratio * best.probability
            stating = [s for s in pool if s.evidence.features["asked_present"] and s.probability >= bar]
            if stating:
                best = stating[0]
                pool = [s for s in ranked if s is not best]
        if analysis.asked and best.evidence.features["asked_present"]:
            pool = [s for s in pool if s.evidence.features["asked_present"]]
        c = self._j
        chosen = [best]
        for scored in pool:
            if len(chosen) >= c.max_citations:
                break
            related = scored.clause.clause_id in best.clause.related and analysis.document is None
            strong = scored.probability >= max(c.cite_floor, c.cite_ratio * best.probability)
            if strong or (related and scored.probability >= c.related_ratio * best.probability):
                chosen.append(scored)
        return chosen

    # --- which sentence ---------------------------------------------------------------------
    def quote(self, clause: Clause, analysis: Analysis, topic: str, expansions: Expansions,
              vector: np.ndarray | None) -> Span:
        """The span of the clause an answer line quotes."""
        spans = sentences(clause) or [(0, len(clause.text))]
        facts = fact_spans(clause, analysis.asked, analysis.measure, analysis.form, analysis.wants_lead,
                           analysis.measure_strict) \
            if analysis.asked not in (None, "unit", "person") else []
        cosines = self._cosines(clause, spans, vector)
        e = self._e
        body = (spans[0][0], spans[-1][1])
        if len(spans) > 1 and body[1] - body[0] <= e.whole_body_chars:  # short enough to quote whole
            return self._narrow(clause, body, topic, expansions, None)
        # An item's heading-like opening ("加大人才保障力度。") names it but says nothing the question
        # asks: the quote is one of the sentences after it, however well the heading matches the topic.
        first = 1 if len(spans) > 1 and self._headline(clause.text[spans[0][0] : spans[0][1]]) else 0
        scores = {}
        for index in range(first, len(spans)):
            span = spans[index]
            holds_fact = any(span[0] <= f[0] < span[1] for f in facts)
            scores[index] = (
                e.sentence_weight * cosines[index]
                + e.coverage_weight * self._lexical.coverage(topic, clause.text[span[0] : span[1]], expansions)
                + e.asked_bonus * holds_fact
            )
        best = spans[max(scores, key=lambda i: (scores[i], -i))]
        fact = next((f for f in facts if best[0] <= f[0] < best[1]), None)
        return self._narrow(clause, best, topic, expansions, fact)

    def _cosines(self, clause: Clause, spans: list[Span], vector: np.ndarray | None) -> list[float]:
        if vector is None or self._vectors.spans.get(clause.clause_id) != tuple(spans):
            return [0.0] * len(spans)
        return [self._signals.scaled(float(c)) for c in self._vectors.scores(clause.clause_id, vector)]

    def _headline(self, text: str) -> bool:
        """A short opening slogan ("坚持高位推动。"): no number, few characters."""
        stripped = text.strip().rstrip("。；！？")
        return len(stripped) <= self._e.headline_chars and not (_DIGIT & set(stripped))

    def _narrow(self, clause: Clause, span: Span, topic: str, expansions: Expansions, fact: Span | None) -> Span:
        """A long sentence cut to its best comma-separated parts (those holding the fact, first)."""
        limit = self._e.max_quote_chars
        if span[1] - span[0] > limit:
            pieces = parts(clause, span)
            scores = [
                self._lexical.coverage(topic, clause.text[s:e], expansions) + (2.0 if fact and s <= fact[0] < e else 0.0)
                for s, e in pieces
            ]
            lo = hi = max(range(len(pieces)), key=lambda i: (scores[i], -i))
            while True:
                options = [i for i in (lo - 1, hi + 1) if 0 <= i < len(pieces)]
                options = [i for i in options if pieces[max(hi, i)][1] - pieces[min(lo, i)][0] <= limit]
                if not options:
                    break
                pick = max(options, key=lambda i: (scores[i], -i))
                lo, hi = min(lo, pick), max(hi, pick)
            span = (pieces[lo][0], pieces[hi][1])
        start, end = span
        while end - 1 > start and clause.text[end - 1] in _TRAILING:
            end -= 1
        return start, end

    # --- lists and refusals -------------------------------------------------------------------
    def _listing(self, listing: Listing, analysis: Analysis, topic: str, vector: np.ndarray | None) -> Selection:
        citations, quotes = [], {}
        phrase = normalise(listing.label) if listing.kind == "kind" else ""
        for clause in listing.clauses:
            quote = self._listing_quote(clause, phrase, topic, analysis, vector, listing.kind)
            quotes[clause.clause_id] = quote
            citations.append(Citation(clause, (quote,), 1.0, {}))
        overview: dict[str, Span] = {}
        if listing.kind not in ("units", "document", "numbered") and 0 < len(listing.clauses) <= self._e.overview_items:
            # What each item is about, in a few characters each, before the items themselves.
            chars = min(self._e.overview_max_chars, max(self._e.overview_min_chars,
                                                         self._e.overview_chars // len(listing.clauses) - 1))
            overview = {c.clause_id: key_phrase(c, self._lexical.weight, chars, phrase, self._e.headline_chars,
                                               self._lexical.words)
                        for c in listing.clauses}
        return Selection(tuple(citations), (), quotes, overview)

    def _listing_quote(self, clause: Clause, phrase: str, topic: str, analysis: Analysis,
                       vector: np.ndarray | None, listing_kind: str) -> Span:
        spans = sentences(clause) or [(0, len(clause.text))]
        if phrase:
            for span in spans:
                if phrase in normalise(clause.text[span[0] : span[1]]):
                    return self._narrow(clause, span, phrase, {}, None)
        if listing_kind == "numbered":  # the clause asked for by its number: all of it (its units, for "谁牵头", are
            # said before it)
            who = analysis.type is QuestionType.RESPONSIBILITY or analysis.asked == "person"
            return 0, body_end(clause) if who else len(clause.text)
        if analysis.type is QuestionType.UNIT_LIST or listing_kind == "plan":  # the question says nothing about it
            opening = next((s for i, s in enumerate(spans) if not (i == 0 and len(spans) > 1 and
                                                                   self._headline(clause.text[s[0]:s[1]]))), spans[0])
            return self._narrow(clause, opening, "", {}, None)
        return self.quote(clause, analysis, topic, {}, vector)

    def _see_also_for_refusal(self, judgement: Judgement, analysis: Analysis, topic: str, expansions: Expansions,
                              vector: np.ndarray | None, top_k: int) -> tuple[Citation, ...]:
        """Related clauses, ranked by a search for the thing the question names; none for nonsense."""
        if judgement.plain:
            return ()
        hits: list[tuple[Hit, float]] = []
        if judgement.elsewhere is not None:  # the other plan's clause first: it is what was asked
            hits.append((judgement.elsewhere.evidence.hit, judgement.elsewhere.probability))
        if judgement.thing:
            things = self._retrieve.search_thing(judgement.thing.replace("、", " "), top_k, analysis.document)
            hits += [(h, 0.0) for h in things if all(h.clause.clause_id != o.clause.clause_id for o, _ in hits)]
        if not hits:
            hits = [(s.evidence.hit, s.probability) for s in judgement.ranked[:top_k]]
        return tuple(
            _citation(hit, score, (self.quote(hit.clause, analysis, topic, expansions, vector),))
            for hit, score in hits[:top_k]
        )


def _citation(hit: Hit, score: float, highlights: tuple[Span, ...]) -> Citation:
    return Citation(hit.clause, highlights, round(score, 4), dict(hit.ranks))
