"""Step 1, analyse: what a question asks, about what, and of which document.

The question type comes from the classifier (a linear model over the query embedding and the lexicon's
rule cues, ``qa/classifier.py``); this module gathers its inputs and the facts the later steps need:
the units the question names, the document it is about, its topic (the question without the words
that ask), the kind of fact it asks for (a number, a date, a person…), and the section headings it
names.  All words come from ``corpus/lexicon.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from corpus import lexicon
from corpus.models import Clause, Document
from corpus.numbering import Style, classify, number_value
from corpus.text import char_bigrams, normalise
from corpus.unit_matcher import UnitMatcher, UnitMention
from qa.lexical import Expansions
from qa.models import Words


class QuestionType(StrEnum):
    RESPONSIBILITY = "responsibility"  # 谁牵头 / 哪个部门负责 / X归谁管 / 哪位领导分管
    UNIT_LIST = "unit_list"  # 济南市教育局负责哪些任务
    TARGET = "target"  # 多少名 / 几次 / 什么时候完成 / 比例
    TOPIC = "topic"  # 关于X有什么安排
    SECTION_LIST = "section_list"  # <heading>包含哪些措施 / 一共要编制几个专项实施方案


_YEAR = lexicon.YEAR
_YEAR_WORD = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)\s*年?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# Characters of a plan's title a question repeats to name it among its issuer's plans (十项民生实事).
_TITLE_STRETCH = 4
_QUOTED = re.compile("|".join(f"{re.escape(o)}([^{re.escape(c)}]+){re.escape(c)}" for o, c in lexicon.QUOTE_MARKS))
_A_FEW_MORE = re.compile(f"(?<![{lexicon.AT_MOST}]){lexicon.MORE}({_CJK.pattern}){lexicon.COUNT_WORD}")


_MEASURES = lexicon.alternation([m for m in lexicon.MEASURE_WORDS if m not in ("%", "％")])
_FILLERS = re.compile(
    rf"{lexicon.alternation(lexicon.QUESTION_FILLERS + lexicon.SECTION_WORDS)}|"
    rf"{re.escape(lexicon.COUNT_WORD)}(?:{_MEASURES})?|[{re.escape(lexicon.QUESTION_CHARS)}\s]+"
)
_ASKED_MEASURE = re.compile(rf"(?:多少|{re.escape(lexicon.COUNT_WORD)})\s*({_MEASURES})")


def cue_in(form: str, words: Sequence[str], pairs: Sequence[tuple[str, str, int]] = ()) -> bool:
    """A cue word of ``words`` in the text, or a pair of ``pairs`` with at most N characters between."""
    if any(w in form for w in words):
        return True
    for first, second, gap in pairs:
        at = form.find(first)
        while at >= 0:
            after = form.find(second, at + len(first))
            if 0 <= after - at - len(first) <= gap:
                return True
            at = form.find(first, at + 1)
    return False


def asked_type(form: str) -> str | None:
    """The kind of fact the question asks for (lexicon.ANSWER_TYPE_CUES, in order), or None.

    "哪几项" lists, it does not count: the count words are only read where they are not after 哪; nor
    does "多建几家" (build a few more).
    """
    form = _A_FEW_MORE.sub(r"\1", form.replace(lexicon.WHICH + lexicon.COUNT_WORD, lexicon.WHICH))
    titles = (*lexicon.OFFICIAL_TITLES, *lexicon.ROLE_TITLES)
    if any(t in form for t in titles) and any(w in form for w in lexicon.PERSON_QUESTION_WORDS):
        return "person"
    asks_who = any(w in form for w in lexicon.ANSWER_TYPE_CUES["unit"])
    asks_amount = any(w in form for w in lexicon.AMOUNT_QUESTION_WORDS)
    growth = any(w in form for w in lexicon.GROWTH_QUESTION_WORDS) and not any(
        w in form for w in lexicon.MONEY_AMOUNT_WORDS)
    if asks_amount and lexicon.SHORTENED_TIME.search(form):
        return "number"
    for kind, words in lexicon.ANSWER_TYPE_CUES.items():
        if kind in ("money", "percent") and asks_who and not asks_amount:
            continue  # "发补助，这事谁挑头？": the noun names the task, 谁 is what is asked
        if any(w in form for w in words) or (kind == "percent" and growth):
            return kind
    if cue_in(form, (), lexicon.RESPONSIBILITY_PAIRS):
        return "unit"
    return None


_QUESTION_PARTS = re.compile("[，,；;。？?！!]")


def asks_who_and_a_fact(form: str) -> bool:
    """The question asks, in parts of its own, who is responsible and a fact: "中欧班列谁牵头，什么时候完成".
    Not "分管领导的手机号是多少", one part asking a fact of the responsible."""
    pieces = [p for p in _QUESTION_PARTS.split(form) if p.strip()]
    who = [p for p in pieces if cue_in(p, lexicon.RESPONSIBILITY_CUES, lexicon.RESPONSIBILITY_PAIRS)]
    return bool(who) and any(asked_type(p) not in (None, "unit", "person") for p in pieces if p not in who)


def place_names(places: Iterable[str]) -> frozenset[str]:
    """The issuers' places as a question writes them: normalised, with their suffix and without (济南市, 济南)."""
    forms = {normalise(p) for p in places}
    return frozenset(forms | {lexicon.place_core(p) for p in forms})


