"""Reciprocal rank fusion: score(d) = sum over channels of weight / (k + rank of d in that channel)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Cormack et al.'s constant: large enough that rank 1 does not drown the agreement of lower ranks.
RRF_K = 60
# BM25 counts twice as much as the embedding: on the dev split keyword-only has the better Recall@1
# (0.89 vs 0.78); with weight 2 the fusion matches it there and beats both channels on Recall@5 and MRR
# (benchmarks/bench_index.py prints the table; weights 1, 1.5 and 2 and k 5–60 were compared on dev).
KEYWORD_WEIGHT = 2.0


@dataclass(frozen=True)
class Fused:
    doc: int
    score: float
    ranks: dict[str, int | None]  # 1-based rank in each channel, None when the channel did not return it
    scores: dict[str, float | None]  # each channel's own score, None likewise


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[tuple[int, float]]], k: int = RRF_K, weights: Mapping[str, float] | None = None
) -> list[Fused]:
    """Fuse ranked (document, score) lists, best first; a channel's weight defaults to 1.

    Ties on the fused score go to the document with the better best rank, then the lower document number,
    so the order never depends on dict or set iteration.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    channels = tuple(rankings)
    weight = {channel: (weights or {}).get(channel, 1.0) for channel in channels}
    ranks: dict[int, dict[str, int | None]] = {}
    scores: dict[int, dict[str, float | None]] = {}
    fused: dict[int, float] = {}
    best: dict[int, int] = {}  # each document's best rank in any channel, for ties
    for channel, ranking in rankings.items():
        share = weight[channel]
        for rank, (doc, score) in enumerate(ranking, start=1):
            if doc not in ranks:
                ranks[doc], scores[doc], fused[doc], best[doc] = dict.fromkeys(channels), dict.fromkeys(channels), 0.0, rank
            ranks[doc][channel], scores[doc][channel] = rank, score
            fused[doc] += share / (k + rank)
            best[doc] = min(best[doc], rank)
    order = sorted(fused, key=lambda doc: (-fused[doc], best[doc], doc))
    return [Fused(doc, fused[doc], ranks[doc], scores[doc]) for doc in order]
