"""The directory of responsible units, derived from the parsed clauses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corpus.models import Clause
from corpus.responsibility import CITIES


@dataclass(frozen=True)
class UnitEntry:
    """A unit and the clauses it leads or shares, in corpus order."""

    name: str
    lead: tuple[str, ...]
    shared: tuple[str, ...]  # clauses where it is responsible but not lead

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return self.lead + self.shared


def _variant_key(name: str) -> str:
    """临沂市商城管委会 and 临沂商城管委会 are spellings of one unit."""
    for city in CITIES:
        if name.startswith(city + "市") and not name.startswith(city + "市委"):
            return city + name[len(city) + 1 :]
    return name


def merge_spellings(clauses: Sequence[Clause]) -> list[Clause]:
    """Rename units spelled two ways to the spelling the source uses most."""
    counts = Counter(u for c in clauses for u in c.units)
    best: dict[str, str] = {}
    for name, _ in counts.most_common():
        best.setdefault(_variant_key(name), name)
    canon = {name: best[_variant_key(name)] for name in counts}

    def rename(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(canon[n] for n in names))

    return [replace(c, lead_units=rename(c.lead_units), units=rename(c.units)) for c in clauses]


def unit_directory(clauses: Sequence[Clause]) -> dict[str, UnitEntry]:
    """Every unit named in a responsibility parenthesis, with its clauses."""
    lead: dict[str, list[str]] = {}
    shared: dict[str, list[str]] = {}
    for clause in clauses:
        for unit in clause.units:
            (lead if unit in clause.lead_units else shared).setdefault(unit, []).append(clause.clause_id)
    names = sorted(set(lead) | set(shared), key=lambda n: (-len(lead.get(n, [])) - len(shared.get(n, [])), n))
    return {n: UnitEntry(n, tuple(lead.get(n, [])), tuple(shared.get(n, []))) for n in names}