def counts_items(asked: str | None, measure: tuple[str, ...]) -> bool:
    """A count of the plan's items ("几项", "多少条"), which a list answers: not of a quantity a task states."""
    return asked in (None, "number") and bool(measure) and set(measure) <= set(lexicon.ITEM_MEASURES)


_WHOLE_PLAN_WORDS = sorted((*lexicon.WHOLE_PLAN_WORDS, *lexicon.ITEM_MEASURES, "个"), key=len, reverse=True)


def about_whole_plan(subject: str) -> bool:
    """Nothing is left of the subject but words for the plan and its items ("这个方案 一共 任务")."""
    rest = subject
    for word in _WHOLE_PLAN_WORDS:
        rest = rest.replace(word, " ")
    return not _CJK.search(rest)


def clause_numbers(form: str) -> tuple[str, ...]:
    """The numbers of the clauses a question names, in digits: 第5条 → 5, 第十二项 → 12, and the number of a plan
    that restarts per section as its citations print it (第4.1条 → 4.1)."""
    values = (m.group(1) if "." in m.group(1) else number_value(m.group(1))
              for m in lexicon.CLAUSE_NUMBER.finditer(form))
    return tuple(dict.fromkeys(str(v) for v in values if v))


_HEADING_MARKS = (Style.CHINESE, Style.CHINESE_PAREN, Style.ARABIC_PAREN)


def _without_heading_marks(form: str) -> str:
    """The question without the section marks it opens with ("（三）兜牢民生保障底线包括哪些内容", "三（三）…"): the
    heading's words are what it names (the marks are in no heading's title a topic is matched against)."""
    numbered = classify(form)
    while numbered is not None and numbered.style in _HEADING_MARKS:
        form = form[numbered.body_offset :]
        numbered = classify(form)
    return form


def document_facts(form: str) -> tuple[str, ...]:
    """What the question asks about the document itself (lexicon.DOCUMENT_FACT_CUES): "文号是什么，哪天印发的"."""
    return tuple(fact for fact, words in lexicon.DOCUMENT_FACT_CUES.items() if any(w in form for w in words))


def asked_measure(form: str) -> tuple[tuple[str, ...], bool]:
    """The measure words that state what a count question asks, and whether only they do.

    多少名 → (名,), strict; 多少人 → (人, 名), strict; 多少个 → (个,), any count; 多少老师 → (名,) (lexicon);
    面积有多大 → square measures only (strict).
    """
    for attribute, measures in lexicon.ATTRIBUTE_MEASURES.items():
        if attribute in form:
            return measures, True
    match = _ASKED_MEASURE.search(form)
    if match:  # "每场多少家企业": a count in 场 does not answer it; 个 counts anything
        word = match.group(1)  # 多少人: 3.5万人 and 20名 both answer
        return tuple(dict.fromkeys((word, lexicon.MEASURE_SYNONYMS.get(word, word)))), word not in lexicon.GENERIC_MEASURES
    if "多少" in form or lexicon.COUNT_WORD in form:
        for word, measure in lexicon.MEASURE_SYNONYMS.items():
            if len(word) > 1 and word in form:
                return (measure,), False
    return (), False


def _trim(piece: str, known: Container[str]) -> str:
    if piece[:1] in lexicon.PIECE_HEAD and piece[:2] not in known:
        piece = piece[1:]
    if piece[-1:] in lexicon.PIECE_TAIL and piece[-2:] not in known:
        piece = piece[:-1]
    return piece


