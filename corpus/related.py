"""Link clauses of different plans of one notice that carry the same task.

A notice often wraps a multi-year plan and this year's work points, which restate its tasks in part.
Two clauses of different documents from the same file are linked when the rarer word pieces they
share cover enough of the shorter one: 4-character shingles weighted by inverse document frequency,
so boilerplate such as "对口合作专项实施方案" counts for little.  On the seed corpus, true continuations
score 0.13 to 1.0 and boilerplate-only overlaps at most 0.115; the threshold sits between them (tuned by
eye on the seed, see tests/corpus/test_related.py for the pairs it must and must not link).  Plans of
other files or years are not linked: a next year's plan repeating a task is found by search, not here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
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
    """IDF-weighted containment for every pair of clauses of different documents of one file."""
    scores: dict[tuple[str, str], float] = {}
    by_file: defaultdict[str, list[Clause]] = defaultdict(list)
    for clause in clauses:
        by_file[clause.source].append(clause)
    for members in by_file.values():
        if len({c.document_id for c in members}) > 1:
            scores.update(_file_scores(members))
    return scores


def _file_scores(clauses: Sequence[Clause]) -> dict[tuple[str, str], float]:
    shingles = {c.clause_id: _shingles(c.body) for c in clauses}
    frequency = Counter(s for grams in shingles.values() for s in grams)
    weight = {s: math.log(len(clauses) / n) for s, n in frequency.items()}
    masses = {cid: sum(weight[s] for s in grams) for cid, grams in shingles.items()}
    scores: dict[tuple[str, str], float] = {}
    for i, a in enumerate(clauses):
        for b in clauses[i + 1 :]:
            if a.document_id == b.document_id:
                continue
            smaller = min(masses[a.clause_id], masses[b.clause_id])
            if smaller > 0:
                shared = sum(weight[s] for s in shingles[a.clause_id] & shingles[b.clause_id])
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
        replace(c, related=tuple(cid for _, cid in sorted(links[c.clause_id], reverse=True))) for c in clauses
    ]
