"""What a clause states, as spans of its text: sentences, and the facts a question may ask for.

Every span is a [start, end) range of ``Clause.text``, so the page can mark it and the answer can
quote it verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from corpus.lexicon import (
    AMOUNT_QUALIFIERS,
    BREAKDOWN_OPENERS,
    CONTACT_PATTERN,
    DEADLINE_PATTERN,
    DEPUTY,
    FREQUENCY_CUES,
    GROUP_SEPARATORS,
    LABELS,
    MEASURE_WORDS,
    MONEY_UNITS,
    NAME_SEPARATOR,
    NOT_PLACE_ENDINGS,
    NOT_PLACES,
    OFFICIAL_TITLES,
    PERCENT_MARKS,
    PLACE_NAME_ENDS,
    QUALIFIED_ATTRIBUTES,
    ROLE_TITLES,
    SITE_NAME_ENDS,
    TIME_LIMIT_ENDS,
    TIME_MEASURES,
    UNIT_SUFFIXES,
    Role,
    alternation,
    find_labels,
    label_role,
)
from corpus.models import Clause, Target
from corpus.numbering import CIRCLED_NUMBERS
from corpus.text import normalise, reading_form
from qa.models import Span, Words

_SENTENCE_END = re.compile(r"[。；！？]")
_PART_END = re.compile(r"[，,：:]")
_BREAKS = "，,：:、。；！？（）()"
_PHRASE_BREAK = re.compile(f"[{_BREAKS}“”]")
_KIND_BREAK = re.compile(f"[{_BREAKS}]")  # quotes belong to a kind's name: “棠溪红茶”区域公用品牌
_NUMBER = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
_PERCENT = re.compile(
    "|".join(
        [rf"{_NUMBER}\s*{re.escape(m)}" for m in PERCENT_MARKS if m != "百分之"]
        + [rf"百分之{_NUMBER}" for m in PERCENT_MARKS if m == "百分之"]
    )
)
_PASSAGE_WORDING_CHARS = 4  # Chinese characters besides unit names that make a passage more than a name
# A unit's name as a paragraph writes it: a few characters and a unit suffix (市营商环境办, 市政府).
_UNIT_NAME = re.compile(rf"[\u4e00-\u9fff]{{1,10}}?(?:{alternation(UNIT_SUFFIXES)})")
_TIME_LIMIT = re.compile(rf"(?:{alternation(TIME_MEASURES)})(?:{alternation(TIME_LIMIT_ENDS)})$")
_PLACE_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,4}}?(?:{alternation(PLACE_NAME_ENDS)})(?![级直属委])")  # not 县级
_SITE_NAME = re.compile(rf"[\u4e00-\u9fff]{{3,6}}?(?:{alternation(SITE_NAME_ENDS)})(?!区)")  # 物流园区 whole
# A stated amount, whole: number, measure and qualifier ("15%左右", "1500套", "6.2个百分点").
_AMOUNT = re.compile(
    rf"{_NUMBER}\s*(?:{alternation((*PERCENT_MARKS, *MEASURE_WORDS, *MONEY_UNITS))})?(?:{alternation(AMOUNT_QUALIFIERS)})?"
)
_MONEY = re.compile(rf"{_NUMBER}\s*(?:万|亿)?\s*(?:{'|'.join(map(re.escape, MONEY_UNITS))})")


def _names_a_place(name: str, question: str) -> bool:
    """``name`` looks like a place, and not one the question names (the match may start a character early)."""
    core = name[: -next(len(e) for e in PLACE_NAME_ENDS if name.endswith(e))]
    return (not name.startswith(NOT_PLACES) and not name.endswith(NOT_PLACE_ENDINGS)
            and not any(core[i : i + 2] in question for i in range(len(core) - 1)))


def _names_a_site(name: str, question: str) -> bool:
    """``name`` is a site (苍砺高铁物流园) the question does not name already: not the thing asked about
    (公共实训基地建在什么位置 of a task that builds that 基地).  Its name before the ending has three characters or
    more: two are mostly a verb (推进物流园区建设)."""
    core = name[: -next(len(e) for e in SITE_NAME_ENDS if name.endswith(e))]
    return not any(core[i : i + 2] in question for i in range(len(core) - 1))


def progress(clause: Clause) -> str | None:
    """What the clause reports as done so far, label included, as printed: its note's 实际完成情况：… up to the
    note's next label, or a table row's progress cell (落实进展情况 column; not a bare 备注).  Reported figures,
    not the task's commitment, so never a target, but what a question about progress asks for."""
    note = body_end(clause)
    labels = find_labels(clause.text[note:])
    for at, label in enumerate(labels):
        if label_role(label.group("label")) is Role.PROGRESS:
            end = note + labels[at + 1].start() if at + 1 < len(labels) else len(clause.text)
            text = clause.text[note + label.start() : end].rstrip("。；;，, ")
            if len(text) > label.end() - label.start():  # a label with nothing after it reports nothing
                return text
    for cell in clause.fields:
        if cell.text.strip() and any(word in cell.name for word in LABELS[Role.PROGRESS]):
            return f"{cell.name}：{cell.text.strip().rstrip('。；;，, ')}"
    return None