def topic_of(text: str, known: Container[str], words: Words | None = None) -> str:
    """``text`` without years and question words, as space-separated pieces (a lone character dropped).

    With ``words`` (a segmenter's word spans), a section word inside a word stays: the 大项 of 重大项目 (a
    question word is cut wherever it is: 具体安排 is one word to the segmenter, and two fillers).
    """
    form = _YEAR_WORD.sub(" ", normalise(text))
    edges: set[int] = set()  # word edges of the form, segmented only once a section word is met

    def drop(match: re.Match[str]) -> str:
        if words is None or match.group() not in lexicon.SECTION_WORDS or match.group().startswith(
                lexicon.DEICTIC_STARTS):
            return " "
        if not edges:
            edges.update(edge for span in words(form) for edge in span)
        return match.group() if not set(match.span()) <= edges else " "

    pieces = (_trim(p, known) for p in _FILLERS.sub(drop, form).split())
    return " ".join(p for p in pieces if len(p) > 1)


def wants_lead(form: str) -> bool:
    """The question asks who leads, or for the tasks a unit leads, and not also for those it takes part in."""
    return lexicon.LEAD_VERB in form and not cue_in(form, (), lexicon.LEAD_OR_TAKING_PART)


def beyond_title(subject: str, title: str) -> str:
    """``subject`` without the stretches of two or more characters that ``title`` has: in "青峪县应急局在防灾
    减灾方面负责什么" about the 防灾减灾…任务分解, 防灾减灾 restricts nothing, the whole plan is about it."""
    kept, i = [], 0
    while i < len(subject):
        end = next((j for j in range(len(subject), i + 1, -1) if subject[i:j] in title), None)
        if end is None:
            kept.append(subject[i])
            i += 1
        else:
            kept.append(" ")
            i = end
    return " ".join("".join(kept).split())


def _stretches(text: str, n: int = _TITLE_STRETCH) -> set[str]:
    """The ``n``-character stretches of ``text``'s runs of Chinese characters."""
    return {run[i : i + n] for run in _CJK_RUN.findall(text) for i in range(len(run) - n + 1)}


def cjk_chars(text: str) -> int:
    return len(_CJK.findall(text))


@dataclass(frozen=True)
class _DocumentForms:
    """The matching forms of what names a document in a question."""

    id: str
    short_name: str
    places: tuple[str, ...]  # its places, and their names without the suffix: 柯洲市, 柯洲 ("柯洲 招商引资")
    title: str
    title_stretches: frozenset[str]  # what tells the title from another plan's of the same place

    @classmethod
    def of(cls, document: Document) -> _DocumentForms:
        title = normalise(document.title)
        places = tuple(normalise(p) for p in document.places)
        cores = tuple(core for core in map(lexicon.place_core, places) if len(core) >= 2)
        return cls(normalise(document.document_id), normalise(document.short_name),
                   tuple(dict.fromkeys(places + cores)), title, frozenset(_stretches(title)))


@dataclass(frozen=True)
class Heading:
    """A section heading of a document, and the clauses under it."""

    document_id: str
    path: tuple[str, ...]  # the section path down to this heading
    title: str  # the heading without its number: 加强资金保障
    clause_ids: tuple[str, ...]
    number: int | None = None  # its printed number: 2 of "二、全面实施乡村振兴", of "第二部分 …"


def _heading_number(text: str) -> int | None:
    """The printed number a heading starts with: "二、…" → 2, "（十）…" → 10, "第三部分 …" → 3."""
    numbered = classify(normalise(text))
    return numbered.number if numbered else None


def _heading_title(text: str) -> str:
    """A heading without its numbering and end mark: "（二十）加强资金保障。" → "加强资金保障", "第三部分 民生实事" → "民生实事"."""
    form = normalise(text)
    numbered = classify(form)
    return form[numbered.body_offset if numbered else 0 :].rstrip("。.；;：:")


def headings(clauses: Sequence[Clause]) -> tuple[Heading, ...]:
    """Every heading of every document (each level), with the clauses under it, in order."""
    found: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for clause in clauses:
        for depth in range(1, len(clause.section) + 1):
            found.setdefault((clause.document_id, clause.section[:depth]), []).append(clause.clause_id)
    return tuple(
        Heading(doc, path, title, tuple(ids), _heading_number(path[-1]))
        for (doc, path), ids in found.items()
        if (title := _heading_title(path[-1]))
    )


