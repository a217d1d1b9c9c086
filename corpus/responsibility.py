"""Parse what a task says about who is responsible: notes, labelled segments, table cells.

The forms found in real plans::

    （两市市委宣传部牵头，两市市委组织部、文化和旅游局分工负责）
    （区发改局牵头,区财政局、各街道配合）          （区民政局、区卫健局等负责）
    （责任单位：两市市委组织部、市委党校及沂蒙干部学院）
    （责任领导：张立新；牵头单位：区发改局；责任单位：区财政局）
    牵头单位：区发改局          ← labelled lines after the item, or table columns
    部门分工：省发展改革委牵头，各地、各部门配合。

A note is a list of segments separated by ``；``; a segment is ``label：value`` or an unlabelled phrase
("X牵头，Y分工负责").  Units are separated by ``、``; groups (``，`` / ``及``) do not share a place prefix;
inside a group a place prefix carries over to the names that do not name a place of their own
("两市发展改革委、财政局" is four units).  ``两市X`` means X of each of the issuers' cities: the places come
from the document's issuers (``PlaceContext``), never from code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from corpus import lexicon
from corpus.lexicon import Role

_VERBS = sorted(lexicon.SHARED_VERBS, key=len, reverse=True)
_SHARED_END = re.compile(rf"(?:{'|'.join(map(re.escape, _VERBS))})[。.]?\s*$")
_LEAD = re.compile(rf"{lexicon.LEAD_VERB}(?:负责)?\s*[，,、；;]?")
_GROUPS = re.compile(lexicon.alternation(lexicon.GROUP_SEPARATORS))
_SEGMENTS = re.compile("|".join(map(re.escape, lexicon.SEGMENT_SEPARATORS)))
_PEOPLE_SEPARATORS = re.compile(r"[、，,；;]+")
# A table pads a two-character name to the width of three with a space (俞 悦); a cell of such names run
# together pairs them (陆 明俞 悦 is 陆明 and 俞悦).
_PADDED_NAMES = re.compile(r"(?:[\u4e00-\u9fff]\s+[\u4e00-\u9fff])+")
_PADDED_NAME = re.compile(r"([\u4e00-\u9fff])\s+([\u4e00-\u9fff])")
_LEAD_MARK_WORD = re.compile("|".join(map(re.escape, lexicon.LEAD_MARK_WORDS)))
_REMARK = re.compile(rf"[（(][^（）()]*?(?:{'|'.join(lexicon.REMARK_WORDS)}|牵头单位)[^（）()]*?[）)]")
_OPEN = re.compile(rf"{lexicon.OPEN_LIST}(?:(?:相关|有关)?(?:部门|单位|地方))?$")
_PLACE_START = re.compile(rf"^[\u4e00-\u9fff]{{2,4}}?(?:{'|'.join(lexicon.UNIT_PLACE_SUFFIXES)})")


@dataclass(frozen=True)
class PlaceContext:
    """The places a document's issuers govern ("济南市", "临沂市"): what 两市 and a bare 区 refer to."""

    places: tuple[str, ...] = ()

    def cores(self) -> tuple[str, ...]:
        """The places without their suffix: 济南市 → 济南, 青禾区 → 青禾."""
        return tuple(lexicon.place_core(p) for p in self.places)

    def both(self, word: str) -> tuple[str, ...] | None:
        """The places ``两市`` / ``两区`` / ``两地`` stands for, when the issuers name exactly two."""
        kind = lexicon.BOTH_PLACES.get(word)
        if kind is None:
            return None
        matching = tuple(p for p in self.places if not kind or p.endswith(kind))
        return matching if len(matching) == 2 else None


