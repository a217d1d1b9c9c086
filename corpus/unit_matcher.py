"""Recognise the responsible units a question names, aliases included.

Staff write 文旅局 for 文化和旅游局, 发改委 for 发展改革委, 组织部 for 市委组织部, and leave the place out
when they mean every place of the issuers (两市 in the documents).  Aliases are not typed in a table: an
abbreviation matches a unit name from the parsed data when its characters appear in the name in order,
it ends with the same character (局, 委, 部…) and it starts the way the name (or a run inside it)
starts.  An exact name always wins over an abbreviation.  The places are the corpus's issuer places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from corpus import lexicon
from corpus.text import in_order, normalise
from corpus.units import UnitEntry

_SUFFIX = re.compile(lexicon.alternation(lexicon.UNIT_SUFFIXES))
_MAX_MENTION = 16
# An abbreviation says its office in three characters at least (文旅局, 发改委): the 育局 of 体育局 is no 教育局.
_MIN_ABBREVIATION = 3
# "县发改局（粮食局）": a unit name, then in brackets another office's name it also bears.
_ALIAS = re.compile(rf"^(.+?(?:{lexicon.alternation(lexicon.DEPARTMENT_ENDS)}))[（(]"
                    rf"([^（）()]+(?:{lexicon.alternation(lexicon.DEPARTMENT_ENDS)}))[）)]$")


@dataclass(frozen=True)
class UnitMention:
    """A span of the question that names one or more units."""

    text: str
    units: tuple[str, ...]


def _alias_bodies(body: str) -> tuple[str, ...]:
    """The names a merged office is known by: 县发改局（粮食局） is also 县发改局 and 县粮食局."""
    match = _ALIAS.match(body)
    if not match:
        return ()
    name, alias = match.groups()
    level = next((p for p in lexicon.LEVEL_PREFIXES if name.startswith(p) and not alias.startswith(p)), "")
    return name, level + alias


def _is_abbreviation(short: str, name: str) -> bool:
    """文旅局 → 文化和旅游局; 组织部 → 市委组织部; 审批局 → 行政审批服务局; 住建局 → 市住房城乡建设局 (a level the
    short name leaves out)."""
    if len(short) < 2 or short[-1] != name[-1]:
        return False
    if name[:1] in lexicon.LEVEL_PREFIXES and short[:1] != name[:1]:
        name = name[1:]
    if not (name.startswith(short[0]) or short[:2] in name):
        return False
    return in_order(short, name)


def _abbreviates(short: str, mention: str) -> bool:
    """A plan's short name (区卫健局, 区人社局) for the full one a question writes (区卫生健康局, 人力资源和社会保障局):
    the mention starts as the short name does, its level left out or not; only then are its characters in order."""
    if short[:1] in lexicon.LEVEL_PREFIXES and mention[:1] != short[:1]:
        short = short[1:]
    return mention.startswith(short[0]) and _is_abbreviation(short, mention)


class UnitMatcher:
    """Finds the units of a corpus named in free text; returns the unit directory's names."""

    def __init__(self, units: Mapping[str, UnitEntry] | Iterable[str], places: Sequence[str] = ()) -> None:
        written = (
            {k: v.written for k, v in units.items()} if isinstance(units, Mapping) else {u: u for u in units}
        )
        self._units = tuple(written)
        self._written = {normalise(w): [k for k, v in written.items() if v == w] for w in written.values()}
        # place core ("济南") and the place ("济南市"), longest first
        self._places = sorted(
            ((normalise(p), normalise(lexicon.place_core(p))) for p in places), key=lambda p: -len(p[0])
        )
        # body (name without its place) → the units with that body, one per place
        self._by_body: dict[str, list[str]] = {}
        self._level: dict[str, str | None] = {}
        for key, name in written.items():
            _, body = self._place_and_body(normalise(name))
            self._level[key] = next((p for p in lexicon.LEVEL_PREFIXES if body.startswith(p)), None)
            for known in (body, *_alias_bodies(body)):
                self._by_body.setdefault(known, []).append(key)
            if body.startswith("市委"):
                self._by_body.setdefault(body[2:], []).append(key)
        # The full names of at least _MIN_ABBREVIATION characters by their first two, with their directory order.
        self._by_opening: dict[str, list[tuple[int, str]]] = {}
        for order, name in enumerate(self._written):
            if len(name) >= _MIN_ABBREVIATION:
                self._by_opening.setdefault(name[:2], []).append((order, name))
        # An abbreviation ends as its name does (文旅局, 文化和旅游局): the bodies by last character, to try only those.
        self._by_end: dict[str, list[str]] = {}
        for body in self._by_body:
            self._by_end.setdefault(body[-1:], []).append(body)

    def _place_and_body(self, form: str) -> tuple[str | None, str]:
        for place, core in self._places:
            if form.startswith(core + "市委"):
                return core, form[len(core) :]
            if form.startswith(place):
                return core, form[len(place) :]
            if form.startswith(core) and len(form) > len(core) + 1:
                return core, form[len(core) :]
        return None, form

    def _order(self, unit: str) -> tuple[int, str]:
        """Units in the order of the issuers' places, as the documents name them."""
        form = normalise(unit)
        return next(
            (i for i, (_, core) in enumerate(self._places) if form.startswith(core)), len(self._places)
        ), unit

    def _resolve(self, form: str) -> tuple[str, ...]:
        """Units a mention (normalised: a slice of ``find``'s form) names: exact name, else place + body, else an
        abbreviation."""
        if form in self._written:
            return self._exactly(form)
        both = next((w for w in lexicon.BOTH_PLACES if form.startswith(w)), None)
        place = None
        body = form[len(both) :] if both else form
        if not both:
            place, body = self._place_and_body(form)
            if place is not None and body.startswith("市") and not body.startswith(("市委", "市场")):
                body = body[1:]
        candidates = self._by_body.get(body)
        if candidates is None and place is not None:
            own = self._own_place(form)
            if own:
                return own
        if candidates is None:
            matching = self._abbreviated(body)
            if not matching and body[-1:] in lexicon.INTERCHANGED_ENDS:  # 发改局 for a city's 发展改革委
                matching = self._abbreviated(body[:-1] + lexicon.INTERCHANGED_ENDS[body[-1]])
            if not matching:
                return ()
            candidates = [u for b in matching for u in self._by_body[b]]
        if place:
            candidates = [u for u in candidates if normalise(u).startswith(place)]
        return tuple(sorted(dict.fromkeys(candidates), key=self._order))

    def _abbreviated(self, body: str) -> list[str]:
        """The bodies ``body`` abbreviates (文旅局 → 文化和旅游局), else those that abbreviate it: a plan that prints
        区卫健局 is asked about 区卫生健康局 by its full name."""
        if len(body) < _MIN_ABBREVIATION:
            return []
        ending = self._by_end.get(body[-1], ())
        forward = [b for b in ending if _is_abbreviation(body, b)]
        if forward or any(b in body for b in ending if len(b) >= _MIN_ABBREVIATION):
            return forward  # "大数据局和工信局" holds names as they are: two mentions, not one long name
        return [b for b in ending if len(b) >= _MIN_ABBREVIATION and _abbreviates(b, body)]

    def _own_place(self, form: str) -> tuple[str, ...]:
        """青峪县应急局 for the 县应急局 of 青峪县's own plan, which leaves its place out of its units' names."""
        for place, core in self._places:
            if form.startswith(place) and len(place) > len(core):
                own = [u for u in self._by_body.get(place[len(core):] + form[len(place):], ())
                       if self._place_and_body(normalise(u))[0] is None]
                if own:
                    return tuple(sorted(dict.fromkeys(own), key=self._order))
        return ()

    def _exactly(self, form: str) -> tuple[str, ...]:
        """The units written ``form``; a town's (沣东镇) with its government's (沣东镇人民政府), when both are printed."""
        return tuple(dict.fromkeys((*self._written[form], *self.government(form))))

    def government(self, place: str) -> tuple[str, ...]:
        """The units that are ``place``'s government (宁南区 → 宁南区政府 or 宁南区人民政府), when the plans name one."""
        form = normalise(place)
        return tuple(u for end in lexicon.GOVERNMENT_ENDS for u in self._written.get(form + end, ()))

    def resolve(self, text: str) -> tuple[str, ...]:
        """The units ``text`` names: an exact unit name, else every unit its mentions mean."""
        if text in self._units:
            return (text,)
        return tuple(dict.fromkeys(u for mention in self.find(text) for u in mention.units))

    def find(self, text: str) -> list[UnitMention]:
        """The unit mentions in ``text``, longest first, not overlapping."""
        form = normalise(text)
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for suffix in _SUFFIX.finditer(form):
            end = suffix.end()
            level = None  # "县发改局" that names no unit: its 发改局 is not a district's 区发改局
            for start in range(max(0, end - _MAX_MENTION), suffix.start()):
                units = self._resolve(form[start:end])
                if level is not None:
                    units = tuple(u for u in units if self._level.get(u) in (None, level))
                if units:
                    found.append((start, end, units))
                    break  # the earliest start is the longest mention ending here
                if level is None and form[start] in lexicon.LEVEL_PREFIXES:
                    level = form[start]
        # A unit written in full is named, whatever it ends with (港航管理科, 办公室): the suffixes find the rest.
        # Only the names that start with a bigram of the text are looked for, in the directory's order.
        written = sorted((order, at, name) for at in range(len(form) - 1)
                         for order, name in self._by_opening.get(form[at : at + 2], ()) if form.startswith(name, at))
        found += [(at, at + len(name), self._exactly(name)) for _, at, name in written]
        mentions: list[UnitMention] = []
        taken: set[int] = set()
        for start, end, units in sorted(found, key=lambda f: f[0] - f[1]):
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                mentions.append(UnitMention(form[start:end], units))
        return mentions