@dataclass(frozen=True)
class Analysis:
    question: str
    form: str  # the question's matching form (normalised)
    type: QuestionType
    asked: str | None  # the kind of fact asked for: number, percent, money, date, person, unit
    measure: tuple[str, ...]  # the measure words of a count question (名, 次; 平方公里 for 面积)
    measure_strict: bool  # only those measures answer (an attribute such as 面积), not any number
    units: tuple[str, ...]  # units the question names, aliases resolved
    wants_lead: bool
    document: str | None  # document id the question is about, when it says so
    topic: str  # what is left once question words are cut out (pieces joined by spaces)
    follow_up: bool  # reads as a continuation of the previous turn
    subject: str  # the topic without the units it names
    content_chars: int  # characters of the subject, less those of the named plan's title (beyond_title)
    headings: tuple[tuple[float, Heading], ...] = ()  # headings the topic names, best first
    years: tuple[int, ...] = ()  # years the question names ("2024年…"): the plans of those years
    issuers: tuple[str, ...] = ()  # places of plans the question names, taken out of its topic (青禾区…)
    title_chars: int = 0  # characters of the subject that only repeat the named plan's title
    leaders: tuple[str, ...] = ()  # officials the question names, as the clauses write them (许建平, 王海燕副县长)
    plan_place: str = ""  # the one place of the plan it is about, normalised: whose plan, not which task (嘉泷市)
    document_facts: tuple[str, ...] = ()  # what it asks about the document itself: number, date, issuer
    clause_numbers: tuple[str, ...] = ()  # numbers of the clauses it names, in digits: 第5条, 第十二项, 第4.1条
    counts_plan: bool = False  # it asks how many items the plan has ("一共有几项任务"), about nothing narrower
    joint: tuple[tuple[str, ...], ...] = ()  # units named as sharing each task (X和Y共同负责): one group a mention
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # the query embedding
    type_scores: dict[str, float] = field(default_factory=dict, compare=False)  # the classifier's logits
    cues: dict[str, float] = field(default_factory=dict, compare=False)  # the rule cues it saw