def body_end(clause: Clause) -> int:
    return len(clause.body)


def sentences(clause: Clause) -> list[Span]:
    """The sentences of the clause's wording (its responsibility note is not one)."""
    end_of_body = body_end(clause)
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(clause.text, 0, end_of_body):
        if clause.text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if clause.text[start:end_of_body].strip():
        spans.append((start, end_of_body))
    return spans


def parts(clause: Clause, span: Span) -> list[Span]:
    """The comma-separated parts of a sentence span."""
    start, end = span
    pieces, at = [], start
    for match in _PART_END.finditer(clause.text, start, end):
        pieces.append((at, match.end()))
        at = match.end()
    if at < end:
        pieces.append((at, end))
    return pieces


def responsibility_span(clause: Clause) -> Span | None:
    if not clause.responsibility_raw:
        return None
    start = clause.text.rfind(clause.responsibility_raw)
    if start < 0:
        return None
    return start, start + len(clause.responsibility_raw)


def sentence_of(clause: Clause, span: Span) -> Span:
    """The sentence that contains ``span``."""
    for start, end in sentences(clause):
        if start <= span[0] < end:
            return start, end
    return span


@lru_cache(maxsize=16384)
def _reading(text: str) -> str:
    """The clause as the parser reads it (simplified script, same length): what fact patterns match."""
    return reading_form(text)


def _placed(targets: Iterator[Target] | tuple[Target, ...]) -> list[Span]:
    return [(t.start, t.end) for t in targets if t.start is not None and t.end is not None]


def fact_spans(
    clause: Clause, asked: str | None, measure: tuple[str, ...] = (), question: str = "", lead: bool = False,
    strict: bool = False,
) -> list[Span]:
    """Spans of the clause that state what the question asks for ([] when it states none).

    ``measure``: the measure words a count question asks in (名); with ``strict`` only they answer.
    ``lead``: a 谁牵头 question, which only a clause naming lead units answers.
    """
    body = _reading(clause.text)[: body_end(clause)]  # 億元 is money too; spans are the same
    qualified = [a for a in QUALIFIED_ATTRIBUTES if a in question]
    if qualified and not any(a in normalise(body) for a in qualified):
        return []
    if asked == "number":
        quantities = [t for t in clause.targets if t.kind == "quantity"]
        if measure:
            matching = [t for t in quantities if any(m in normalise(t.text) for m in measure)]
            if matching or strict:
                return _placed(matching)
        if any(cue in question for cue in FREQUENCY_CUES):
            frequencies = [t for t in clause.targets if t.kind == "frequency"]
            if frequencies:
                return _placed(frequencies)
        return _placed(quantities)
    if asked == "percent":
        return [m.span() for m in _PERCENT.finditer(body)]
    if asked == "money":
        return [m.span() for m in _MONEY.finditer(body)]
    if asked == "date":
        deadlines = [t for t in clause.targets if t.kind == "deadline"]
        placed = _placed(deadlines)
        if deadlines and not placed:  # a 完成时限 column outside the wording: the whole clause states it
            return [(0, len(clause.text))]
        limits = [t for t in clause.targets if t.kind == "quantity" and _TIME_LIMIT.search(t.text)]
        return placed or [m.span() for m in DEADLINE_PATTERN.finditer(body)] or _placed(limits)
    if asked == "person":
        # The head of a company, school or hospital (总经理, 校长) is not the plan's 责任领导: named only by title.
        role = next((title for title in ROLE_TITLES if title in question), None)
        if role and role not in clause.text:
            return []
        return [(0, len(clause.text))] if clause.leaders and not _only_deputies(clause.leaders, question) else []
    if asked == "place":  # a place the question does not name already (建在哪个县 of 河塘市's plan: not 河塘市)
        places = [m.span() for m in _PLACE_NAME.finditer(body) if _names_a_place(m.group(), question)]
        return places + [m.span() for m in _SITE_NAME.finditer(body) if _names_a_site(m.group(), question)]
    if asked == "contact":
        return [m.span() for m in CONTACT_PATTERN.finditer(body)]
    if asked == "unit":
        if not clause.is_task:  # a notice paragraph names units in its wording ("汇总后报市政府")
            # A bare name (the issuer's line, a signature: "榆浦县人民政府") says nobody is responsible for anything.
            wording = sum("\u4e00" <= ch <= "\u9fff" for ch in _UNIT_NAME.sub("", body))
            return [m.span() for m in _UNIT_NAME.finditer(body)] if wording >= _PASSAGE_WORDING_CHARS else []
        if lead and not clause.lead_units:
            return []
        span = responsibility_span(clause)
        return [span] if span else ([(0, len(clause.text))] if clause.units else [])
    return []