@dataclass(frozen=True)
class Responsibility:
    """Who is responsible for a task, as parsed; lead units come first in ``units``."""

    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()  # the 完成时限 values as printed
    open_units: bool = False
    unit_label: str = ""  # the word for the sharing units: 分工负责 / 配合 / 责任单位 …
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not (self.units or self.leaders or self.deadlines)

    def merged(self, other: Responsibility) -> Responsibility:
        """Both notes together, this one's units first."""
        lead = _dedupe([*self.lead_units, *other.lead_units])
        return Responsibility(
            lead_units=lead,
            units=_dedupe([*lead, *self.units, *other.units]),
            leaders=_dedupe([*self.leaders, *other.leaders]),
            deadlines=_dedupe([*self.deadlines, *other.deadlines]),
            open_units=self.open_units or other.open_units,
            unit_label=self.unit_label or other.unit_label,
            problems=self.problems + other.problems,
        )

    def inheriting(self, parent: Responsibility) -> Responsibility:
        """Fill what this note leaves unsaid from a heading's note: units, leaders, deadlines by role.

        A heading's lead units still lead an item whose own note names units but no lead: under
        "（五）区卫生健康局牵头重点工作", "责任单位：区医保局" shares the task the heading's unit leads.
        """
        if parent.empty:
            return self
        units = self.units or parent.units
        lead_units = self.lead_units if self.units else parent.lead_units
        if self.units and not self.lead_units and parent.lead_units:
            lead_units, units = parent.lead_units, _dedupe([*parent.lead_units, *self.units])
        return replace(
            self,
            lead_units=lead_units,
            units=units,
            leaders=self.leaders or parent.leaders,
            deadlines=self.deadlines or parent.deadlines,
            open_units=self.open_units if self.units else parent.open_units,
            unit_label=self.unit_label or parent.unit_label,
        )

    def first_leads(self) -> Responsibility:
        """Under a 下同 rule ("排在第一位的为牵头单位"): the first unit leads when none is named."""
        if self.lead_units or not self.units:
            return self
        return replace(self, lead_units=self.units[:1])


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))


def _unit_name(place: str, body: str) -> str:
    """济南市 + 教育局 → 济南市教育局; 济南市 + 市委组织部 → 济南市委组织部."""
    if place.endswith("市") and body.startswith("市委"):
        return place[:-1] + body
    return place + body


def _split_place(name: str, context: PlaceContext) -> tuple[tuple[str, ...], str]:
    """The places a name's prefix names (两市, 济南市), and the rest of the name."""
    for word in lexicon.BOTH_PLACES:
        if name.startswith(word):
            places = context.both(word)
            if places:
                return places, name[len(word) :]
    for place in sorted(context.places, key=len, reverse=True):
        if name.startswith(place) and len(name) > len(place):
            rest = name[len(place) :]
            # 济南市委组织部 / 济南市场监管局: the 市 belongs to the unit's own name.
            if place.endswith("市") and rest.startswith(lexicon.OWN_NAME_AFTER_CITY):
                rest = "市" + rest
            elif rest.startswith("市") and not rest.startswith(("市委", "市场")):
                rest = rest[1:]
            return (place,), rest
    return (), name


def _names_own_place(name: str, context: PlaceContext) -> bool:
    """True when a name says where it is, so a group's place prefix does not apply to it."""
    if name.startswith(lexicon.NATIONAL_PREFIXES):
        return True
    if any(core and core in name for core in context.cores()):
        return True
    match = _PLACE_START.match(name)
    return (
        bool(match)
        and not name.startswith(lexicon.NOT_PLACES)
        and not match.group().endswith(lexicon.NOT_PLACE_ENDINGS)
    )


def _level(name: str) -> str:
    """The bare level a name starts with (市 of 市发改委; not of 市场监管局 or 市委组织部), or ""."""
    if len(name) > 2 and name.startswith(lexicon.LEVEL_PREFIXES) and not name[1:].startswith(
            lexicon.OWN_NAME_AFTER_CITY):
        return name[0]
    return ""


def _takes_level(name: str) -> bool:
    """A department's short name that a preceding bare level applies to: 国土局, not 各镇政府, 市场监管局
    or 团市委 (which says its level itself)."""
    return (name.endswith(lexicon.LEVEL_CARRIED_ENDS) and not any(p in name for p in lexicon.LEVEL_PREFIXES)
            and not name.startswith(lexicon.NOT_PLACES))


def _clean_name(raw: str) -> tuple[str, bool]:
    """A unit name without fillers and 等; True when 等 ended it (an open list)."""
    name = raw.strip(" \u3000。.，,、；;：:").rstrip("".join(lexicon.LEAD_MARKS))
    for filler in lexicon.NOTE_FILLERS:
        name = name.removesuffix(filler)
    match = _OPEN.search(name)
    if match and match.start() > 0:
        return name[: match.start()].strip(), True
    return name, False


_OPEN_BRACKETS, _CLOSE_BRACKETS = "（(", "）)"
_NAMES = re.compile(re.escape(lexicon.NAME_SEPARATOR))