class Analyser:
    """Analyses questions against one corpus: its units, documents and headings."""

    def __init__(
        self,
        matcher: UnitMatcher,
        documents: Sequence[Document],
        clauses: Sequence[Clause],
        known_bigrams: Container[str],
        heading_cover: Callable[[str, str, Expansions], float],
        expansions: Callable[[str], Expansions],
        classify: Callable[[Analysis], tuple[QuestionType, dict[str, float]]],
        heading_coverage: float,
        heading_min_chars: int,
        words: Words | None = None,
    ) -> None:
        """``clauses``: every citable clause (tasks and passages: a section of paragraphs has a heading too);
        ``words``: the keyword channel's word spans of a normalised text (a section word is cut at words only);
        ``heading_cover(topic, title, expansions)``: the share of the topic a heading's title contains, 0
        for a title that shares no character bigram with the topic or with a synonym of its words (as
        ``LexicalScorer.coverage``: the title index relies on it); ``expansions(topic)``: the corpus words
        the topic's words may stand for; ``heading_coverage``: the share a named heading needs, above 0."""
        if not 0 < heading_coverage <= 1:
            raise ValueError(f"heading coverage must be in (0, 1], got {heading_coverage}")
        self._matcher, self._documents, self._known, self._words = matcher, tuple(documents), known_bigrams, words
        self._places = tuple(sorted({normalise(p) for d in self._documents for p in d.places}, key=len, reverse=True))
        self._forms = {d.document_id: _DocumentForms.of(d) for d in self._documents}  # matched every question
        # Next year's plan repeats this year's headings: each title is scored once, whatever the number of
        # documents, and only a title that shares a bigram with the topic or its synonyms is scored at all.
        self._titled: dict[str, list[tuple[int, Heading]]] = {}  # title → (document order, heading)
        self._numbered: dict[int, list[Heading]] = {}  # printed number → headings, in document order
        for order, heading in enumerate(headings(clauses)):
            self._titled.setdefault(heading.title, []).append((order, heading))
            if heading.number:
                self._numbered.setdefault(heading.number, []).append(heading)
        self._titles_with: dict[str, set[str]] = {}
        for title in self._titled:
            for gram in char_bigrams(title):
                self._titles_with.setdefault(gram, set()).add(title)
        self._cover, self._expansions, self._classify = heading_cover, expansions, classify
        self._heading_coverage, self._heading_min_chars = heading_coverage, heading_min_chars
        # Every clause's matching form, one per line: to tell a named thing from a fragment, and (RetrieveStep)
        # to rule a phrase out with one scan.
        self.text = "\n".join(normalise(c.text) for c in clauses if c.is_task)
        # A place no clause names is the issuer of a plan (青禾区 of 青禾区2024年…分工方案): it says whose plan
        # the question is about (the document hint), not what about, and as a topic word nothing covers it.
        self._issuers = tuple(p for p in self._places if p not in self.text)
        # The one place of a plan a question is about (its document hint): named in its tasks too
        # (新建榆浦县第二实验小学), it still says whose plan, not which task.
        self._plan_place = {d.document_id: normalise(d.places[0]) for d in documents if len(d.places) == 1}
        # Officials the tasks name (责任领导：许建平), by the name a question uses: 许建平 for 许建平副市长 too.
        self._leaders: dict[str, str] = {}
        for name in dict.fromkeys(n for c in clauses for n in c.leaders):
            self._leaders.setdefault(normalise(lexicon.person_name(name)), name)

    def _about_a_plan(self, subject: str, document: str | None) -> bool:
        """Nothing is left of the subject but words for a plan and its items, or its title's words ("一共有多少项
        民生工作" of the 民生工作目标任务分解表)."""
        titles = [f.title for d, f in self._forms.items() if document in (None, d)]
        return about_whole_plan(subject) or any(about_whole_plan(beyond_title(subject, t)) for t in titles)

    def topic(self, question: str) -> str:
        return self._without_issuers(topic_of(self._without_document(normalise(question))[0], self._known, self._words))[0]

    def _without_issuers(self, topic: str, document: str | None = None) -> tuple[str, tuple[str, ...]]:
        """The topic without the issuing places it names (and the place of the plan it is about), and those
        places; a topic that is nothing but places ("鹭汀区的呢？") stays as it is."""
        places = (*self._issuers, self._plan_place[document]) if document in self._plan_place else self._issuers
        named = tuple(dict.fromkeys(place for place in places if place in topic))
        rest = topic
        for place in named:
            rest = rest.replace(place, " ")
        rest = " ".join(p for p in rest.split() if len(p) > 1)
        return (rest, named) if rest else (topic, ())

    def _without_document(self, form: str) -> tuple[str, str | None]:
        document = self._document_hint(form)
        if document:
            for name in (self._forms[document].id, self._forms[document].short_name):
                form = form.replace(name, " ") if name else form
        return form, document

    def _document_hint(self, form: str) -> str | None:
        forms = self._forms
        named = [d for d in self._documents if forms[d.document_id].id in form]
        if not named:
            named = [d for d in self._documents if forms[d.document_id].short_name
                     and forms[d.document_id].short_name in form]
        if not named:  # "青禾区…": the plans the places it names issued
            named = [d for d in self._documents if any(p in form for p in forms[d.document_id].places)]
        if len(named) > 1:  # one place's two plans (a report's tasks, its 十项民生实事): the title's own words
            asked = _stretches(form)
            own = [d for d in named if asked & forms[d.document_id].title_stretches.difference(
                *(forms[o.document_id].title_stretches for o in named if o is not d))]
            if len(own) == 1:
                return own[0].document_id
        years = {int(y) for y in _YEAR.findall(form)}
        if years and len(named) != 1:
            pool = named or self._documents
            # A year in the title ("…2023年工作要点") says more than the year the notice was dated.
            titled = [d for d in pool if any(str(y) in forms[d.document_id].title for y in years)]
            dated = titled or [d for d in pool if d.year in years]
            if len(dated) == 1:
                return dated[0].document_id
        if len(named) == 1:
            return named[0].document_id
        this = any(w in form for w in lexicon.THIS_YEAR_WORDS)
        last = any(w in form for w in lexicon.LAST_YEAR_WORDS)
        if this != last:  # 今年: the latest plan; 去年: the one the year before it ("今年比去年" asks of both)
            years_known = [d for d in (named or self._documents) if d.year]
            if years_known:
                wanted = max(d.year for d in years_known) - (1 if last else 0)
                of_year = [d for d in years_known if d.year == wanted]
                if len(of_year) == 1:
                    return of_year[0].document_id
        return None

    def _headings_quoted(self, form: str, document: str | None) -> tuple[tuple[float, Heading], ...]:
        """Headings the question quotes (“惠企政策公开”有哪些任务), whole or a long enough part of them."""
        quoted = [q for groups in _QUOTED.findall(form) for q in groups if len(q) >= self._heading_min_chars]
        if not quoted:  # most questions: no pass over every heading title
            return ()
        found = [(order, h) for title, entries in self._titled.items()
                 if any(q == title or (len(q) >= 4 and q in title) for q in quoted)
                 for order, h in entries if not document or h.document_id == document]
        found.sort(key=lambda named: (-len(named[1].path), named[0]))
        return tuple((1.0, heading) for _, heading in found)

    def _headings_numbered(self, form: str, document: str | None) -> tuple[tuple[float, Heading], ...]:
        """Headings the question names by number ("第二部分有哪些任务"): in each document (or the one named), the
        heading of that number at the shallowest level that has one."""
        numbers = [v for m in lexicon.SECTION_NUMBER.finditer(form) if (v := number_value(m.group(1)))]
        found: list[Heading] = []
        for number in dict.fromkeys(numbers):
            by_document: dict[str, list[Heading]] = {}
            for heading in self._numbered.get(number, ()):
                if not document or heading.document_id == document:
                    by_document.setdefault(heading.document_id, []).append(heading)
            for candidates in by_document.values():
                shallowest = min(len(h.path) for h in candidates)
                found += [h for h in candidates if len(h.path) == shallowest]
        return tuple((1.0, heading) for heading in found)

    def _headings_named(self, topic: str, document: str | None, form: str) -> tuple[tuple[float, Heading], ...]:
        """Headings by how much of ``topic`` their titles cover.  Of those that cover it equally, one the question
        ``form`` names word for word (保障措施有哪些 of 五、保障措施) is meant, not one that only holds its words
        (兜牢就业和社会保障底线): the others tied with it are left out."""
        for place in self._places:  # "青禾区扩大有效投资方面": the place says whose plan, not which heading
            topic = topic.replace(place, " ")
        if len(topic.replace(" ", "")) < self._heading_min_chars:
            return ()
        expansions = self._expansions(topic)
        # A title sharing no bigram with the topic or a synonym of its words covers none of it.
        grams = char_bigrams(topic) | {g for meanings in expansions.values() for m in meanings for g in char_bigrams(m)}
        scored = []
        for title in {t for g in grams for t in self._titles_with.get(g, ())}:
            score = self._cover(topic, title, expansions)
            if score >= self._heading_coverage:
                scored += [(round(score, 4), order, h) for order, h in self._titled[title]
                           if not document or h.document_id == document]
        scored.sort(key=lambda named: (-named[0], -len(named[2].path), named[1]))
        best = scored[0][0] if scored else None
        named = [n for n in scored if n[0] == best and normalise(n[2].title) in form]
        if named:
            scored = named + [n for n in scored if n[0] != best]
        return tuple((score, heading) for score, _, heading in scored)

    @staticmethod
    def continuing(analysis: Analysis, previous: str) -> Analysis:
        """A follow-up that names only what it is about, ending as one does (那临沂呢？, 那济南商场设专柜呢？), asks
        what the previous question asked: who is responsible, or the same kind of fact.  One that asks something
        of its own (今年有啥新动作？) keeps it."""
        ends = analysis.form.rstrip("？?。.!！ ").endswith(lexicon.FOLLOW_UP_ENDS)
        if analysis.type is not QuestionType.TOPIC or analysis.asked is not None or not ends:
            return analysis
        form = normalise(previous)
        if cue_in(form, lexicon.RESPONSIBILITY_CUES, lexicon.RESPONSIBILITY_PAIRS):
            return replace(analysis, type=QuestionType.RESPONSIBILITY, asked="unit", wants_lead=wants_lead(form))
        asked = asked_type(form)
        if asked is None:
            return analysis
        measure, strict = asked_measure(form)
        return replace(analysis, type=QuestionType.TARGET, asked=asked, measure=measure, measure_strict=strict)

    def __call__(self, question: str, has_history: bool, vector: np.ndarray | None = None) -> Analysis:
        """``vector``: the question's query embedding (the one retrieval uses), for the classifier."""
        form = normalise(question)
        mentions = self._matcher.find(form)
        units = tuple(dict.fromkeys(u for m in mentions for u in m.units))
        rest_form, document = self._without_document(form)
        rest_form = _without_heading_marks(rest_form)
        topic = topic_of(rest_form, self._known, self._words)
        rest = rest_form  # the units left out before topic_of, which spaces out their 、 (各县（市、区）政府)
        for mention in mentions:
            rest = rest.replace(mention.text, " ")
        subject = self._without_issuers(topic_of(rest, self._known, self._words), document)[0]
        government = () if mentions else self._matcher.government(subject.strip())
        if government and cue_in(form, lexicon.UNIT_TASK_CUES, lexicon.UNIT_TASK_PAIRS):
            # "宁南区负责哪些任务": a place the plans name as a unit (宁南区政府) is all it asks about
            mentions, units, subject = [UnitMention(subject.strip(), government)], government, ""
        topic, issuers = self._without_issuers(topic, document)
        own = beyond_title(subject, self._forms[document].title) if document else subject
        content = len(own.replace(" ", ""))
        asked = asked_type(form)
        cues = {
            "responsibility": float(cue_in(form, lexicon.RESPONSIBILITY_CUES, lexicon.RESPONSIBILITY_PAIRS)),
            "unit_task": float(cue_in(form, lexicon.UNIT_TASK_CUES, lexicon.UNIT_TASK_PAIRS)),
            "target": float(cue_in(form, lexicon.TARGET_CUES) or asked in ("number", "percent", "money", "date")),
            "list": float(cue_in(form, lexicon.LIST_CUES)),
            "section": float(cue_in(form, lexicon.SECTION_WORDS)),
            "units": float(bool(units)),
            "unit_only": float(bool(units) and content <= 2),
            "person": float(asked == "person"),
        }
        named = (self._headings_quoted(form, document) or self._headings_numbered(form, document)
                 or self._headings_named(own, document, form))
        cues["heading"] = named[0][0] if named else 0.0
        measure, strict = asked_measure(form)
        leaders = tuple(name for key, name in self._leaders.items() if len(key) >= 2 and key in form)
        draft = Analysis(
            question=question, form=form, type=QuestionType.TOPIC, asked=asked, measure=measure, measure_strict=strict,
            units=units, wants_lead=wants_lead(form), document=document, topic=topic,
            follow_up=False, subject=subject, content_chars=content, headings=named, vector=vector, cues=cues,
        )
        kind, scores = self._classify(draft)
        starts_like_follow_up = any(form.startswith(w) for w in lexicon.FOLLOW_UP_STARTS)
        # A short question that asks for a fact and names nothing ("一年至少讲几次？") continues the last turn.
        # A question that names something the documents have ("中欧班列由哪些部门负责？") stands on its own.
        names_a_thing = any(len(piece) >= 3 and piece in self.text for piece in subject.split())
        short_ask = content <= 6 and asked is not None and not units and document is None and not names_a_thing
        follow_up = has_history and (starts_like_follow_up or content <= 3 or short_ask) and kind is not QuestionType.UNIT_LIST
        if kind is QuestionType.RESPONSIBILITY and asked is None:
            asked = "unit"
        return Analysis(
            question=question, form=form, type=kind, asked=asked, measure=measure, measure_strict=strict, units=units,
            wants_lead=draft.wants_lead, document=document, topic=topic, follow_up=follow_up,
            subject=subject, content_chars=content, headings=named, vector=vector, type_scores=scores, cues=cues,
            years=tuple(sorted({int(y) for y in _YEAR.findall(form)})), issuers=issuers,
            title_chars=len(subject.replace(" ", "")) - content,
            leaders=leaders, plan_place=self._plan_place.get(document, "") if document else "",
            document_facts=document_facts(form), clause_numbers=clause_numbers(form),
            joint=tuple(m.units for m in mentions) if len(mentions) >= 2 and any(
                w in form for w in lexicon.JOINT_CUES) else (),
            # "一共几项？" after a question about a unit counts that unit's tasks: a follow-up is not about the plan
            counts_plan=((counts_items(asked, measure) or bool(lexicon.ITEM_NOUN_COUNT.search(form))) and not units
                         and not leaders and not follow_up and self._about_a_plan(subject, document)),
        )
