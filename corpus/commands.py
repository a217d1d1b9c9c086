"""`clause-qa clauses` (list and show the parsed clauses) and `clause-qa corpus check` (the parse report)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from corpus.errors import ClauseQAError, CorpusError, UnreadableFile
from corpus.loader import Corpus, build_corpus, load_corpus
from corpus.models import Clause
from corpus.parser import parse_model
from corpus.readers import SUFFIXES, read_file
from corpus.unit_matcher import UnitMatcher


class UnknownUnit(ClauseQAError):
    def __init__(self, unit: str, known: list[str]) -> None:
        hint = f"; known units include {', '.join(known[:8])}" if known else ""
        super().__init__(f"no responsible unit matches {unit!r}{hint}")


def resolve_unit(corpus: Corpus, unit: str) -> list[str]:
    """The units meant by ``unit``: the exact name, else the units it abbreviates (文旅局, 发改委)."""
    matches = UnitMatcher(corpus.units, corpus.places).resolve(unit)
    if not matches:
        raise UnknownUnit(unit, list(corpus.units))
    return list(matches)


def _print_clause(clause: Clause, lead_marker: str = "") -> None:
    print(f"{clause.clause_id}{lead_marker}  {' › '.join(clause.section)}")
    print(f"    {clause.text}")


def _show(clause: Clause) -> None:
    print(f"{clause.citation}  {clause.clause_id}{'' if clause.is_task else '（说明，非任务）'}")
    print(f"文件：{clause.document}")
    print(f"章节：{' › '.join(clause.section)}")
    where = clause.location.describe() if clause.location else ""
    print(f"位置：{clause.source} {where} [{clause.start}, {clause.end})")
    print(f"条文：{clause.text}")
    if clause.is_task:
        print(f"牵头单位：{'、'.join(clause.lead_units) or '（未列明）'}")
        print(
            f"{clause.unit_label or '责任单位'}："
            f"{'、'.join(clause.units) or '（未列明）'}{'等' if clause.open_units else ''}"
        )
    if clause.leaders:
        print(f"责任领导：{'、'.join(clause.leaders)}")
    if clause.targets:
        print(f"目标：{'；'.join(f'{t.text}（{t.kind}）' for t in clause.targets)}")
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


def _check_paths(paths: list[Path]) -> tuple[Corpus, list[UnreadableFile]]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            raise CorpusError(str(path), None, "no such file or folder")
    parsed, unreadable = [], []
    for file in files:
        try:
            parsed.append(parse_model(read_file(file)))
        except UnreadableFile as exc:
            unreadable.append(exc)
    return build_corpus(parsed, unreadable), unreadable


def run_check(args: argparse.Namespace, settings: Any) -> int:
    """Print each document's parse report; exit 1 only when a file cannot be read at all."""
    if args.paths:
        corpus, unreadable = _check_paths(args.paths)
    else:
        corpus = load_corpus(settings.corpus_dir)
        unreadable = list(corpus.unreadable)
    if args.json:
        print(
            json.dumps(
                {
                    "documents": [d.to_dict() for d in corpus.documents],
                    "unreadable": [{"file": u.source, "problem": u.problem} for u in unreadable],
                    **({"clauses": [c.to_dict() for c in corpus.citable]} if args.verbose else {}),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 1 if unreadable else 0
    for document in corpus.documents:
        report = document.report
        print(f"{document.source}: 《{document.title}》 → {document.document_id}")
        facts = [f"{document.format}", f"{report.layout}", f"title from {report.title_source}"]
        if document.issuers:
            facts.append("issued by " + "、".join(document.issuers))
        facts += [x for x in (document.number, document.date) if x]
        print(f"    {'; '.join(facts)}")
        print(
            f"    {report.items} items, {report.items_without_responsibility} without responsibility, "
            f"{report.passages} passages, {len(report.warnings)} warnings"
        )
        for warning in report.warnings:
            print(f"    warning: {warning}")
        if args.verbose:
            for clause_id in document.clause_ids:
                clause = corpus.clause(clause_id)
                parts = [
                    f"lead={'、'.join(clause.lead_units)}" if clause.lead_units else "",
                    f"units={'、'.join(clause.units)}{'等' if clause.open_units else ''}"
                    if clause.units
                    else "",
                    f"leaders={'、'.join(clause.leaders)}" if clause.leaders else "",
                    f"deadlines={'、'.join(t.text for t in clause.deadlines)}" if clause.deadlines else "",
                ]
                print(f"      {clause.clause_id} [{' › '.join(clause.section)}] {clause.text[:40]}")
                print(f"          {' '.join(p for p in parts if p) or '(no responsibility)'}")
    for problem in unreadable:
        print(f"unreadable: {problem}")
    return 1 if unreadable else 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add `clauses` and `corpus check` to the CLI; handlers take (args, settings)."""
    parser = commands.add_parser("clauses", help="list the parsed clauses, or show one")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--document", help="only this document (id, full title or short name, e.g. 2023分工方案)"
    )
    parser.add_argument("--unit", help="only clauses this unit leads or shares, lead ones first")
    actions = parser.add_subparsers(dest="action")
    show = actions.add_parser("show", help="one clause with its section path and responsibility")
    show.add_argument("clause_id")
    # SUPPRESS: an unset sub-parser default would overwrite `clauses --json show ID`'s flag.
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser.set_defaults(handler=lambda args, settings: run_clauses(args, load_corpus(settings.corpus_dir)))

    corpus = commands.add_parser("corpus", help="check how the documents parse")
    corpus_actions = corpus.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = corpus_actions.add_parser(
        "check", help="print each document's parse report (exit 1 only when a file cannot be read)"
    )
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the corpus folder)")
    check.add_argument("--verbose", "-v", action="store_true", help="list every item with its responsibility")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(handler=run_check)
