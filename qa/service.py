"""Question → answer with citations, or a refusal that helps: the product's one code path.

The API, the CLI and the evaluation all call ``QAService.ask``, which runs the pipeline once, down:

    analyse (qa/analysis.py) → retrieve (qa/retrieve.py) → judge (qa/judge.py)
        → select (qa/select.py) → compose (qa/compose.py)

Each step takes the previous one's typed output; the service only wires them and times them.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from corpus.errors import ClauseQAError
from corpus.text import normalise
from corpus.unit_matcher import UnitMatcher
from index import Retriever
from index.tokenizer import dictionary_places, dictionary_tags
from qa.analysis import Analyser, Analysis, about_whole_plan, counts_items, place_names
from qa.calibration import Calibration
from qa.classifier import QuestionClassifier
from qa.compose import compose
from qa.conversation import new_topic, other_place, previous_context
from qa.gazetteer import Gazetteer
from qa.generation import Generator
from qa.judge import Judge
from qa.lexical import LexicalScorer
from qa.models import Answer, Turn
from qa.retrieve import Retrieved, RetrieveStep
from qa.select import Selector
from qa.sentences import sentence_vectors
from qa.signals import Evidence, Signals
from qa.synonyms import Synonyms, thesaurus_groups

log = logging.getLogger(__name__)


class InvalidText(ClauseQAError, ValueError):
    """A question or history turn that is not valid Unicode: the embedder cannot encode it."""


@dataclass(frozen=True)
class Trace:
    """A question's way down the pipeline up to the judge's inputs (what calibration fits on)."""

    analysis: Analysis
    retrieved: Retrieved
    evidence: tuple[Evidence, ...]
    vector: np.ndarray | None


class QAService:
    def __init__(self, retriever: Retriever, calibration: Calibration, generator: Generator | None = None,
                 cache_dir: Path | None = None) -> None:
        """Warm-up happens here: the thesaurus, the corpus's words and the sentence vectors (cached)."""
        started = time.perf_counter()
        self.retriever, self.corpus, self.calibration, self.generator = retriever, retriever.corpus, calibration, generator
        corpus, c = self.corpus, calibration
        self._embedder = retriever.embedder
        self._matcher = UnitMatcher(corpus.units, corpus.places)
        # Everything the index holds (tasks and passages) is evidence: its words, synonyms and sentences.
        self.lexical = LexicalScorer((cl.text for cl in corpus.citable), retriever.words)
        words = {token for clause in corpus.citable for token in retriever.tokenize(clause.text)}
        self.synonyms = Synonyms(words, thesaurus_groups(c.signals.max_synonym_group),
                                 texts=(clause.text for clause in corpus.citable))
        self.sentences = sentence_vectors(corpus.citable, self._embedder, cache_dir)
        # The things the documents name: their nouns by jieba's dictionary, and the words it does not have (names);
        # not the issuers' places (济南, 济南市), which say whose tasks.
        tags = dictionary_tags(words)
        places = place_names(corpus.places)
        self._things = frozenset(w for w in words
                                 if len(w) >= 2 and tags.get(w, "n").startswith("n") and w not in places)
        mentioned = (*(cl.text for cl in corpus.citable), *(d.title for d in corpus.documents), *corpus.places,
                     *(entry.written for entry in corpus.units.values()),
                     *(f"{d.year}年" for d in corpus.documents if d.year))
        self._gazetteer = Gazetteer("\n".join(map(normalise, mentioned)), retriever.words, dictionary_places(),
                                    [normalise(entry.written) for entry in corpus.units.values()], retriever.known)
        self._wire(calibration)
        self.warm_up_seconds = round(time.perf_counter() - started, 2)
        log.info("QA warm-up %.1f s (sentence vectors %.1f s, %d synonyms)",
                 self.warm_up_seconds, self.sentences.build_seconds, len(self.synonyms))

    def _wire(self, calibration: Calibration) -> None:
        """The pipeline's steps over the warmed-up parts: cheap, so a recalibration rebuilds them."""
        c = self.calibration = calibration
        corpus, retriever = self.corpus, self.retriever
        self.classifier = QuestionClassifier(c.classifier, self._embedder.name)
        self._analyse = Analyser(
            self._matcher, corpus.documents, corpus.citable, self.lexical.vocabulary,
            self.lexical.coverage, self.synonyms.expansions, self.classifier,
            c.section.heading_coverage, c.section.heading_min_chars, retriever.words,
        )
        self._retrieve = RetrieveStep(retriever, self._analyse, self.synonyms, c.section, c.retrieval)
        signals = Signals(self.lexical, self.sentences, c.signals)
        self._judge = Judge(signals, self.lexical, self._gazetteer, c.judge, c.refusal)
        self._select = Selector(signals, self.lexical, self.sentences, c.evidence, c.judge, self._retrieve)

    def with_calibration(self, calibration: Calibration) -> QAService:
        """The same service (same index, vectors, thesaurus) judging by another calibration."""
        other = copy.copy(self)
        other._wire(calibration)
        return other

    def resolve_units(self, text: str) -> tuple[str, ...]:
        """The units ``text`` names, aliases resolved (文旅局 → both cities' 文化和旅游局)."""
        return self._matcher.resolve(text)

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the embedding model's own tokenizer: what the chat endpoint's usage reports."""
        return self.retriever.embedder.count_tokens(text)

    def analyse(self, question: str, vector: np.ndarray | None = None, has_history: bool = False) -> Analysis:
        """Step 1 alone (``vector``: the question's query embedding, else computed)."""
        return self._analyse(question, has_history=has_history, vector=self._embed(question) if vector is None else vector)

    def _embed(self, text: str) -> np.ndarray:
        return self._embedder.embed_queries([text.strip()])[0]

    # --- the pipeline ----------------------------------------------------------------------
    def _front(self, question: str, history: Sequence[Turn], mode: str,
               timings: dict[str, float]) -> tuple[Analysis, Retrieved, np.ndarray]:
        """Analyse and retrieve; the query vector the judge compares sentences with."""
        step = time.perf_counter()
        own = self._embed(question)
        timings["embed"] = _ms(step)
        step = time.perf_counter()
        analysis = self._analyse(question, has_history=bool(history), vector=own)
        context = previous_context(history, self.corpus) if analysis.follow_up else None
        if context and new_topic(analysis.form, analysis.subject, context, self.corpus, self._things,
                                 self.retriever.words):  # "民宿有什么安排？": a question of its own
            analysis, context = self._analyse(question, has_history=False, vector=own), None
        asked = " ".join((*analysis.issuers, analysis.topic))  # "青禾区的呢？": the place is all it asks
        swapped = other_place(asked, context.question, self.corpus.places) if context else None
        if context and not swapped and counts_items(analysis.asked, analysis.measure) and about_whole_plan(
                analysis.subject):  # "一共几项？" after "县住建局负责哪些任务？": that list again, counted
            swapped = context.question
        swap_ms = 0.0
        if swapped:  # "临沂的呢？": the previous question, asked of the other place (or asked again)
            embedding = time.perf_counter()
            own = self._embed(swapped)
            swap_ms = _ms(embedding)
            lead = analysis.wants_lead  # "其中牵头的有几项？" after a unit's list: the tasks it leads
            analysis, context = self._analyse(swapped, has_history=False, vector=own), None
            analysis = replace(analysis, wants_lead=analysis.wants_lead or lead)
        if context is not None:  # "那临沂呢？" after "…由谁牵头？": who leads, of 临沂
            analysis = self._analyse.continuing(analysis, context.question)
        timings["embed"] += swap_ms
        timings["analyse"] = round(_ms(step) - swap_ms, 3)
        step = time.perf_counter()
        vector = own
        if context is not None:  # a follow-up is searched with the previous question; so are its sentences
            vector = self._embed(f"{context.question} {question}")
            timings["embed"] += _ms(step)
        retrieved = self._retrieve(analysis, context, mode)
        timings["retrieve"] = _ms(step)
        timings["search"] = retrieved.search_ms
        return retrieved.analysis, retrieved, vector

    def ask(self, question: str, history: Sequence[Turn] = (), top_k: int = 5, mode: str = "hybrid") -> Answer:
        started = time.perf_counter()
        _check_encodable(question, *(turn.content for turn in history))
        timings: dict[str, float] = {}
        analysis, retrieved, vector = self._front(question, history, mode, timings)
        step = time.perf_counter()
        judgement = self._judge(retrieved, vector)
        timings["judge"] = _ms(step)
        step = time.perf_counter()
        selection = self._select(retrieved, judgement, vector, top_k)
        timings["select"] = _ms(step)
        step = time.perf_counter()
        text = compose(analysis, judgement, selection)
        timings["compose"] = _ms(step)
        answer = Answer(
            question, text, judgement.answerable, analysis.type.value, selection.citations if judgement.answerable else (),
            selection.see_also, {}, judgement.support, why=judgement.why,
        )
        if self.generator is not None and answer.answerable and judgement.listing is None:
            step = time.perf_counter()
            answer = self.generator.rephrase(answer)
            timings["generate"] = _ms(step)
        timings["total"] = _ms(started)
        return replace(answer, timings_ms=timings)

    def trace(self, question: str, history: Sequence[Turn] = (), mode: str = "hybrid") -> Trace:
        """The judge's inputs for a question, without judging it (for ``evaluation/calibrate.py``)."""
        _check_encodable(question, *(turn.content for turn in history))
        analysis, retrieved, vector = self._front(question, history, mode, {})
        evidence = () if retrieved.listing is not None else tuple(self._judge.evidence(retrieved, vector))
        return Trace(analysis, retrieved, evidence, vector)

    def question_features(self, trace: Trace) -> dict[str, float]:
        """The answerability model's inputs for a traced question, ranked by the current relevance model."""
        return self._judge.question_features(trace.retrieved, self._judge.ranked(list(trace.evidence)))


def _check_encodable(*texts: str) -> None:
    """Refuse lone surrogates (``clause-qa ask`` gets them from undecodable argv bytes) before they reach
    the embedder, which would fail with a UnicodeEncodeError deep inside."""
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidText(f"the text is not valid Unicode (a lone surrogate at character {exc.start})") from None


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 3)
