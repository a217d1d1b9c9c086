"""Calibrate the refusal threshold and citation selection on the dev split only.

    python -m evaluation.calibrate [--gold FILE] [--write]

Grid-searches the support weights (qa/support.py) for the best balance of
Recall@5, citation precision, refusal F1 and (1 - false refusals) on the dev
questions, prints the grid's best rows, and with --write stores the winner in
qa/calibration.json.  The test split is never read here.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from evaluation.gold import DEFAULT_GOLD, load_gold
from evaluation.metrics import Row, summarise
from evaluation.runner import run
from index import Hit
from qa.compose import REFUSAL
from qa.factory import build_service
from qa.service import QAService
from qa.settings import Settings
from qa.support import Calibration

WEIGHTS = (0.2, 0.35, 0.5, 0.65, 0.8)
RATIOS = (0.6, 0.7, 0.8, 0.9, 1.0)
THRESHOLDS = tuple(round(0.1 + 0.025 * i, 3) for i in range(25))


class _CachedRetriever:
    """The same retriever, its answers remembered: retrieval does not depend on calibration."""

    def __init__(self, retriever: object) -> None:
        self._retriever = retriever
        self.corpus = retriever.corpus  # type: ignore[attr-defined]
        self.embedder = retriever.embedder  # type: ignore[attr-defined]
        self.search = lru_cache(maxsize=None)(self._search)

    def _search(self, query: str, k: int = 10, mode: str = "hybrid") -> list[Hit]:
        return self._retriever.search(query, k=k, mode=mode)  # type: ignore[attr-defined]


def refuse_below(rows: Sequence[Row], threshold: float) -> list[Row]:
    """The rows as they would be had the service refused every answer with support under ``threshold``."""
    return [
        replace(r, answerable=False, cited=(), answer=REFUSAL) if r.answerable and r.support < threshold else r
        for r in rows
    ]


def objective(summary: dict) -> float:
    precision, recall = summary["refusal_precision"] or 0.0, summary["refusal_recall"] or 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    parts = (summary["recall@5"] or 0.0, summary["citation_precision"] or 0.0, f1, 1 - (summary["false_refusal_rate"] or 0.0))
    return sum(parts) / len(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=DEFAULT_GOLD)
    parser.add_argument("--write", action="store_true", help="store the best calibration in qa/calibration.json")
    args = parser.parse_args(argv)
    base = build_service(Settings())
    retriever = _CachedRetriever(base.retriever)
    dev = [q for q in load_gold(args.gold) if q.split == "dev"]
    results = []
    for weight, ratio in itertools.product(WEIGHTS, RATIOS):
        calibration = replace(Calibration.load(), coverage_weight=weight, cite_ratio=ratio, answer_threshold=0.0)
        rows = run(QAService(retriever, calibration), dev, progress=False)  # type: ignore[arg-type]
        for threshold in THRESHOLDS:
            summary = summarise(refuse_below(rows, threshold))
            results.append((objective(summary), replace(calibration, answer_threshold=threshold), summary))
    results.sort(key=lambda r: -r[0])
    print("objective  weight  ratio  threshold  recall@5  cite_prec  refusal_P  refusal_R  false_refusal")
    for score, calibration, s in results[:10]:
        print(f"{score:9.4f}  {calibration.coverage_weight:6}  {calibration.cite_ratio:5}  "
              f"{calibration.answer_threshold:9}  {s['recall@5']:8}  {s['citation_precision']:9}  "
              f"{s['refusal_precision']}  {s['refusal_recall']}  {s['false_refusal_rate']}")
    if args.write:
        results[0][1].save()
        print(f"wrote {results[0][1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
