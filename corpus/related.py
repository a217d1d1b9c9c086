"""Link clauses of different documents that carry the same task.

Most 2023 work points restate a task of the division plan in part.  Two
clauses are linked when the rarer word pieces they share cover enough of the
shorter one: 4-character shingles weighted by inverse document frequency, so
boilerplate such as "对口合作专项实施方案" counts for little.  On the seed
corpus, true continuations score 0.13 to 1.0 and boilerplate-only overlaps
at most 0.115; the threshold sits between them (tuned by eye on the seed,
see tests/corpus/test_related.py for the pairs it must and must not link).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from corpus.models import Clause
from corpus.text import normalise

SHINGLE = 4
THRESHOLD = 0.12


def _shingles(text: str) -> frozenset[str]:
    form = normalise(text)
    return frozenset(form[i : i + SHINGLE] for i in range(len(form) - SHINGLE + 1))


def overlap_scores(clauses: Sequence[Clause]) -> dict[tuple[str, str], float]:
    """IDF-weighted containment for every pair of clauses from different documents."""
    shingles = {c.clause_id: _shingles(c.body) for c in clauses}
    frequency = Counter(s for grams in shingles.values() for s in grams)
    weight = {s: math.log(len(clauses) / n) for s, n in frequency.items()}

    def mass(grams: frozenset[str]) -> float:
        return sum(weight[s] for s in grams)

    masses = {cid: mass(grams) for cid, grams in shingles.items()}
    scores: dict[tuple[str, str], float] = {}
    for i, a in enumerate(clauses):
        for b in clauses[i + 1 :]:
            if a.document == b.document:
                continue
            smaller = min(masses[a.clause_id], masses[b.clause_id])
            if smaller > 0:
                shared = mass(shingles[a.clause_id] & shingles[b.clause_id])
                scores[(a.clause_id, b.clause_id)] = shared / smaller
    return scores


def link_related(clauses: Sequence[Clause], threshold: float = THRESHOLD) -> list[Clause]:
    """The clauses with ``related`` filled in, both directions, strongest link first."""
    links: dict[str, list[tuple[float, str]]] = {c.clause_id: [] for c in clauses}
    for (a, b), score in overlap_scores(clauses).items():
        if score >= threshold:
            links[a].append((score, b))
            links[b].append((score, a))
    return [
        replace(c, related=tuple(cid for _, cid in sorted(links[c.clause_id], reverse=True)))
        for c in clauses
    ]
