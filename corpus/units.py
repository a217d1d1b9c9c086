"""The directory of responsible units, derived from the parsed clauses.

A unit belongs to a group: the issuer's place its name starts with (济南市教育局 → 济南市), else its
document's place when the document has one (a district's "区发改局" → that district).  Two districts'
"区发改局" are two units.  Spellings of one unit are merged, computed, not typed: within a group, two
names of seven or more characters where one inserts a short run into the other (临沂市商城管委会 /
临沂商城管委会, 经济技术开发区 / 经济开发区), or where a name differs in a single character before its
institution suffix from one at least three times as frequent (商场 / 商城: a probable typo in the source).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from corpus.models import Clause

_MIN_VARIANT = 7  # shorter names differ in one character too often to be spellings of one unit
_SUFFIX_KEPT = 3  # "管委会", "教育局": a difference here names another unit
# A misprint is rare beside its correct spelling; next year's copy repeating it does not make it a unit.
_TYPO_RATIO = 3


@dataclass(frozen=True)
class UnitEntry:
    """A unit and the clauses it leads or shares, in corpus order."""

    name: str  # as written; "区发改局（青禾区）" when two groups have a unit of that name
    written: str
    group: str | None  # the place it belongs to, None when its documents name none
    lead: tuple[str, ...]
    shared: tuple[str, ...]  # clauses where it is responsible but not lead
    variants: tuple[str, ...] = ()  # other spellings found in the documents, merged into this one
    probable_typos: tuple[str, ...] = ()  # variants that look like a misprint of the name

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return self.lead + self.shared


GroupOf = Callable[[Clause, str], "str | None"]


def _inserts(short: str, long: str) -> bool:
    """``long`` is ``short`` with one contiguous run of one or two characters inserted inside it."""
    extra = len(long) - len(short)
    if not 1 <= extra <= 2:
        return False
    for at in range(1, len(short)):
        if long[:at] == short[:at] and long[at + extra :] == short[at:]:
            return True
    return False


def _substitutes(a: str, b: str) -> bool:
    """One character differs, and not in the institution suffix."""
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diffs) == 1 and 0 < diffs[0] < len(a) - _SUFFIX_KEPT


def spelling_variants(counts: Counter[str]) -> tuple[dict[str, str], set[str]]:
    """For names of one group with their clause counts: variant → canonical name, and the probable typos."""
    canonical: dict[str, str] = {}
    typos: set[str] = set()
    names = sorted(counts, key=lambda n: (-counts[n], -len(n), n))
    for index, name in enumerate(names):
        if name in canonical or len(name) < _MIN_VARIANT:
            continue
        for other in names[index + 1 :]:
            if other in canonical or len(other) < _MIN_VARIANT:
                continue
            if _inserts(other, name) or _inserts(name, other):
                canonical[other] = name
            elif _substitutes(name, other) and counts[name] >= _TYPO_RATIO * counts[other]:
                canonical[other] = name
                typos.add(other)
    return canonical, typos


def merge_spellings(
    clauses: Sequence[Clause], group_of: GroupOf
) -> tuple[list[Clause], dict[tuple[str | None, str], set[str]], set[str]]:
    """Clauses with each unit spelled one way; the variants merged into each (group, name); the typos."""
    counts: dict[str | None, Counter[str]] = defaultdict(Counter)
    for clause in clauses:
        for unit in clause.units:
            counts[group_of(clause, unit)][unit] += 1
    renames: dict[tuple[str | None, str], str] = {}
    variants: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    typos: set[str] = set()
    for group, names in counts.items():
        canonical, found = spelling_variants(names)
        typos |= found
        for variant, name in canonical.items():
            renames[(group, variant)] = name
            variants[(group, name)].add(variant)

    def rename(clause: Clause, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(renames.get((group_of(clause, n), n), n) for n in names))

    merged = [
        replace(c, lead_units=rename(c, c.lead_units), units=rename(c, c.units)) if c.units else c
        for c in clauses
    ]
    return merged, variants, typos


def unit_directory(
    clauses: Sequence[Clause],
    group_of: GroupOf,
    variants: dict[tuple[str | None, str], set[str]] | None = None,
    typos: set[str] | None = None,
) -> dict[str, UnitEntry]:
    """Every unit named as responsible, with its clauses, most involved first."""
    lead: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    shared: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for clause in clauses:
        for unit in clause.units:
            key = (group_of(clause, unit), unit)
            (lead if unit in clause.lead_units else shared)[key].append(clause.clause_id)
    keys = set(lead) | set(shared)
    groups_of_name = Counter(name for _, name in keys)
    ordered = sorted(keys, key=lambda k: (-len(lead.get(k, [])) - len(shared.get(k, [])), k[1], k[0] or ""))
    directory: dict[str, UnitEntry] = {}
    for group, name in ordered:
        display = f"{name}（{group}）" if groups_of_name[name] > 1 and group else name
        found = sorted((variants or {}).get((group, name), ()))
        directory[display] = UnitEntry(
            display,
            name,
            group,
            tuple(lead.get((group, name), [])),
            tuple(shared.get((group, name), [])),
            tuple(found),
            tuple(v for v in found if v in (typos or set())),
        )
    return directory
