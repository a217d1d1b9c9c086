"""`clause-qa eval`: run a gold set through the QA service, report, and gate."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from corpus.errors import ClauseQAError
from evaluation.gold import DEFAULT_GOLD, load_gold, validate_gold
from evaluation.report import STYLE_METRICS, TABLE_METRICS, build, table, write
from qa.settings import Settings

MODES = ("keyword", "dense", "hybrid")
THRESHOLDS = Path(__file__).with_name("thresholds.json")


class GateError(ClauseQAError):
    pass


def _pairs(values: list[str]) -> dict[str, float]:
    pairs = {}
    for value in values:
        metric, sep, number = value.partition("=")
        if not sep or metric not in TABLE_METRICS:
            raise GateError(f"expected METRIC=VALUE with METRIC one of {', '.join(TABLE_METRICS)}; got {value!r}")
        try:
            pairs[metric] = float(number)
        except ValueError:
            raise GateError(f"{value!r}: {number!r} is not a number") from None
    return pairs


def gate_failures(summary: dict[str, Any], minimum: dict[str, float], maximum: dict[str, float]) -> list[str]:
    """Every metric below its minimum or above its maximum."""
    failures = []
    for metric, bound in minimum.items():
        value = summary.get(metric)
        if value is None or value < bound:
            failures.append(f"{metric} = {value} is under {bound}")
    for metric, bound in maximum.items():
        value = summary.get(metric)
        if value is None or value > bound:
            failures.append(f"{metric} = {value} is over {bound}")
    return failures


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.runner import run  # these load the index and model: only when asked
    from qa.factory import build_service

    service = build_service(settings)
    questions = load_gold(args.gold)
    problems = validate_gold(questions, service.corpus)
    if problems:
        raise GateError(f"the gold file {args.gold} has problems:\n  " + "\n  ".join(problems))
    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    modes = MODES if args.compare else (args.retriever,)
    summaries = {}
    for mode in modes:
        report = build(run(service, questions, mode, progress=not args.quiet), mode, str(args.gold), args.split)
        summaries[mode] = report["summary"]
        if args.out:
            write(report, args.out / mode if args.compare else args.out)
    print(f"evaluation of split {args.split}, {date.today()}")
    print(table(summaries))
    print(f"\nby style ({modes[-1]}):")
    print(table(report["by_style"], STYLE_METRICS))
    minimum = _pairs(args.fail_under)
    maximum = _pairs(args.fail_over)
    if args.thresholds:
        limits = json.loads(args.thresholds.read_text(encoding="utf-8"))
        minimum = {**_pairs([f"{k}={v}" for k, v in limits.get("min", {}).items()]), **minimum}
        maximum = {**_pairs([f"{k}={v}" for k, v in limits.get("max", {}).items()]), **maximum}
    failures = gate_failures(summaries[modes[-1]], minimum, maximum)
    if failures:
        print("evaluation gate failed:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    if minimum or maximum:
        print(f"evaluation gate passed ({len(minimum) + len(maximum)} thresholds)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("eval", help="evaluate answers against a gold question set")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON Lines file (see evaluation/README.md)")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test",
                        help="dev may be tuned on; test is only reported (default)")
    parser.add_argument("--retriever", choices=MODES, default="hybrid")
    parser.add_argument("--compare", action="store_true", help="run keyword, dense and hybrid side by side")
    parser.add_argument("--out", type=Path, help="write report.json and report.md here")
    parser.add_argument("--fail-under", nargs="*", default=[], metavar="METRIC=VALUE",
                        help="exit 1 when a metric is below VALUE")
    parser.add_argument("--fail-over", nargs="*", default=[], metavar="METRIC=VALUE",
                        help="exit 1 when a metric is above VALUE (e.g. false_refusal_rate)")
    parser.add_argument("--thresholds", type=Path, nargs="?", const=THRESHOLDS,
                        help=f"JSON file of {{'min': {{...}}, 'max': {{...}}}} gates (default {THRESHOLDS.name})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run_eval)