def _split_outside_brackets(text: str, separators: re.Pattern[str]) -> list[str]:
    """``text`` cut at each separator that is not inside brackets: "各县（市、区）政府、市财政局" is two
    names, not 各县（市 and 区）政府.  A bracket that never closes ("市住建局（牵头，市财政局") guards nothing."""
    if sum(c in _OPEN_BRACKETS for c in text) > sum(c in _CLOSE_BRACKETS for c in text):
        return separators.split(text)
    pieces, start, depth, at = [], 0, 0, 0
    for match in separators.finditer(text):
        for char in text[at : match.start()]:
            depth += char in _OPEN_BRACKETS
            depth -= depth > 0 and char in _CLOSE_BRACKETS
        at = match.start()
        if depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def expand_units(
    part: str, context: PlaceContext, marks: list[str] | None = None
) -> tuple[list[str], list[str], bool]:
    """Units and people of a list ("两市发展改革委、财政局及蒙阴县政府"); True when it ends with 等.

    Names marked as leading ("区发改局*") are also appended to ``marks``.
    """
    marks = marks if marks is not None else []
    units: list[str] = []
    people: list[str] = []
    open_list = False
    for group in _split_outside_brackets(part, _GROUPS):
        places: tuple[str, ...] = ()
        level = ""  # "市发改委、国土局": the bare level 市 that names after it leave out
        for raw in _split_outside_brackets(group, _NAMES):
            marked = raw.strip().endswith(lexicon.LEAD_MARKS)
            name, is_open = _clean_name(raw)
            if marked and name:
                marks.append(name)
            open_list = open_list or is_open
            if not name:
                continue
            if lexicon.is_person(name):
                people.append(name)
                continue
            own, body = _split_place(name, context)
            if own:
                places, level = own, ""
            elif _names_own_place(name, context):
                places, level = (), ""  # "临沂临港经济开发区管委会、罗庄…": the group's place no longer applies
            else:
                own = places
                if not own and _level(name):
                    level = _level(name)
                elif not own and level and _takes_level(name):
                    body = level + body
            units.extend(_unit_name(place, body) for place in own) if own else units.append(body)
    return units, people, open_list


def _phrase(text: str, context: PlaceContext) -> Responsibility:
    """An unlabelled phrase: "X牵头，Y分工负责" / "X、Y等负责" / "各地、各部门配合"."""
    text = _LEAD_MARK_WORD.sub(lexicon.LEAD_MARKS[0], text.strip())  # "X（牵头）、Y" is "X*、Y"
    lead_text, shared_text = "", text
    lead_match = _LEAD.search(text)
    if lead_match:
        lead_text, shared_text = text[: lead_match.start()], text[lead_match.end() :]
    verb = _SHARED_END.search(shared_text)
    label = verb.group().strip("。. ") if verb else ""
    shared_text = shared_text[: verb.start()] if verb else shared_text
    marked: list[str] = []
    lead, lead_people, lead_open = expand_units(lead_text, context)
    shared, shared_people, shared_open = expand_units(shared_text, context, marked)
    if marked and not lead:
        marked_units, _, _ = expand_units("、".join(marked), context)
        lead, shared = marked_units, [u for u in shared if u not in marked_units]
    return Responsibility(
        lead_units=_dedupe(lead),
        units=_dedupe([*lead, *shared]),
        leaders=_dedupe([*lead_people, *shared_people]),
        open_units=lead_open or shared_open,
        unit_label=label if shared else "",
    )


def leader_names(value: str) -> tuple[str, ...]:
    """The names of a leaders field or cell: separated by 、，； or spaces, a padded name (俞 悦) whole."""
    names: list[str] = []
    for piece in _PEOPLE_SEPARATORS.split(value):
        piece = piece.strip()
        if _PADDED_NAMES.fullmatch(piece):
            names += [first + second for first, second in _PADDED_NAME.findall(piece)]
            continue
        words: list[str] = []
        for word in piece.split():  # single characters side by side are one padded name: 张三丰 俞 悦
            if len(word) == 1 and words and len(words[-1]) == 1:
                words[-1] += word
            else:
                words.append(word)
        names += words
    return _dedupe(names)


