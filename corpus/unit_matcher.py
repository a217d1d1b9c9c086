"""Recognise the responsible units a question names, aliases included.

Staff write 文旅局 for 文化和旅游局, 发改委 for 发展改革委, 组织部 for 市委组织部,
and leave the city out when they mean both.  Aliases are not typed in a
table: an abbreviation matches a unit name from the parsed data when its
characters appear in the name in order, it ends with the same character (局,
委, 部…) and it starts the way the name (or a run inside it) starts.  An exact
name always wins over an abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.responsibility import BOTH_CITIES, CITIES
from corpus.text import normalise

# The last character(s) of an institution's name.
_SUFFIX = re.compile(r"(?:局|委|部|办|中心|政府|管委会|公司|学院|平台|联|校|支行|分局)")
_MAX_MENTION = 14


@dataclass(frozen=True)
class UnitMention:
    """A span of the question that names one or more units."""

    text: str
    units: tuple[str, ...]


def _city_and_body(name: str) -> tuple[str | None, str]:
    for city in CITIES:
        if name.startswith(city + "市委"):
            return city, name[len(city):]
        if name.startswith(city + "市"):
            return city, name[len(city) + 1:]
    return None, name


def _city_order(unit: str) -> tuple[int, str]:
    """济南's unit before 临沂's, as the source names them."""
    return next((i for i, c in enumerate(CITIES) if unit.startswith(c)), len(CITIES)), unit


def _is_abbreviation(short: str, name: str) -> bool:
    """文旅局 → 文化和旅游局; 组织部 → 市委组织部; 审批局 → 行政审批服务局."""
    if len(short) < 2 or short[-1] != name[-1]:
        return False
    if not (name.startswith(short[0]) or short[:2] in name):
        return False
    rest = iter(name)
    return all(char in rest for char in short)


class UnitMatcher:
    """Finds the units of a corpus named in free text."""

    def __init__(self, unit_names: Iterable[str]) -> None:
        self._units = tuple(unit_names)
        # body (name without city) → the units with that body, one per city
        self._by_body: dict[str, list[str]] = {}
        for unit in self._units:
            _, body = _city_and_body(unit)
            self._by_body.setdefault(normalise(body), []).append(unit)
            if body.startswith("市委"):
                self._by_body.setdefault(normalise(body[2:]), []).append(unit)

    def _resolve(self, mention: str) -> tuple[str, ...]:
        """Units a mention names: exact name, else city + body, else an abbreviation."""
        form = normalise(mention)
        exact = [u for u in self._units if normalise(u) == form]
        if exact:
            return tuple(exact)
        both = form.startswith(BOTH_CITIES)
        city = None if both else next((c for c in CITIES if form.startswith(c)), None)
        body = form[len(BOTH_CITIES):] if both else form
        if city:
            body = form[len(city):]
            if body.startswith("市") and not body.startswith(("市委", "市场")):
                body = body[1:]
        candidates = self._by_body.get(body)
        if candidates is None:
            matching = [b for b in self._by_body if _is_abbreviation(body, b)]
            if not matching:
                return ()
            candidates = [u for b in matching for u in self._by_body[b]]
        if city:
            candidates = [u for u in candidates if u.startswith(city)]
        return tuple(sorted(dict.fromkeys(candidates), key=_city_order))

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
            for start in range(max(0, end - _MAX_MENTION), suffix.start()):
                units = self._resolve(form[start:end])
                if units:
                    found.append((start, end, units))
                    break  # the earliest start is the longest mention ending here
        mentions: list[UnitMention] = []
        taken: set[int] = set()
        for start, end, units in sorted(found, key=lambda f: f[0] - f[1]):
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                mentions.append(UnitMention(form[start:end], units))
        return mentions
