"""Retrieval and answer metrics for one evaluated question, and their summaries.

Recall@k is |gold ∩ top-k| / min(|gold|, k): for a question with up to k gold
clauses it asks for all of them in the top k (multi-clause questions), and a
unit's exhaustive list longer than k is not punished for not fitting.

The answer metrics are taken over the answerable questions the service answered (a refusal is
counted by the false-refusal rate instead): ``cited_right`` (a cited clause is gold),
``keywords_first_120`` (share of the keywords within the answer's first 120 characters: the answer
leads with what was asked), ``all_gold_cited``; ``section_all_gold`` is the share of section and
list questions (type ``section-list``) whose answer cites every gold clause, a refusal counting as
a miss.  ``type_accuracy`` compares the service's question type with the one the gold type implies.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corpus.text import normalise


@dataclass(frozen=True)
class Row:
    """The outcome of one gold question."""

    id: str
    question: str
    type: str
    style: str
    split: str
    gold: tuple[str, ...]
    keywords: tuple[str, ...]
    units: tuple[str, ...]
    ranked: tuple[str, ...]  # citations first, then see-also: the order the answer presents
    cited: tuple[str, ...]
    answer: str
    answerable: bool  # what the service said
    question_type: str
    support: float  # the evidence strength the refusal decision was made on
    latency_ms: float
    added_ms: float = 0.0  # the answer layer's own time: total minus query embedding and index search

    @property
    def expects_answer(self) -> bool:
        return bool(self.gold)

    def gold_ranks(self) -> dict[str, int | None]:
        position = {cid: i + 1 for i, cid in enumerate(self.ranked)}
        return {g: position.get(g) for g in self.gold}


def recall_at(row: Row, k: int) -> float:
    found = len(set(row.gold) & set(row.ranked[:k]))
    return found / min(len(row.gold), k)


def reciprocal_rank(row: Row) -> float:
    ranks = [r for r in row.gold_ranks().values() if r is not None]
    return 1.0 / min(ranks) if ranks else 0.0


def ndcg_at(row: Row, k: int = 10) -> float:
    gold = set(row.gold)
    dcg = sum(1 / math.log2(i + 2) for i, cid in enumerate(row.ranked[:k]) if cid in gold)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal


def citation_precision(row: Row) -> float | None:
    if not row.cited:
        return None
    return len(set(row.cited) & set(row.gold)) / len(row.cited)


def keyword_recall(row: Row) -> float | None:
    if not row.keywords:
        return None
    answer = normalise(row.answer)
    return sum(normalise(k) in answer for k in row.keywords) / len(row.keywords)


# The service's question type each gold type implies (follow-ups and unanswerable ones imply none).
EXPECTED_TYPE = {
    "responsibility": "responsibility", "unit-list": "unit_list", "target": "target", "section-list": "section_list",
    "which-task": "topic", "multi-clause": "topic", "pairing": "topic",
}
FIRST_CHARS = 120


def answered(row: Row) -> bool:
    return row.expects_answer and row.answerable


def cited_right(row: Row) -> float | None:
    if not answered(row):
        return None
    return float(bool(set(row.cited) & set(row.gold)))


def all_gold_cited(row: Row) -> float | None:
    if not row.expects_answer:
        return None
    return float(row.answerable and set(row.gold) <= set(row.cited))


def keywords_first(row: Row, chars: int = FIRST_CHARS) -> float | None:
    """Share of the keywords within the answer's first ``chars`` characters (as shown, before matching)."""
    if not answered(row) or not row.keywords:
        return None
    head = normalise(row.answer[:chars])
    return sum(normalise(k) in head for k in row.keywords) / len(row.keywords)


def type_right(row: Row) -> float | None:
    expected = EXPECTED_TYPE.get(row.type)
    return None if expected is None else float(row.question_type == expected)


def unit_recall(row: Row) -> float | None:
    if not row.units:
        return None
    answer = normalise(row.answer)
    return sum(normalise(u) in answer for u in row.units) / len(row.units)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)], 2)


def summarise(rows: Sequence[Row]) -> dict[str, float | int | None]:
    """Every metric over ``rows``; None where no question of the kind is present."""
    answerable = [r for r in rows if r.expects_answer]
    unanswerable = [r for r in rows if not r.expects_answer]
    refused = [r for r in rows if not r.answerable]
    metric: Callable[[Callable[[Row], float | None]], float | None] = lambda f: _mean([f(r) for r in answerable])
    latencies = [r.latency_ms for r in rows]
    lists = [r for r in rows if r.type == "section-list"]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall@1": metric(lambda r: recall_at(r, 1)),
        "recall@5": metric(lambda r: recall_at(r, 5)),
        "mrr": metric(reciprocal_rank),
        "ndcg@10": metric(lambda r: ndcg_at(r, 10)),
        "citation_precision": metric(citation_precision),
        "keyword_recall": metric(keyword_recall),
        "unit_recall": metric(unit_recall),
        "cited_right": metric(cited_right),
        "keywords_first_120": metric(keywords_first),
        "all_gold_cited": metric(all_gold_cited),
        "section_all_gold": _mean([all_gold_cited(r) for r in lists]),
        "type_accuracy": _mean([type_right(r) for r in rows]),
        "refusal_precision": round(sum(not r.expects_answer for r in refused) / len(refused), 4) if refused else None,
        "refusal_recall": round(sum(not r.answerable for r in unanswerable) / len(unanswerable), 4)
        if unanswerable else None,
        "false_refusal_rate": round(sum(not r.answerable for r in answerable) / len(answerable), 4)
        if answerable else None,
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
        "latency_added_p50_ms": _percentile([r.added_ms for r in rows], 0.5),
    }


def summarise_by(rows: Sequence[Row], key: Callable[[Row], str]) -> dict[str, dict[str, float | int | None]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: summarise(group) for name, group in sorted(groups.items())}
