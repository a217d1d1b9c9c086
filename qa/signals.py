"""The evidence signals the judge weighs, for each candidate clause of a question.

Each is cheap and explainable: lexical coverage of the topic (plain, and with synonyms), the dense
cosine of the clause and of its best sentence, the ranks the two retrieval channels give it and
whether they agree, whether it states the kind of fact asked for, whether it names the units asked
about; and properties of the question: how much of its topic no clause contains, whether the two
channels' first results agree, whether it asks a typed fact (a number, a date, a person) that none of
its best candidates states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index import Hit
from qa.analysis import Analysis
from qa.calibration import SignalCalibration
from qa.evidence import states
from qa.lexical import Expansions, LexicalScorer
from qa.models import Span
from qa.sentences import SentenceVectors

# A candidate clause's signals: the relevance model's features (what tells one candidate from another).
FEATURES = (
    "coverage", "synonym_coverage", "dense", "sentence", "keyword_rr", "dense_rr", "fused_rr", "synonym_rr",
    "agreement", "asked_present", "unit_match", "passage",
)
# The best candidate's signals (top_*) and the question's own: the answerability model's features.
_TOP = ("coverage", "synonym_coverage", "dense", "sentence", "agreement", "asked_present", "passage")
QUESTION_FEATURES = (
    "top_relevance", "relevance_margin", *(f"top_{name}" for name in _TOP),
    "asks", "asked_missing", "unseen", "unknown_words", "channels_agree", "follow_up", "topic_chars",
)
# Candidates that may state the fact asked for: none of the best few does → the fact is missing.
ASKED_DEPTH = 3


@dataclass(frozen=True)
class Evidence:
    hit: Hit
    features: dict[str, float]
    sentence: Span | None  # the clause's sentence most similar to the question


class Signals:
    def __init__(self, lexical: LexicalScorer, sentences: SentenceVectors, calibration: SignalCalibration) -> None:
        self.lexical, self.sentences, self._c = lexical, sentences, calibration

    def scaled(self, cosine: float | None) -> float:
        if cosine is None:
            return 0.0
        c = self._c
        return min(1.0, max(0.0, (cosine - c.dense_floor) / (c.dense_ceiling - c.dense_floor)))

    def measure(
        self, analysis: Analysis, topic: str, expansions: Expansions, hits: tuple[Hit, ...],
        vector: np.ndarray | None, synonym_ranks: dict[str, int], unit_tasks: frozenset[str],
    ) -> list[Evidence]:
        """``unit_tasks``: ids of the tasks the units the question names lead or share (``unit_match``)."""
        text = topic or analysis.question
        depth = self._c.agreement_depth
        firsts = {
            channel: next((h.clause.clause_id for h in hits if h.ranks.get(channel) == 1), None)
            for channel in ("keyword", "dense")
        }
        agree = float(firsts["keyword"] is not None and firsts["keyword"] == firsts["dense"])
        unseen = self.lexical.unseen(text, expansions)
        unknown_words = self.lexical.unknown_words(text, expansions)
        asks = float(analysis.asked is not None)
        found = []
        for position, hit in enumerate(hits, start=1):
            clause = hit.clause
            cosine, span = self.sentences.best(clause.clause_id, vector) if vector is not None else (None, None)
            kw, dn = hit.ranks.get("keyword"), hit.ranks.get("dense")
            coverage, synonym_coverage = self.lexical.coverages(text, clause.text, expansions)
            features = {
                "coverage": coverage,
                "synonym_coverage": synonym_coverage,
                "dense": self.scaled(hit.scores.get("dense")),
                "sentence": self.scaled(cosine),
                "keyword_rr": 1.0 / kw if kw else 0.0,
                "dense_rr": 1.0 / dn if dn else 0.0,
                "fused_rr": 1.0 / position,
                "synonym_rr": 1.0 / synonym_ranks[clause.clause_id] if clause.clause_id in synonym_ranks else 0.0,
                "agreement": float(bool(kw and dn and kw <= depth and dn <= depth)),
                "asks": asks,
                "asked_present": float(
                    states(clause, analysis.asked, analysis.measure, analysis.form, analysis.wants_lead,
                           analysis.measure_strict)
                ),
                "unit_match": float(clause.clause_id in unit_tasks),
                "unseen": unseen,
                "unknown_words": unknown_words,
                "channels_agree": agree,
                "passage": float(not clause.is_task),
            }
            found.append(Evidence(hit, features, span))
        return found


def question_features(analysis: Analysis, topic: str, ranked: list[tuple[Evidence, float]], follow_up: bool) -> dict[str, float]:
    """The answerability model's inputs: the best candidate (by relevance) and the question itself."""
    top_features = ranked[0][0].features if ranked else {}
    relevances = [r for _, r in ranked] + [0.0, 0.0]
    values = {f"top_{name}": top_features.get(name, 0.0) for name in _TOP}
    asks = analysis.asked is not None and analysis.asked != "unit"  # a typed fact: a number, a date, a person…
    values.update(
        top_relevance=relevances[0],
        relevance_margin=relevances[0] - relevances[1],
        asks=float(asks),
        asked_missing=float(asks and not any(e.features["asked_present"] for e, _ in ranked[:ASKED_DEPTH])),
        unseen=top_features.get("unseen", 0.0),
        unknown_words=top_features.get("unknown_words", 0.0),
        channels_agree=top_features.get("channels_agree", 0.0),
        follow_up=float(follow_up),
        # a follow-up's topic is the last question's: this question's title words are not in it
        topic_chars=min(1.0, max(0, len(topic.replace(" ", "")) - (0 if follow_up else analysis.title_chars)) / 10),
    )
    return values