def _only_deputies(leaders: tuple[str, ...], question: str) -> bool:
    """The question asks for the holder of a title (市长) that the clause's leaders hold only as deputies
    (副市长陈立华): they do not answer it."""
    asked = max((t for t in OFFICIAL_TITLES if t in question), key=len, default="")
    if not asked or asked.startswith(DEPUTY) or DEPUTY + asked in question:
        return False
    titled = [name for name in leaders if asked in name]
    return bool(titled) and all(DEPUTY + asked in name for name in titled)


def states(
    clause: Clause, asked: str | None, measure: tuple[str, ...] = (), question: str = "", lead: bool = False,
    strict: bool = False,
) -> bool:
    """The clause states the kind of fact asked for (always true when nothing in particular is asked)."""
    if asked is None:
        return True
    return bool(fact_spans(clause, asked, measure, question, lead, strict))


def key_phrase(clause: Clause, weight: Callable[[str], float], chars: int, phrase: str = "",
               title_chars: int = 0, words: Words | None = None) -> Span:
    """The clause's most telling run of at most ``chars`` characters, for a list's one-line overview
    (``_key_run``), never ending inside a bracket: "1500套（间）" whole, or "1500套" if the bracket runs long."""
    start, end = _key_run(clause, weight, chars, phrase, title_chars, words)
    body = clause.text[: body_end(clause)]
    while start < end and body[start] in CIRCLED_NUMBERS:  # "②8月25日前完成…": a step's words, not its mark
        start += 1
    run = body[start:end]
    opened = max(run.rfind("（"), run.rfind("("))
    if opened >= 0 and opened > max(run.rfind("）"), run.rfind(")")):
        close = min((i for i in (body.find("）", end), body.find(")", end)) if i >= 0), default=-1)
        end = close + 1 if 0 <= close - end < _BRACKET_REACH else start + opened
    return start, end


_BRACKET_REACH = 4  # characters a key phrase may grow to close its bracket (or to finish an amount)


def _clean_cut(body: str, start: int, cut: int, end: int, words: Words | None) -> int:
    """``cut`` (inside the part ``[start, end)``) moved out of any amount or word it falls inside:
    "增长9%左右" whole, never "增长9" (of 9%), "压缩至3" (of 30) or "经济增长基" (of 基本).  What ends within
    ``_BRACKET_REACH`` characters is finished, else left out.  Words come from ``words`` (the keyword
    channel's segmenter) where the part's matching form keeps its offsets.  A part that ends within
    ``_BRACKET_REACH`` characters of the cut is finished: "基本同步", not "基本"."""
    if end - cut <= _BRACKET_REACH:
        return end
    spans = [m.span() for m in _AMOUNT.finditer(body, start, end)]
    part = body[start:end]
    form = normalise(part)
    if words is not None and len(form) == len(part):
        spans += [(start + a, start + b) for a, b in words(form)]
    for first, last in spans:  # amounts first: "15%左右" is one amount but three words
        if first < cut < last:
            return last if last - cut <= _BRACKET_REACH else max(start, first)
    return cut


