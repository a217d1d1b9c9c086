"""Reciprocal rank fusion: score(d) = sum over channels of 1 / (k + rank of d in that channel)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Cormack et al.'s constant: large enough that rank 1 does not drown the agreement of lower ranks.
RRF_K = 60


@dataclass(frozen=True)
class Fused:
    doc: int
    score: float
    ranks: dict[str, int | None]  # 1-based rank in each channel, None when the channel did not return it
    scores: dict[str, float | None]  # each channel's own score, None likewise


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[tuple[int, float]]], k: int = RRF_K
) -> list[Fused]:
    """Fuse ranked (document, score) lists, best first.

    Ties on the fused score go to the document with the better best rank, then the lower document number,
    so the order never depends on dict or set iteration.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    ranks: dict[int, dict[str, int | None]] = {}
    scores: dict[int, dict[str, float | None]] = {}
    for channel, ranking in rankings.items():
        for rank, (doc, score) in enumerate(ranking, start=1):
            ranks.setdefault(doc, dict.fromkeys(rankings))[channel] = rank
            scores.setdefault(doc, dict.fromkeys(rankings))[channel] = score
    fused = [
        Fused(doc, sum(1 / (k + r) for r in ranks[doc].values() if r is not None), ranks[doc], scores[doc])
        for doc in ranks
    ]
    return sorted(fused, key=lambda f: (-f.score, min(r for r in f.ranks.values() if r is not None), f.doc))
