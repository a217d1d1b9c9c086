"""Readable, unique ids: documents (``2023工作要点``), clauses (``2023工作要点-14``), passages (``-p2``).

A document id is its year and its short name (the last four Han characters of its title, quoted titles
left out: 《…》重点任务分工方案 → 分工方案).  Two documents that would share one — two districts' 2024
分工方案 — both get their issuers' short name too (``2024青禾区分工方案``), and a remaining tie a number.
A clause's ordinal is its printed number where that is unique in its document, else the numbers of
its headings too (``2.3``: section 2, item 3), as in documents that restart numbering in every section.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from corpus.lexicon import PLAN_KINDS, place_core

_BOOK_TITLE = re.compile(r"《[^》]*》|〈[^〉]*〉")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SHORT = 4
_TAIL = re.compile(r"[（(][^（）()]*[）)]\s*$")  # "（2024—2026年）", "（节选）"


def short_name(title: str) -> str:
    """What a plan calls itself at the end of its title: 《…》重点任务分工方案 → 分工方案.

    Without a known kind (``lexicon.PLAN_KINDS``), the last four Han characters, quoted titles left out; a
    title that is all quotation (《…工作要点》) keeps its quoted characters; "" if it has no Han at all.
    """
    han = "".join(_HAN.findall(_TAIL.sub("", _BOOK_TITLE.sub("", title)))) or "".join(_HAN.findall(title))
    kind = next(
        (k for k in sorted(PLAN_KINDS, key=len, reverse=True) if han.endswith(k) and len(k) >= _SHORT), None
    )
    return kind or han[-_SHORT:]


def issuer_short(places: Sequence[str]) -> str:
    """青禾区 → 青禾区; 济南市 + 临沂市 → 济南临沂 (a city pair's cores)."""
    if len(places) == 1:
        return places[0]
    return "".join(place_core(p) for p in places)


def document_ids(candidates: Sequence[tuple[int | None, str, Sequence[str]]]) -> list[str]:
    """An id for each (year, short name, places), in order; unique, qualified only where needed.

    Documents that would share an id get their issuers' short name when that tells them apart (two
    districts' 2024分工方案); what still ties (one issuer's two plans of one kind) gets a number.
    The plain id the first of them had before the second came stays usable: see ``aliases``.
    """
    base = [f"{year or ''}{short}" for year, short, _ in candidates]
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(base):
        groups[name].append(index)
    qualified = list(base)
    for name, members in groups.items():
        if len(members) < 2:
            continue
        names = [
            f"{candidates[i][0] or ''}{issuer_short(candidates[i][2])}{candidates[i][1]}"
            if candidates[i][2]
            else name
            for i in members
        ]
        if len(set(names)) > 1:
            for i, qualified_name in zip(members, names, strict=True):
                qualified[i] = qualified_name
    seen: defaultdict[str, int] = defaultdict(int)
    ids = []
    for name in qualified:
        seen[name] += 1
        ids.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return ids


def aliases(
    candidates: Sequence[tuple[int | None, str, Sequence[str]]], ids: Sequence[str]
) -> dict[str, str]:
    """Plain ids that qualification replaced → the id of the first document that had it.

    When next year's or another district's plan arrives and ids become qualified, a citation written
    before (〔2024分工方案第3条〕, /api/clauses/2024分工方案-3) still finds the document it meant.
    """
    found: dict[str, str] = {}
    for (year, short, _), document_id in zip(candidates, ids, strict=True):
        base = f"{year or ''}{short}"
        if base != document_id and base not in ids:
            found.setdefault(base, document_id)
    return found


def ordinals(paths: Sequence[tuple[int, ...]]) -> list[str]:
    """Ordinals for items given their number paths (headings' numbers, then the item's own).

    The shortest suffix of the paths that tells every item apart: ``18`` when items are numbered
    through the document, ``2.3`` when numbering restarts per section.  An item whose path repeats
    another's (a repeated number) gets ``_2``.
    """
    if not paths:
        return []
    longest = max(len(p) for p in paths)
    for length in range(1, longest + 1):
        suffixes = [p[-length:] for p in paths]
        if len(set(suffixes)) == len(suffixes):
            return [".".join(map(str, s)) for s in suffixes]
    seen: defaultdict[tuple[int, ...], int] = defaultdict(int)
    result = []
    for path in paths:
        seen[path] += 1
        label = ".".join(map(str, path[-longest:]))
        result.append(label if seen[path] == 1 else f"{label}_{seen[path]}")
    return result