def _trailing_time(value: str) -> tuple[str, tuple[str, ...]]:
    """``value`` without a deadline that ends its list after a comma ("…管委会，6月底完成"), and that deadline."""
    head, comma, last = value.rstrip("。；;").rpartition("，" if "，" in value else ",")
    last = last.strip()
    if comma and head.strip() and lexicon.TIME_START.match(last):
        return head, (last,)
    return value, ()


def parse_segment(role: Role | None, value: str, context: PlaceContext, label: str = "") -> Responsibility:
    """One labelled segment (牵头单位：X) or table cell, or an unlabelled phrase (role None / NOTE)."""
    value = value.strip()
    if not value or role is Role.PROGRESS:
        return Responsibility()
    if role is Role.LEADERS:
        return Responsibility(leaders=leader_names(value))
    if role is Role.DEADLINE:
        return Responsibility(deadlines=(value.rstrip("。；;，,"),))
    if role in (Role.LEAD, Role.UNITS):
        value, times = _trailing_time(value)
        if times:  # "责任单位：州司法局、…管委会，6月底完成": the last part is the task's deadline
            return parse_segment(role, value, context, label).merged(Responsibility(deadlines=times))
        # A cell or label value may still be a phrase ("区发改局牵头，区财政局配合").
        phrase = _phrase(value, context)
        if phrase.lead_units and role is Role.UNITS:
            return phrase
        units, people, open_list = expand_units(_SHARED_END.sub("", value), context)
        units_t = _dedupe(units)
        return Responsibility(
            lead_units=units_t if role is Role.LEAD else (),
            units=units_t,
            leaders=_dedupe(people),
            open_units=open_list,
            unit_label=label if role is Role.UNITS else "",
        )
    return _phrase(value, context)


def parse_note(inner: str, context: PlaceContext) -> Responsibility:
    """The inside of a responsibility note (without its brackets), or the text of labelled lines."""
    inner = _REMARK.sub("", inner)  # "（排在首位的为牵头单位，下同）": a rule, not a unit
    result = Responsibility()
    # "…按职责分工负责。各项任务均需…落实，以下不再列出，下同。": a sentence after the note is a remark.
    sentences = [s for s in inner.split("。") if s.strip()]
    inner = "；".join(s for s in sentences if not any(w in s for w in lexicon.REMARK_WORDS)) or inner
    for segment in _SEGMENTS.split(inner):
        labels = lexicon.find_labels(segment)
        if not labels:
            result = result.merged(parse_segment(None, segment, context))
            continue
        if segment[: labels[0].start()].strip():
            result = result.merged(parse_segment(None, segment[: labels[0].start()], context))
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(segment)
            word = match.group("label")
            part = parse_segment(lexicon.label_role(word), segment[match.end() : end], context, word)
            if word in lexicon.ASSISTING_LABELS and not result.lead_units and result.units:
                # "责任单位：X 配合单位：Y": X is responsible, Y assists it — X leads, and the word for the
                # sharing units is 配合单位.
                result = replace(result, lead_units=result.units, unit_label=word)
            result = result.merged(part)
    if result.empty:
        result = replace(result, problems=(f"no responsible unit or person found in “{inner.strip()}”",))
    return result


def merge_cells(cells: Sequence[tuple[Role, str, str]], context: PlaceContext) -> Responsibility:
    """A table row's responsibility from its (role, header, text) cells: the column decides the role."""
    result = Responsibility()
    for role, header, text in cells:
        word = re.sub(r"\s", "", header)
        part = parse_segment(role, text, context, word)
        if word in lexicon.ASSISTING_LABELS and not result.lead_units and result.units:
            # 责任单位 | 配合单位 columns: the units assisted lead, as in a note (parse_note)
            result = replace(result, lead_units=result.units, unit_label=word)
        result = result.merged(part)
    return result


def heading_responsibility(heading: str, context: PlaceContext) -> Responsibility:
    """Who a section's heading names as leading it: an official (a leader) or units (its lead units)."""
    match = lexicon.HEADING_RESPONSIBLE.match(heading)
    if not match:
        return Responsibility()
    names = [n.strip() for n in re.split(r"[、，,和及]", match.group("who")) if n.strip()]
    if names and all(lexicon.is_person(n) for n in names):
        return Responsibility(leaders=tuple(names))
    if is_unit_list("、".join(names)):
        units, _, _ = expand_units("、".join(names), context)
        return Responsibility(lead_units=_dedupe(units), units=_dedupe(units))
    return Responsibility()


