"""Step 2, retrieve: the clauses an answer may rest on.

Ranked candidates from the index (``Retriever.search``), narrowed to the document, the units or the
previous answer the question points at; or, for a unit or section list, every clause of the list,
exhaustively, never cut to a top-k.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from corpus import lexicon
from corpus.models import Clause, Document
from corpus.text import normalise
from index import Filters, Hit, Retriever
from index.tokenizer import dictionary_places
from qa.analysis import Analyser, Analysis, QuestionType, about_whole_plan, place_names
from qa.calibration import RetrievalCalibration, SectionCalibration
from qa.conversation import Context
from qa.lexical import Expansions
from qa.synonyms import Synonyms

# Fusion of the whole corpus is cheap at this size and gives every clause both channel scores.
CANDIDATES = 100
ELSEWHERE = 3  # the other plans' best hits weighed against the named plan's (Retrieved.elsewhere)


@dataclass(frozen=True)
class Listing:
    """An exhaustive answer: every clause of a unit or an official, of a section, or that states a kind of thing."""

    kind: str  # "units" | "leaders" | "section" | "kind" | "document" | "numbered" | "plan" | "due" | "open"
    label: str  # the units, the officials, the heading's title, the phrase (专项实施方案), the plans' titles, a time
    clauses: tuple[Clause, ...]
    led: frozenset[str] = frozenset()  # for a unit list: ids of the clauses the units asked about lead
    facts: str = ""  # for a document's own facts (文号, 印发日期, 发文单位): what they are, as the answer says them
    lead_only: bool = False  # a unit list of only the tasks the units lead ("发改委牵头哪些工作")


@dataclass(frozen=True)
class Retrieved:
    analysis: Analysis  # its type is final here: a section list that names nothing becomes a topic question
    topic: str  # what the answer is about: a follow-up's comes from the previous question
    query: str  # what was searched for
    hits: tuple[Hit, ...]  # ranked; only those the question narrows to, when any
    listing: Listing | None
    context: Context | None
    search_ms: float = 0.0  # time spent in Retriever.search (embedding included)
    expansions: Expansions = field(default_factory=dict)  # topic words → the corpus words they may stand for
    synonym_ranks: dict[str, int] = field(default_factory=dict)  # clause id → rank in the search's expansion list
    unit_tasks: frozenset[str] = frozenset()  # ids of the tasks the units the question names lead or share
    # The best hits of the other plans, when the question names a plan or a year (今年…) and nothing else
    # narrows it: what the judge weighs against the named plan's best (a task only last year's plan has).
    elsewhere: tuple[Hit, ...] = ()


class RetrieveStep:
    def __init__(self, retriever: Retriever, analyser: Analyser, synonyms: Synonyms, section: SectionCalibration,
                 retrieval: RetrievalCalibration) -> None:
        self.retriever, self.corpus, self._analyser, self._section = retriever, retriever.corpus, analyser, section
        self._retrieval = retrieval
        self._synonyms = synonyms
        self._forms = {c.clause_id: normalise(c.text) for c in self.corpus.clauses}
        self._openings = {cid: _opening(form) for cid, form in self._forms.items()}
        # What a task states, for a kind listing: its wording and its deadlines, which a table prints in a
        # column of their own ("哪些任务是长期推进的", "6月底前要完成哪些任务").
        self._stated = {c.clause_id: "\n".join((self._forms[c.clause_id], *(normalise(t.text) for t in c.targets
                                                                           if t.kind == "deadline")))
                        for c in self.corpus.clauses}
        self._stated_text = "\n".join(self._stated[c.clause_id] for c in self.corpus.clauses if c.is_task)
        # Each task's deadlines as written (2025年9月底前), found once: what a "9月底前要完成什么" list matches.
        self._deadlines = {cid: tuple(m.group() for m in lexicon.DEADLINE_PATTERN.finditer(self._stated[cid]))
                           for cid in (c.clause_id for c in self.corpus.clauses if c.is_task)}
        # The issuers' places (济南市, 济南) say whose tasks, never what kind of thing: no kind listing of them.
        self._places = place_names(self.corpus.places)
        # places whose government is a unit of the plans (宁南区 of 宁南区政府): places even where no dictionary has them
        self._governed = {form[: -len(end)] for form in map(normalise, self.corpus.units) for end in lexicon.GOVERNMENT_ENDS
                          if form.endswith(end) and len(form) > len(end)}

    def __call__(self, analysis: Analysis, context: Context | None, mode: str) -> Retrieved:
        listing = self._listing(analysis)
        if analysis.type is QuestionType.SECTION_LIST and listing is None:
            analysis = replace(analysis, type=QuestionType.TOPIC)
        elif listing is None and self._asks_for_a_list(analysis):
            # "有哪些示范区": the type model may read a kind-of-thing question as a topic; the list words say
            # it wants all of them, and a section or a kind the clauses state makes the list.
            listing = self._listing(replace(analysis, type=QuestionType.SECTION_LIST))
            if listing is not None:
                analysis = replace(analysis, type=QuestionType.SECTION_LIST)
        elif listing is None and self._asks_who_leads_a_section(analysis):
            # "瑶湄市优势产业集群由谁牵头": a heading's tasks, each with who leads it.
            listing = self._listing(replace(analysis, type=QuestionType.SECTION_LIST))
            listing = listing if listing is not None and listing.kind == "section" and len(listing.clauses) > 1 else None
        if listing is not None:
            return Retrieved(analysis, analysis.topic, analysis.question, (), listing, context)
        query = f"{context.question} {analysis.question}" if context else analysis.question
        topic = self._analyser.topic(context.question) if context else analysis.topic
        expansions = self._synonyms.expansions(topic or analysis.question)
        # The everyday words' document synonyms join the search as a third, lighter BM25 list (no second
        # embedding): 看病 finds the clause on 就医 without outweighing the question's own words.
        words = tuple(sorted({m for meanings in expansions.values() for m in meanings}))
        started = time.perf_counter()
        hits = self.retriever.search(query, k=CANDIDATES, mode=mode, expansion=words,
                                     expansion_weight=self._retrieval.expansion_weight,
                                     keyword_query=_keyword_query(query, analysis.plan_place))
        search_ms = round((time.perf_counter() - started) * 1000, 3)
        allowed = self._allowed(analysis, context.clause_ids if context else ())
        elsewhere: tuple[Hit, ...] = ()
        if allowed is not None:
            if context is None and not analysis.units:  # narrowed by the plan or year alone
                elsewhere = tuple(h for h in hits if h.clause.clause_id not in allowed
                                  and self._another_year(h.clause.document_id, analysis))[:ELSEWHERE]
            hits = [h for h in hits if h.clause.clause_id in allowed] or hits
        ranks = {h.clause.clause_id: rank for h in hits if (rank := h.ranks.get("expansion"))}
        return Retrieved(analysis, topic, query, tuple(hits), None, context, search_ms, expansions, ranks,
                         self.corpus.tasks_of(analysis.units), elsewhere)

    def search_thing(self, thing: str, k: int, document: str | None = None) -> list[Hit]:
        """Clauses about the thing a refused question names (BM25: no second embedding), in the document
        the question names when it names one and any of them is about the thing."""
        if not thing.strip():
            return []
        if document is not None:
            hits = self.retriever.search(thing, k=k, mode="keyword", filters=Filters(documents=(document,)))
            if hits:
                return hits
        return self.retriever.search(thing, k=k, mode="keyword")

    def narrowed(self, analysis: Analysis, context: Context | None) -> set[str] | None:
        return self._allowed(analysis, context.clause_ids if context else ())

    def _allowed(self, analysis: Analysis, previous: tuple[str, ...]) -> set[str] | None:
        """Clause ids the answer may come from, when the question narrows them; None: any."""
        allowed: set[str] | None = None
        if previous:
            allowed = set(previous) | {r for cid in previous for r in self.corpus.clause(cid).related}
        if analysis.units:
            owned = set(self.corpus.tasks_of(analysis.units))
            allowed = owned if allowed is None else (allowed & owned or allowed)
        if analysis.document:
            in_document = {c.clause_id for c in self.corpus.citable if c.document_id == analysis.document}
            allowed = in_document if allowed is None else (allowed & in_document or in_document)
        elif analysis.years:  # "2024年…" among several plans of several years: that year's plans
            of_year = {d.document_id for d in self.corpus.documents if d.year in analysis.years}
            in_years = {c.clause_id for c in self.corpus.citable if c.document_id in of_year}
            if in_years:
                allowed = in_years if allowed is None else (allowed & in_years or in_years)
        return allowed

    def _another_year(self, document_id: str, analysis: Analysis) -> bool:
        """A plan of the same places as the one the question names (or of any, when it names a year only), of
        another year: last year's plan beside this year's, not another county's or a second plan of the year."""
        other = self.corpus.document(document_id)
        if analysis.document is None:
            return other.year is not None and other.year not in analysis.years
        named = self.corpus.document(analysis.document)
        return (other.year is not None and named.year is not None and other.year != named.year
                and bool(set(other.places) & set(named.places)))

    def _asks_who_leads_a_section(self, analysis: Analysis) -> bool:
        """A responsibility question naming no unit whose subject is a section's heading: word for word, and
        most of it (``lead_heading_share``)."""
        if analysis.type is not QuestionType.RESPONSIBILITY or analysis.follow_up or analysis.units:
            return False
        if not analysis.headings or analysis.headings[0][0] < 1.0:
            return False
        subject, title = analysis.subject.replace(" ", ""), normalise(analysis.headings[0][1].title)
        return bool(subject) and subject in title and len(subject) >= self._section.lead_heading_share * len(title)

    @staticmethod
    def _asks_for_a_list(analysis: Analysis) -> bool:
        """A topic question in list words (哪些, 哪几…) that names no unit and asks for no fact; or one that names
        a heading saying who leads it (何亚楠副区长牵头重点工作有哪些): its 牵头 is the heading's, not the question's."""
        if analysis.follow_up or analysis.units or not analysis.cues.get("list"):
            return False
        if analysis.type is QuestionType.TOPIC:
            return analysis.asked is None
        return bool(analysis.headings) and bool(lexicon.HEADING_RESPONSIBLE.match(analysis.headings[0][1].title))

    # --- exhaustive lists -------------------------------------------------------------------
    def _listing(self, analysis: Analysis) -> Listing | None:
        if analysis.document_facts:
            listing = self._document_facts(analysis)
            if listing is not None:
                return listing
        if analysis.clause_numbers:
            listing = self._numbered(analysis)
            if listing is not None:
                return listing
        if analysis.counts_plan:  # "这个方案一共有几项任务": every task of the plan (of each, when none is named)
            documents = [d for d in self.corpus.documents if analysis.document in (None, d.document_id)]
            ids = {d.document_id for d in documents}
            clauses = tuple(c for c in self.corpus.clauses if c.is_task and c.document_id in ids)
            return Listing("plan", "、".join(f"《{d.title}》" for d in documents), clauses)
        if analysis.leaders and not analysis.units and analysis.cues.get("unit_task"):
            # "许建平负责哪些": every task that names the official as its leader.
            clauses = tuple(c for c in self.corpus.clauses if set(analysis.leaders) & set(c.leaders)
                            and (analysis.document is None or c.document_id == analysis.document))
            return Listing("leaders", "、".join(analysis.leaders), clauses)
        due = self._due_by(analysis)
        if due is not None:
            return due
        if analysis.type is QuestionType.UNIT_LIST:
            clauses = self.corpus.select(analysis.units, analysis.document)
            led = self.corpus.tasks_of(analysis.units, lead_only=True)
            lead_only = analysis.wants_lead and bool(led & {c.clause_id for c in clauses})
            if lead_only:  # "发改委牵头哪些工作": only those
                clauses = [c for c in clauses if c.clause_id in led]
            for group in analysis.joint:  # "组织部和宣传部都参与的": the tasks each of them shares
                shares = self.corpus.tasks_of(group)
                clauses = [c for c in clauses if c.clause_id in shares]
            # Of a plan the question names (棠溪县农业农村局), only the units with tasks in it: 县农业农村局（棠溪县）
            listed = {c.clause_id for c in clauses}
            named = [u for u in analysis.units if self.corpus.tasks_of((u,)) & listed] or analysis.units
            return Listing("units", "、".join(named), tuple(clauses), led, lead_only=lead_only)
        if analysis.type is not QuestionType.SECTION_LIST:
            return None
        if analysis.headings:
            best = analysis.headings[0][0]
            chosen = [h for score, h in analysis.headings if score == best]
            # A heading inside another chosen one of its document adds nothing.
            chosen = [h for h in chosen if not any(o is not h and o.document_id == h.document_id
                                                   and h.path[: len(o.path)] == o.path for o in chosen)]
            ids = list(dict.fromkeys(cid for h in chosen for cid in h.clause_ids))
            titles = {normalise(h.title) for h in chosen}
            # Named by a part of the heading ("关于乡村振兴列了哪些事项" for 打造乡村振兴合作升级版): the items
            # elsewhere that state that part are about it too.
            parts = [p for p in analysis.subject.split() if len(p) >= self._section.kind_min_chars
                     and any(p in t and p != t for t in titles)]
            taken = set(ids)
            in_scope = [c for c in self.corpus.clauses if c.clause_id not in taken
                        and (analysis.document is None or c.document_id == analysis.document)]
            # An item of another document whose own opening is the heading's words belongs to it too.
            ids += [c.clause_id for c in in_scope if self._openings[c.clause_id] in titles]
            ids += [c.clause_id for c in in_scope if self._openings[c.clause_id] not in titles
                    and any(p in self._forms[c.clause_id] for p in parts)]
            under = [self.corpus.clause(cid) for cid in ids]
            # A section of paragraphs only (三、保障措施: （一）加强组织领导。…) lists its paragraphs.
            clauses = tuple(c for c in under if c.is_task) or tuple(under)
            if clauses:
                # Next year's plan repeats the heading: its title is named once.
                return Listing("section", "、".join(dict.fromkeys(h.title for h in chosen)), clauses)
        return self._kind_listing(analysis)

    def _numbered(self, analysis: Analysis) -> Listing | None:
        """"第5条谁牵头": the tasks of that printed number (in the plan named, else in every plan that has one).
        A number restarted per section is also its ordinal (2.3), so the printed number is looked for first."""
        in_scope = [c for c in self.corpus.clauses
                    if c.is_task and analysis.document in (None, c.document_id)]
        if analysis.years and analysis.document is None:
            in_scope = [c for c in in_scope if self.corpus.document(c.document_id).year in analysis.years] or in_scope
        wanted = set(analysis.clause_numbers)
        clauses = tuple(c for c in in_scope if (str(int(c.ordinal)) if c.ordinal.isdecimal() else c.ordinal) in wanted
                        ) or tuple(c for c in in_scope if str(c.number) in wanted)
        if not clauses:
            return None
        return Listing("numbered", "、".join(f"第{n}条" for n in analysis.clause_numbers), clauses)

    def _document_facts(self, analysis: Analysis) -> Listing | None:
        """"文号是什么 / 哪天印发的 / 哪个单位印发的": the plans' own facts, each cited by the notice line that
        prints it (a passage); a fact no passage prints is not stated, and None when none is."""
        documents = [d for d in self.corpus.documents if analysis.document in (None, d.document_id)]
        stated, cited = [], []
        for document in documents:
            # its own passages first, then its file's (one notice wraps several plans: its 文号 is theirs)
            passages = sorted((c for c in self.corpus.passages if c.source == document.source),
                              key=lambda c: c.document_id != document.document_id)
            said = []
            for fact in analysis.document_facts:
                printing = {value: next((c for c in passages if _printed(value) in _printed(c.text)), None)
                            for value in _fact_values(document, fact)}
                shown = [value for value, passage in printing.items() if passage is not None]
                if shown:
                    said.append(f"{lexicon.DOCUMENT_FACT_NAMES[fact]}：{'、'.join(shown)}")
                    cited += [printing[value] for value in shown]
            if said:
                stated.append(f"《{document.title}》{'，'.join(said)}")
        if not stated:
            return None
        titles = "、".join(dict.fromkeys(d.title for d in documents if any(c.document_id == d.document_id for c in cited)))
        return Listing("document", titles, tuple(dict.fromkeys(cited)), facts="；".join(stated))

    def _kind_listing(self, analysis: Analysis) -> Listing | None:
        """Every task clause that states the longest phrase of the topic found in several clauses."""
        scope = [
            c for c in self.corpus.clauses
            if c.is_task and (analysis.document is None or c.document_id == analysis.document)
        ]
        section = self._section
        for piece in sorted(analysis.subject.split(), key=len, reverse=True):
            # Whole words of the piece only: 省级物流 or 物流枢纽 of 5个省级物流枢纽, never 级物流.
            spans = self.retriever.words(piece)
            starts, ends = {start for start, _ in spans}, {end for _, end in spans}
            # The piece's own words, and the documents' words for its everyday ones that no clause uses
            # (高速路 → 高速公路; not 企业 → 合作社: 企业 is the documents' own word).
            meanings = {m for word, ms in self._synonyms.expansions(piece).items()
                        if not any(word in form for form in self._forms.values()) for m in ms}
            longest = max([len(piece), *map(len, meanings)])
            for length in range(longest, section.kind_min_chars - 1, -1):
                phrases = [piece[start : start + length] for start in range(len(piece) - length + 1)
                           if start in starts and start + length in ends]
                phrases += sorted(m for m in meanings if len(m) == length)
                found: list[tuple[int, str, list[Clause]]] = []
                for phrase in phrases:
                    if self._a_place(phrase) or phrase not in self._stated_text:  # one scan rules most out
                        continue
                    stating = [c for c in scope if phrase in self._stated[c.clause_id]]
                    if len(stating) >= section.kind_min_clauses:
                        found.append((len(stating), phrase, stating))
                if found:
                    _, phrase, stating = max(found, key=lambda f: f[0])
                    return Listing("kind", phrase, tuple(stating))
        return self._head_listing(analysis, scope)

    def _a_place(self, phrase: str) -> bool:
        """An issuer's place, or a county, district or town by its full name (蒙阴县, 宁南区): never a kind of thing
        to list every task of (蒙阴县有哪些文旅项目 asks about 文旅项目, not for every task naming 蒙阴县)."""
        if phrase in self._places:
            return True
        ending = next((s for s in lexicon.ADMIN_SUFFIXES if phrase.endswith(s)), None)
        return ending is not None and len(phrase) > len(ending) + 1 and (
            phrase in dictionary_places() or phrase in self._governed)

    def _due_by(self, analysis: Analysis) -> Listing | None:
        """"哪些任务要在年底前完成", "9月底前要做什么": every task whose deadline is that time (2025年9月底前 is due
        by 9月底前), when the question names nothing else than the plan and the time."""
        match = lexicon.DEADLINE_PATTERN.search(analysis.form)
        long_term = lexicon.LONG_TERM_QUESTION.search(analysis.form) if match is None else None
        asks_which = analysis.cues.get("list") or "什么" in analysis.form
        if (match or long_term) is None or analysis.units or analysis.leaders or not asks_which:
            return None
        phrase = (match or long_term).group()
        rest = analysis.subject
        # the year may have gone with the plan it names (2025年底前 of the 2025 plan: 底前 is left)
        unyeared = re.sub(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*", "", phrase)
        for word in (phrase, unyeared, *lexicon.DUE_BY_WORDS):
            rest = rest.replace(word, " ")
        if not about_whole_plan(rest):
            return None
        in_scope = [c for c in self.corpus.clauses if c.is_task and analysis.document in (None, c.document_id)]
        if long_term:  # "哪些任务是长期推进的": those whose 完成时限 sets no end (长期坚持, 持续推进)
            return Listing("open", phrase, tuple(c for c in in_scope if any(
                w in t.text for t in c.targets if t.kind == "deadline" for w in lexicon.LONG_TERM_DEADLINES)))
        when = re.sub(r"\s*(?:以前|之前|前)$", "", phrase)
        clauses = tuple(c for c in in_scope if any(_due_by(deadline, when) for deadline in self._deadlines[c.clause_id]))
        return Listing("due", when, clauses)  # none: the documents set nothing due by then, which is an answer

    def _asks_within_a_task(self, form: str) -> bool:
        """哪些 / 哪几个 before a noun and a predicate (哪几个乡镇改造商贸中心): the question lists what one task names
        (the towns of the 商贸中心 task), not every task that states its last word (中心)."""
        match = _WHICH_ONES.search(form)
        if not match:
            return False
        rest = form[match.end():].rstrip("？?。!！ 呢啊")
        spans = self.retriever.words(rest)
        return len(spans) >= 2 and spans[0][1] - spans[0][0] >= 2

    def _head_listing(self, analysis: Analysis, scope: list[Clause]) -> Listing | None:
        """The tasks stating the question's last word, a two-character noun too short for a kind phrase
        (品牌 of 要一起打造的品牌都有哪些), when few enough of the tasks state it to make it a kind."""
        pieces = analysis.subject.split()
        if not pieces:
            return None
        if self._asks_within_a_task(analysis.form):
            return None
        spans = self.retriever.words(pieces[-1])
        head = pieces[-1][spans[-1][0] : spans[-1][1]] if spans else ""
        # (a longer head is a kind phrase of its own, tried above; one character names no kind)
        if len(head) < 2 or head in self._places or head not in self._stated_text:
            return None
        stating = [c for c in scope if head in self._stated[c.clause_id]]
        most = max(self._section.kind_min_clauses, self._section.head_max_share * len(scope))
        if self._section.kind_min_clauses <= len(stating) <= most:
            return Listing("kind", head, tuple(stating))
        return None


_HAN_MEASURES = "".join(m for m in lexicon.MEASURE_WORDS if len(m) == 1 and "\u4e00" <= m <= "\u9fff")
def _due_by(deadline: str, when: str) -> bool:
    """A deadline says the time asked (9月底 of 2025年9月底前), or the same time in other words
    (``lexicon.SAME_TIMES``: 2025年底 of 2025年12月底前).  A year asked must be the deadline's; a deadline that
    names no year is the plan's own (2025年8月底 of 8月底前)."""
    if when in deadline:
        return True
    year = re.match(r"(\d{4})\s*年\s*", when)
    rest = when[year.end():] if year else when
    if rest in ("底", "末"):  # 2025年底: the year's end
        rest = "年" + rest
    stated = re.search(r"\d{4}", deadline)
    if year and stated and stated.group() != year.group(1):
        return False
    group = next((g for g in lexicon.SAME_TIMES if rest in g), (rest,))
    return any(w in deadline for w in group)


_WHICH_ONES = re.compile(rf"哪(?:些|几)\s*[{_HAN_MEASURES}]?")  # 哪些, 哪几个, 哪几所


def _fact_values(document: Document, fact: str) -> tuple[str, ...]:
    """A document fact as a notice prints it: the 文号, each issuer, the date (2023年3月28日)."""
    if fact == "number":
        return (document.number,) if document.number else ()
    if fact == "issuer":
        return document.issuers
    if fact == "date" and document.date:
        year, month, day = (int(part) for part in document.date.split("-"))
        return (f"{year}年{month}月{day}日",)
    return ()


_PADDED_DAY = re.compile(r"(?<=[年月])0(?=\d[月日])")  # 2024年02月05日 is 2024年2月5日


def _printed(text: str) -> str:
    form = lexicon.ISO_DATE.sub(lambda m: "{}年{}月{}日".format(*map(int, m.groups())), "".join(normalise(text).split()))
    return _PADDED_DAY.sub("", form)


def _keyword_query(query: str, place: str) -> str:
    """The keyword query without the place of the one-place plan it is filtered to (嘉泷市 of 嘉泷市…分解表):
    within that plan the place says nothing about which task, yet as a keyword it favours the few tasks
    that repeat it (“嘉泷夜校”) over the one asked about.  In a plan of two cities it tells them apart."""
    return normalise(query).replace(place, " ") if place else query


def _opening(form: str) -> str:
    """A clause's first sentence (of its matching form), as a heading reads: "培育发展绿色产品。" → "培育发展绿色产品"."""
    end = min((i for i in (form.find("。"), form.find("；")) if i >= 0), default=len(form))
    return form[:end]
