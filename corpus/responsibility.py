"""Parse the responsibility parenthesis that closes a task.

Examples from the source::

    （两市市委宣传部牵头，两市市委组织部、文化和旅游局分工负责）
    （两市发展改革委、人力资源社会保障局、乡村振兴局及济南市民营经济局、临沂市中小企业发展服务中心分工负责）
    （责任单位：两市市委组织部、市委党校及沂蒙干部学院）
    （临沂市乡村振兴局负责）

Grammar: an optional ``责任单位：`` label; an optional lead part ending in
``牵头``; the shared part, ending in ``分工负责`` / ``负责``.  Each part is a list
of groups separated by ``，`` or ``及``; inside a group, names are separated by
``、`` and a city prefix (``两市`` / ``济南市`` / ``临沂市``) carries over to the
following names that do not name a place of their own ("两市发展改革委、财政局"
is four units).  ``两市X`` means both 济南市X and 临沂市X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CITIES = ("济南", "临沂")
BOTH_CITIES = "两市"
_LABEL = re.compile(r"^\s*责任单位\s*[：:]\s*")
_LEAD = re.compile(r"牵头\s*[，,、；;]?")
_SUFFIX = re.compile(r"(?:分工)?负责\s*$")
_GROUP_SEPARATOR = re.compile(r"[，,；;]|及")
# A name that already says where it is does not inherit the group's city.
_OWN_PLACE = re.compile(r"济南|临沂|沂蒙|蒙阴|中国|自贸")
MARKERS = re.compile(r"牵头|负责|责任单位")


class ResponsibilityError(ValueError):
    """The parenthesis does not follow the responsibility grammar."""


@dataclass(frozen=True)
class Responsibility:
    lead_units: tuple[str, ...]
    units: tuple[str, ...]  # all responsible units, lead first


def unit_name(city: str, body: str) -> str:
    """Canonical name of a city's unit: 济南 + 教育局 → 济南市教育局, 济南 + 市委组织部 → 济南市委组织部."""
    return city + body if body.startswith("市委") else f"{city}市{body}"


def _split_city(name: str) -> tuple[tuple[str, ...], str]:
    """Cities a name's prefix names, and the rest of the name."""
    if name.startswith(BOTH_CITIES):
        return CITIES, name[len(BOTH_CITIES):]
    for city in CITIES:
        prefix = city + "市"
        if name.startswith(prefix):
            rest = name[len(prefix):]
            # 济南市委组织部 / 济南市场监管局: the 市 belongs to the unit's own name.
            if rest.startswith(("委", "场")):
                rest = "市" + rest
            elif rest.startswith("市") and not rest.startswith(("市委", "市场")):
                rest = rest[1:]
            return (city,), rest
    return (), name


def _expand(part: str) -> list[str]:
    units: list[str] = []
    for group in _GROUP_SEPARATOR.split(part):
        cities: tuple[str, ...] = ()
        for raw in group.split("、"):
            name = raw.strip()
            if not name:
                continue
            own, body = _split_city(name)
            if own:
                cities = own
            elif _OWN_PLACE.search(body):
                cities = ()  # "临沂临港经济开发区管委会、罗庄经济开发区管委会": 济南 no longer applies
            else:
                own = cities
            if own:
                units.extend(unit_name(city, body) for city in own)
            else:
                units.append(body)
    return units


def _dedupe(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def parse_responsibility(inner: str) -> Responsibility:
    """Parse the inside of a responsibility parenthesis (without the brackets)."""
    text = _LABEL.sub("", inner.strip())
    lead_text, shared_text = "", text
    lead_match = _LEAD.search(text)
    if lead_match:
        lead_text, shared_text = text[: lead_match.start()], text[lead_match.end():]
    shared_text = _SUFFIX.sub("", shared_text)
    lead = _dedupe(_expand(lead_text))
    units = _dedupe([*lead, *_expand(shared_text)])
    if not units:
        raise ResponsibilityError(f"no responsible unit found in （{inner}）")
    return Responsibility(lead, units)


def find_responsibility(text: str) -> tuple[int, str] | None:
    """Locate the responsibility parenthesis that closes ``text``.

    Returns the offset of its opening bracket and its inner text, or None when
    the text does not end with a parenthesis naming responsible units.
    """
    stripped = text.rstrip()
    if not stripped.endswith(("）", ")")):
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                inner = stripped[index + 1 : -1]
                return (index, inner) if MARKERS.search(inner) else None
    return None