def find_trailing_note(text: str) -> tuple[int, str] | None:
    """The responsibility note that closes ``text``: the offset of its opening bracket and its inside.

    None when the text does not end with a bracket that names who is responsible.
    """
    stripped = text.rstrip().rstrip("。.；;，,")
    if not stripped or stripped[-1] not in lexicon.NOTE_BRACKETS:
        return None
    closing, opening = stripped[-1], lexicon.NOTE_BRACKETS[stripped[-1]]
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char == closing or (closing in "）)" and char in "）)"):
            depth += 1
        elif char == opening or (opening in "（(" and char in "（("):
            depth -= 1
            if depth == 0:
                inner = stripped[index + 1 : -1]
                # A bare list of units counts only after a finished sentence: "…个。（县发改局、县住建局）",
                # not "…市委党校（济南行政学院）" cut by a page break in the middle of its sentence.
                bare = is_unit_list(inner) and stripped[:index].rstrip().endswith(
                    ("。", "；", ";", ".", "！")
                )
                is_note = any(m in inner for m in lexicon.RESPONSIBILITY_MARKERS) or bare
                return (index, inner) if is_note else None
    return None


# "由X牵头，Y配合，修订…" opening a task, "此项工作由X牵头，Y配合。" closing one, or "整改要求：由X负责清除…"
# after a label: who is responsible, said in the task's own sentence rather than in a note.
_BY_PHRASE = re.compile(
    rf"(?:^|(?<=[。；;：:，,]))\s*(?:{lexicon.alternation(lexicon.BY_PHRASE_OPENERS)})?由"
    rf"(?P<who>[^，,。；;：:]{{2,60}}?)(?:共同)?(?P<verb>{lexicon.LEAD_VERB}|负责)"
    rf"(?P<others>[，,][^，,。；;]{{2,80}}?(?:{lexicon.alternation(lexicon.TAKING_PART_VERBS)})(?=[，,。；;]|$))?"
)


# What a by-phrase may say before the units it names: "由(陈家坝沿线)包片单位县气象局负责".
_ROLE_BEFORE_UNITS = re.compile(r"^[^、，,]{0,8}?单位(?=[^、，,]{3,})")


def by_phrase(text: str, context: PlaceContext) -> Responsibility | None:
    """Who the "由X牵头，Y配合" of a task's own wording names, when X lists units; else None."""
    for match in _BY_PHRASE.finditer(text):
        who = _ROLE_BEFORE_UNITS.sub("", match.group("who"))  # one name is enough: "由县消防救援大队牵头"
        if is_unit_list(who) or (len(who) >= 3 and who.endswith(lexicon.UNIT_SUFFIXES)):
            # "由X负责，Y配合": X leads what Y assists
            verb = lexicon.LEAD_VERB if match.group("others") else match.group("verb")
            return _phrase(f"{who}{verb}{match.group('others') or ''}", context)
    return None


def is_unit_list(text: str) -> bool:
    """A bracket that only lists units ("县发改局、县住建局、各乡镇"), as plans with a 下同 rule write it."""
    names = [n.strip().rstrip("".join(lexicon.LEAD_MARKS)) for n in re.split(r"[、，,]", text)]
    if not names or not all(2 <= len(n) <= 30 for n in names):
        return False
    if len(names) == 1:
        return len(names[0]) >= 3 and names[0].endswith(lexicon.STRONG_UNIT_SUFFIXES)
    return all(
        n.endswith(lexicon.UNIT_SUFFIXES + lexicon.PLACE_SUFFIXES)
        or n.startswith(("各", "有关", "相关"))
        or _OPEN.search(n)
        for n in names
    )


def find_inline_labels(text: str) -> int | None:
    """Where labelled responsibility starts inside a task's own text ("…。牵头单位：X"), or None.

    A label counts only after a sentence or at a line's start, and not inside a bracket that is still
    open (a note's "（分管领导：…；牵头单位：…" cut by a page break is a bracket, found as one when closed).
    """
    for match in lexicon.find_labels(text):
        before = text[: match.start()].rstrip()
        if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            continue
        if match.start() > 0 and (not before or before.endswith(("。", "；", ";", "）", ")", "！"))):
            return match.start()
    return None
