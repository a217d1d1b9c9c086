"""Write evaluation results: report.json for machines, report.md and a printed table for people."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from evaluation.metrics import (
    Row,
    citation_precision,
    keyword_recall,
    reciprocal_rank,
    summarise,
    summarise_by,
)

Summary = Mapping[str, float | int | None]

TABLE_METRICS = (
    "recall@1", "recall@5", "mrr", "ndcg@10", "citation_precision", "cited_right", "keyword_recall",
    "keywords_first_120", "unit_recall", "all_gold_cited", "section_all_gold", "type_accuracy",
    "refusal_precision", "refusal_recall", "false_refusal_rate", "latency_p50_ms", "latency_p95_ms",
    "latency_added_p50_ms",
)
# The per-style table printed by `clause-qa eval`: how wording (synonym, keyword…) changes the answers.
STYLE_METRICS = (
    "recall@1", "cited_right", "keywords_first_120", "refusal_recall", "false_refusal_rate", "type_accuracy",
)


def _cell(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(columns: Mapping[str, Summary], metrics: Sequence[str] = TABLE_METRICS) -> str:
    """A markdown table: one row per metric, one column per summary."""
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for metric in ("questions", *metrics):
        lines.append(f"| {metric} | " + " | ".join(_cell(columns[n].get(metric)) for n in names) + " |")
    return "\n".join(lines)


def build(rows: Sequence[Row], mode: str, gold_file: str, split: str) -> dict[str, Any]:
    return {
        "gold": gold_file,
        "split": split,
        "retriever": mode,
        "summary": summarise(rows),
        "by_type": summarise_by(rows, lambda r: r.type),
        "by_style": summarise_by(rows, lambda r: r.style),
        "rows": [
            {
                **asdict(row),
                "gold_ranks": row.gold_ranks(),
                "reciprocal_rank": reciprocal_rank(row) if row.gold else None,
                "citation_precision": citation_precision(row),
                "keyword_recall": keyword_recall(row),
                "refused": not row.answerable,
            }
            for row in rows
        ],
    }


def markdown(report: Mapping[str, Any]) -> str:
    by_type, by_style = report["by_type"], report["by_style"]
    parts = [
        f"# Evaluation: split `{report['split']}`, retriever `{report['retriever']}`",
        f"Gold file: `{report['gold']}`", "",
        "## Overall", table({"all": report["summary"]}), "",
        "## By type", table(by_type), "",
        "## By style", table(by_style), "",
        "## Questions", "| id | type | question | gold | top cited | refused | gold ranks |", "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        ranks = ", ".join(f"{g}:{r or '–'}" for g, r in row["gold_ranks"].items())
        cited = ", ".join(row["cited"][:3])
        question = row["question"].replace("|", "\\|")
        gold = ", ".join(row["gold"]) or "(unanswerable)"
        parts.append(f"| {row['id']} | {row['type']} | {question} | {gold} | {cited} | {row['refused']} | {ranks} |")
    return "\n".join(parts) + "\n"


def write(report: Mapping[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report), encoding="utf-8")
