"""Step 3, judge: does the evidence answer the question, and how strongly does each clause support it.

A logistic model (``qa/calibration.json``: feature list, weights, bias, version) gives every candidate
the probability that it answers the question; the question is answerable when the best one reaches
the calibrated threshold.  A refusal says why: what the question names that the documents do have
(文件提到X), and what they do not state (没有写明Y).  A question with no Chinese the documents share
(nonsense, another language) gets a plain refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corpus import lexicon
from corpus.text import char_bigrams
from qa.analysis import Analysis, QuestionType, asks_who_and_a_fact, cjk_chars
from qa.calibration import JudgeCalibration, RefusalCalibration
from qa.evidence import states
from qa.gazetteer import Gazetteer
from qa.lexical import Expansions, LexicalScorer, TopicParts
from qa.models import Span
from qa.retrieve import Listing, Retrieved
from qa.signals import ASKED_DEPTH, Evidence, Signals, question_features

_REASONS = {  # feature → how the why reads it when it is strong
    "synonym_coverage": "问题用词{value}见于条款（含同义词）",
    "sentence": "条款中有一句与问题高度相近",
    "agreement": "关键词与语义两路检索都把它排在前列",
}


@dataclass(frozen=True)
class Scored:
    evidence: Evidence
    probability: float  # the relevance model's: this clause answers the question

    @property
    def clause(self):
        return self.evidence.hit.clause

    @property
    def sentence(self) -> Span | None:
        return self.evidence.sentence


@dataclass(frozen=True)
class Judgement:
    answerable: bool
    support: float  # the answerability model's probability (1 for a non-empty list)
    why: str  # the decision's reasons, one short line
    ranked: tuple[Scored, ...]  # candidates, most likely first
    listing: Listing | None
    thing: str  # what the question names that the documents have ("" if nothing)
    missing: str  # what the documents do not state ("" if nothing in particular)
    plain: bool  # refuse without related clauses
    expansions: Expansions
    absent: tuple[str, ...] = ()  # places and years the question names that the documents never mention
    elsewhere: Scored | None = None  # another plan's clause that says what the named plan does not
    unstated: str = ""  # of a two-part answer, the part the documents do not state (完成时间 of 谁牵头，什么时候完成)


class Judge:
    def __init__(self, signals: Signals, lexical: LexicalScorer, gazetteer: Gazetteer, judge: JudgeCalibration,
                 refusal: RefusalCalibration) -> None:
        self._signals, self._lexical, self._gazetteer = signals, lexical, gazetteer
        self._c, self._refusal = judge, refusal

    def evidence(self, retrieved: Retrieved, vector) -> list[Evidence]:
        """The candidates' signals: the fused top ones, and the best of the synonym search."""
        depth = self._c.candidates
        hits = list(retrieved.hits[:depth])
        taken = {h.clause.clause_id for h in hits}
        hits += [h for h in retrieved.hits[depth:] if retrieved.synonym_ranks.get(h.clause.clause_id, depth) <= 3
                 and h.clause.clause_id not in taken]
        return self._signals.measure(
            retrieved.analysis, retrieved.topic, retrieved.expansions, tuple(hits), vector, retrieved.synonym_ranks,
            retrieved.unit_tasks,
        )

    def ranked(self, evidence: list[Evidence]) -> tuple[Scored, ...]:
        model = self._c.relevance
        return tuple(sorted((Scored(e, model.probability(e.features)) for e in evidence), key=lambda s: -s.probability))

    def question_features(self, retrieved: Retrieved, ranked: tuple[Scored, ...]) -> dict[str, float]:
        """The answerability model's inputs (``evaluation/calibrate.py`` fits on them)."""
        return question_features(retrieved.analysis, retrieved.topic or retrieved.analysis.question,
                                 [(s.evidence, s.probability) for s in ranked], retrieved.context is not None)

    def __call__(self, retrieved: Retrieved, vector) -> Judgement:
        analysis = retrieved.analysis
        absent = self._gazetteer.absent(analysis.form)
        unknown = self._unknown_subject(analysis)
        if retrieved.listing is not None and not absent and not unknown:
            return self._listing(retrieved)
        expansions = retrieved.expansions
        ranked = self.ranked(self.evidence(retrieved, vector))
        best = ranked[0] if ranked else None
        support = self._c.answerability.probability(self.question_features(retrieved, ranked)) if best else 0.0
        topic = retrieved.topic or analysis.question
        parts = _with_officials(self._lexical.parts(topic, expansions), analysis.leaders)
        thing = "、".join(parts.known)
        # Nothing the documents could be searched for (another language, nonsense, a topic that shares not one
        # character bigram with the clauses): a plain refusal, whatever the model says.  A word the documents
        # only have part of (停车位 of 停车泊位) is for the model to judge.
        named_nothing = (not parts.known and not analysis.units and retrieved.context is None
                         and not any(gram in self._lexical.vocabulary for gram in char_bigrams(topic)))
        few_chars = cjk_chars(analysis.question) < self._refusal.min_cjk_chars
        if absent and not few_chars:  # no clause answers for a place or year the documents never name
            why = f"文件没有提到{'、'.join(absent)}"
            return Judgement(False, support, why, ranked, None, thing, "", not ranked, expansions, absent)
        if unknown and not few_chars:  # "体育局负责哪些任务" of plans that name no such office
            why = f"文件没有提到{'、'.join(unknown)}"
            return Judgement(False, support, why, ranked, None, thing, "", True, expansions, unknown)
        uncounted = self._uncounted(analysis, parts.unknown)
        if uncounted and not few_chars:  # "多少名医生" of plans that send teachers: nothing to count
            why = f"文件没有提到{'、'.join(uncounted)}"
            return Judgement(False, support, why, ranked, None, thing, "", False, expansions, uncounted)
        if few_chars or best is None or named_nothing:
            unnamed = self._unnamed(analysis)
            if unnamed and not few_chars:
                why = f"文件没有提到{'、'.join(unnamed)}"
                return Judgement(False, support, why, ranked, None, "", "", True, expansions, unnamed)
            return Judgement(False, support, "问题中没有可在文件中查找的中文内容", ranked, None, "", "", True, expansions)
        # A person's name or a phone number is answered only where a clause states one, whatever the model says; so
        # is a count of an attribute named with its measure (面积 in 亩, 分值 in 分: not by the 8% a task states),
        # and a count of people (多少名干部: not by a task that sends cadres without saying how many).
        stated_only = analysis.asked in lexicon.STATED_FACTS_ONLY or analysis.asked == "number" and (
            any(a in analysis.form for a in lexicon.ATTRIBUTE_MEASURES)
            or (analysis.measure_strict and set(analysis.measure) <= set(lexicon.PEOPLE_MEASURES)))
        stated = self._states_asked(ranked)
        lacking = stated_only and not stated
        # "中欧班列谁牵头，什么时候完成？": who is stated, when is not; answer who, and say what is not written
        two_part = analysis.asked not in (None, "unit", "person") and asks_who_and_a_fact(analysis.form)
        if lacking and two_part:
            who = self(replace(retrieved, analysis=replace(analysis, asked="unit", measure=(), measure_strict=False)),
                       vector)
            if who.answerable and who.listing is None:
                return _unstated(who, lexicon.ANSWER_TYPE_NAMES[analysis.asked])
        if support >= self._c.answer_threshold and not lacking:
            other = self._elsewhere(retrieved, vector, best)
            if other is not None:  # "今年户厕改造多少户": last year's plan has it, this year's does not
                why = (f"可答概率{support:.2f}，但所问方案的条款相关度{best.probability:.2f}，"
                       f"另一方案的条款相关度{other.probability:.2f}")
                return Judgement(False, support, why, ranked, None, thing, "", False, expansions, elsewhere=other)
            why = f"可答概率{support:.2f}；" + self._why_answer(best)
            answer = Judgement(True, support, why, ranked, None, thing, "", False, expansions)
            if two_part and not best.evidence.features["asked_present"]:  # the clause answered with does not say
                return _unstated(answer, lexicon.ANSWER_TYPE_NAMES[analysis.asked])
            return answer
        missing = ""
        if analysis.asked and analysis.asked != "unit" and not self._states_asked(ranked):
            missing = lexicon.ANSWER_TYPE_NAMES[analysis.asked]
        # the topic's words the documents lack, not a piece of the count asked (人去 of 多少人去临沂)
        lacking_words = [w for w in parts.unknown if not w.startswith(analysis.measure or ("\0",))]
        if lacking_words:
            missing = "、".join(lacking_words)
        plain = not parts.known and analysis.type is not QuestionType.UNIT_LIST
        why = self._why_refusal(support, missing, thing, plain, analysis.asked if lacking else None)
        unnamed = self._unnamed(analysis)
        if unnamed:  # "区教育局负责什么" of a plan that never names it: say so
            why = f"{why}；文件没有提到{'、'.join(unnamed)}"
        return Judgement(False, support, why, ranked, None, thing, missing, plain, expansions, unnamed)

    def _elsewhere(self, retrieved: Retrieved, vector, best: Scored) -> Scored | None:
        """The other plans' best clause, when it answers much better than the best of the plan the question names."""
        if not retrieved.elsewhere:
            return None
        other = self.ranked(self._signals.measure(
            retrieved.analysis, retrieved.topic, retrieved.expansions, retrieved.elsewhere, vector,
            retrieved.synonym_ranks, retrieved.unit_tasks))[0]
        return other if other.probability - best.probability >= self._c.elsewhere_margin else None

    def _states_asked(self, ranked: tuple[Scored, ...]) -> bool:
        """Does a best candidate that is itself a likely answer state the kind of fact asked for?

        Likely: its relevance reaches the answer threshold.  Among the best three there is often some clause
        with an amount or a date that has nothing to do with the question (门票多少钱 of a park whose clause
        gives 1200亩, beside an unrelated clause's 资金); its relevance is near zero.
        """
        return any(s.evidence.features["asked_present"] and s.probability >= self._c.answer_threshold
                   for s in ranked[:ASKED_DEPTH])

    def _unnamed(self, analysis: Analysis) -> tuple[str, ...]:
        """Departments a refused question names that the documents never mention (looked for on refusals
        only: it scans the corpus's text)."""
        return () if analysis.units else self._gazetteer.unmentioned_units(analysis.form)

    def _uncounted(self, analysis: Analysis, unknown: tuple[str, ...]) -> tuple[str, ...]:
        """What a count question counts (the word after its measure: 医生 of 多少名医生), when the documents
        have no part of it, even through a synonym: no number of theirs counts it.  A word they have part of
        (停车位 of 停车泊位) is for the model to judge."""
        if analysis.asked != "number":
            return ()
        form = analysis.form.replace(" ", "")
        return tuple(w for w in unknown if any(f"{m}{w}" in form for m in analysis.measure)
                     and not any(gram in self._lexical.vocabulary for gram in char_bigrams(w)))

    def _unknown_subject(self, analysis: Analysis) -> tuple[str, ...]:
        """An office no unit could be short for, when it is all the question asks about ("X负责哪些任务")."""
        if analysis.units or not analysis.cues.get("unit_task"):
            return ()
        unknown = self._gazetteer.unknown_offices(analysis.form)
        rest = analysis.subject
        for name in unknown:
            rest = rest.replace(name, " ").replace(name.lstrip("".join(lexicon.LEVEL_PREFIXES)), " ")
        rest = self._gazetteer.without_places(rest)  # 济南市体育局: the office is all it asks about
        # ... or with words of the named plan's title (嘉泷市气象局负责哪些民生实事, of the 民生实事 plan)
        return unknown if unknown and len(rest.replace(" ", "")) - analysis.title_chars < 2 else ()

    def _listing(self, retrieved: Retrieved) -> Judgement:
        listing = retrieved.listing
        assert listing is not None
        if not listing.clauses:
            what = {"due": f"完成时限为{listing.label}前", "open": "完成时限为长期或持续推进"}.get(
                listing.kind, f"{listing.label}负责")
            why = f"文件中没有{what}的任务"
            return Judgement(False, 0.0, why, (), listing, listing.label, "", True, {})
        if listing.kind == "document":
            return Judgement(True, 1.0, "文件通知中印有所问的文件信息", (), listing, listing.label, "", False, {})
        if listing.kind == "numbered":
            analysis = retrieved.analysis
            if analysis.asked in lexicon.STATED_FACTS_ONLY and not any(
                    states(c, analysis.asked, analysis.measure, analysis.form, analysis.wants_lead, analysis.measure_strict)
                    for c in listing.clauses):  # "第2条什么时候完成" of a task that gives no time
                missing = lexicon.ANSWER_TYPE_NAMES[analysis.asked]
                why = f"{listing.label}没有写明{missing}"
                return Judgement(False, 0.0, why, (), None, listing.label, missing, False, {})
            return Judgement(True, 1.0, f"问题按编号指明了{listing.label}", (), listing, listing.label, "", False, {})
        what = {"units": "所列单位牵头或参与的", "leaders": f"{listing.label}负责的", "section": "该部分的",
                "kind": f"写明“{listing.label}”的", "plan": "所问方案的",
                "due": f"完成时限为{listing.label}前的", "open": "完成时限为长期或持续推进的"}[listing.kind]
        if listing.lead_only:
            what = "所列单位牵头的"
        why = f"列出文件中{what}全部{len(listing.clauses)}条"
        return Judgement(True, 1.0, why, (), listing, listing.label, "", False, {})

    def _why_answer(self, best: Scored) -> str:
        f = best.evidence.features
        reasons = [f"相关度{best.probability:.2f}"]
        if f["synonym_coverage"] >= 0.5:
            reasons.append(_REASONS["synonym_coverage"].format(value=f"{f['synonym_coverage']:.0%}"))
        if f["sentence"] >= 0.6:
            reasons.append(_REASONS["sentence"])
        if f["agreement"]:
            reasons.append(_REASONS["agreement"])
        if f["asks"] and f["asked_present"]:
            reasons.append("条款写明了所问的内容")
        return "；".join(reasons)

    def _why_refusal(self, support: float, missing: str, thing: str, plain: bool, lacking: str | None = None) -> str:
        """``lacking``: the kind of fact asked for that no best clause states (lexicon.STATED_FACTS_ONLY)."""
        head = (f"可答概率{support:.2f}，但最相关的条款都没有写明{lexicon.ANSWER_TYPE_NAMES[lacking]}"
                if lacking and support >= self._c.answer_threshold
                else f"可答概率{support:.2f}，低于{self._c.answer_threshold:.2f}")
        if plain:
            return head + "；问题所说的内容文件中没有出现"
        if missing and thing:
            return head + f"；文件提到{thing}，但没有写明{missing}"
        if missing:
            return head + f"；文件没有写明{missing}"
        return head


def _unstated(answer: Judgement, what: str) -> Judgement:
    """An answer to the part of a two-part question the documents state, saying which part they do not."""
    return replace(answer, why=f"{answer.why}；文件没有写明{what}", unstated=what)


def _with_officials(parts: TopicParts, leaders: tuple[str, ...]) -> TopicParts:
    """The topic's parts with the officials it names as the plans print them (韩立新副市长): known, whatever the
    segmenter made of them (韩立新、市长) and although their names are in the leaders' fields, not the wording."""
    if not leaders:
        return parts
    def theirs(word: str) -> bool:
        return any(word in name for name in leaders)
    return TopicParts(tuple(dict.fromkeys((*leaders, *(w for w in parts.known if not theirs(w))))),
                      tuple(w for w in parts.unknown if not theirs(w)))