def _key_run(clause: Clause, weight: Callable[[str], float], chars: int, phrase: str = "",
             title_chars: int = 0, words: Words | None = None) -> Span:
    """The clause's most telling run of at most ``chars`` characters.

    With ``phrase`` (a kind of thing: 示范区), the run that ends with it, back to the nearest break
    (沂蒙红色文化传承发展示范区), or what qualifies it alone when the whole does not fit and the kind would
    take most of the run (红色文旅对口合作, of a list of 专项实施方案); when the kind opens its part, it and what follows it (品牌营销拓展).
    Else an item that opens with a short title sentence (深化劳务协作。, at most ``title_chars``) is
    named by it.  Else the opening of the comma-separated part whose
    character bigrams weigh most by rarity (``weight``: the corpus's idf), so names such as 政银企对接
    win over the verbs every clause shares; not a bigram with a digit (every number is rare and names
    nothing), nor a deadline opening a part (2024年10月底前主体完工: what is due names it, not when), nor a
    step of the item (②…), a breakdown of it (其中…) or its units (县应急管理局、县气象局配合).
    """
    body = clause.text[: body_end(clause)]
    if phrase:
        at = body.find(phrase)
        if at >= 0:
            end = at + len(phrase)
            breaks = [m.end() for m in _KIND_BREAK.finditer(body, 0, at)]
            quoted = body[at - 1 : at] == "“"  # the kind is itself the quoted name (“物流之都”): nothing before it is
            if quoted:
                breaks.append(at)
            first = breaks[-1] if breaks else 0
            if end - first > chars and first < at and not quoted and chars - len(phrase) < len(phrase):
                # Too long whole, and the kind would leave less of what qualifies it than it takes itself (编制红色文旅
                # 对口合作专项实施方案 in 8 characters): what qualifies it alone, the list's head names the kind
                return max(first, at - chars), at
            start = max(first, end - chars)
            if start == at and not quoted:  # nothing before names it: it qualifies what follows (品牌营销拓展)
                after = _KIND_BREAK.search(body, end)
                end = min(after.start() if after else len(body), at + chars)
            return start, end
    spans = sentences(clause)
    if len(spans) > 1:
        start, end = spans[0]
        title = body[start:end].strip().rstrip("。；！？")
        if 0 < len(title) <= min(chars, title_chars) and not any(ch.isdigit() for ch in title):
            first = start + body[start:end].find(title)
            return first, first + len(title)
    deadlines = {t.start: t.end for t in clause.targets if t.kind == "deadline" and t.start is not None}
    best, best_score = (0, min(len(body), chars)), -1.0
    for sentence in spans:
        for start, end in parts(clause, sentence):
            step = body[start] in CIRCLED_NUMBERS  # "②8月25日前完成…": a step of the item, not the item
            start = deadlines.get(start + step, start)  # "2024年10月底前主体完工": what is due, not when
            while end > start and _PHRASE_BREAK.match(body, end - 1):
                end -= 1
            end = _clean_cut(body, start, min(end, start + chars), end, words)
            score = sum(0.0 if any(ch.isdigit() for ch in body[i : i + 2]) else weight(body[i : i + 2])
                        for i in range(start, end - 1))
            if step or body.startswith(BREAKDOWN_OPENERS, start) or _only_units(body[start:end], clause.units):
                # "县应急管理局、县气象局配合": who, not what; "其中产业项目投资占比…": a share of the item
                score = min(score, 0.0)
            if score > best_score:
                best, best_score = (start, end), score
    return best


def _only_units(part: str, units: tuple[str, ...]) -> bool:
    """The part names units and little else: the task's responsibility, printed in its wording."""
    rest = part
    for name in (*sorted(units, key=len, reverse=True), NAME_SEPARATOR, *GROUP_SEPARATORS):
        rest = rest.replace(name, "")
    return any(unit in part for unit in units) and len(rest.strip()) <= _RESPONSIBILITY_CHARS


_RESPONSIBILITY_CHARS = 4  # what is left of 由县水利局牵头 or 县应急局、县气象局配合 without its units: 由牵头, 配合
