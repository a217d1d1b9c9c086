"""`clause-qa clauses`: list and show the parsed clauses."""

from __future__ import annotations

import argparse
import json
from typing import Any

from corpus.errors import ClauseQAError
from corpus.loader import Corpus, load_corpus
from corpus.models import Clause
from corpus.unit_matcher import UnitMatcher


class UnknownUnit(ClauseQAError):
    def __init__(self, unit: str, known: list[str]) -> None:
        hint = f"; known units include {', '.join(known[:8])}" if known else ""
        super().__init__(f"no responsible unit matches {unit!r}{hint}")


def resolve_unit(corpus: Corpus, unit: str) -> list[str]:
    """The units meant by ``unit``: the exact name, else the units it abbreviates (文旅局, 发改委)."""
    matches = UnitMatcher(corpus.units).resolve(unit)
    if not matches:
        raise UnknownUnit(unit, list(corpus.units))
    return list(matches)


def _print_clause(clause: Clause, lead_marker: str = "") -> None:
    print(f"{clause.clause_id}{lead_marker}  {' › '.join(clause.section)}")
    print(f"    {clause.text}")


def _show(clause: Clause) -> None:
    print(f"{clause.citation}  {clause.clause_id}")
    print(f"文件：{clause.document}")
    print(f"章节：{' › '.join(clause.section)}")
    print(f"位置：{clause.source} [{clause.start}, {clause.end})")
    print(f"条文：{clause.text}")
    print(f"牵头单位：{'、'.join(clause.lead_units) or '（未列明）'}")
    print(f"责任单位：{'、'.join(clause.units) or '（未列明）'}")
    if clause.targets:
        print(f"目标：{'；'.join(t.text for t in clause.targets)}")
    if clause.related:
        print(f"相关条款：{'、'.join(clause.related)}")


def run_clauses(args: argparse.Namespace, corpus: Corpus) -> int:
    if args.action == "show":
        clause = corpus.clause(args.clause_id)
        if args.json:
            print(json.dumps(clause.to_dict(), ensure_ascii=False, indent=2))
        else:
            _show(clause)
        return 0
    names = resolve_unit(corpus, args.unit) if args.unit else []
    selected = corpus.select(names if args.unit else None, args.document)
    if args.json:
        rows: list[dict[str, Any]] = [c.to_dict() for c in selected]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for clause in selected:
        _print_clause(clause, " [牵头]" if any(n in clause.lead_units for n in names) else "")
    print(f"({len(selected)} clauses)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add `clauses` to the CLI; handlers take (args, settings)."""
    parser = commands.add_parser("clauses", help="list the parsed clauses, or show one")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--document", help="only this document (full title or short name, e.g. 分工方案)")
    parser.add_argument("--unit", help="only clauses this unit leads or shares, lead ones first")
    actions = parser.add_subparsers(dest="action")
    show = actions.add_parser("show", help="one clause with its section path and responsibility")
    show.add_argument("clause_id")
    # SUPPRESS: an unset sub-parser default would overwrite `clauses --json show ID`'s flag.
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser.set_defaults(handler=lambda args, settings: run_clauses(args, load_corpus(settings.corpus_dir)))
