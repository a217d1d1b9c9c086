"""`clause-qa feedback export`: the votes staff gave on the page, as gold-set candidates for `clause-qa eval`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus import load_corpus
from evaluation.candidates import candidates, gold_line
from evaluation.gold import DEFAULT_GOLD, SPLITS, load_gold
from qa.feedback import FeedbackStore
from qa.settings import Settings


def _write(path: Path | None, lines: list[dict]) -> None:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    votes = FeedbackStore(args.db or settings.feedback_db).all()
    corpus = load_corpus(*settings.document_folders)  # votes may cite uploaded documents
    existing = load_gold(args.gold)
    accepted, review = candidates(votes, corpus, existing, args.split)
    _write(args.out, [gold_line(q) for q in accepted])
    if args.review:
        _write(args.review, [r.to_dict() for r in review])
    where = args.out or "standard output"
    print(
        f"{len(votes)} votes: {len(accepted)} gold candidates written to {where}; "
        f"{len(review)} questions need a person"
        + (f" (written to {args.review})" if args.review else " (see --review)"),
        file=sys.stderr,
    )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("feedback", help="work with the votes staff gave on answers")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write the votes as gold-set candidates (JSON Lines, the format of evaluation/README.md)",
        description="Questions whose votes are all up, on the same clauses, become gold lines; type, style, "
        "keywords and split are guesses to check before adding them to a gold set. Down votes and "
        "disagreements go to --review, with the notes.",
    )
    export.add_argument("--out", type=Path, help="gold candidates file (default: standard output)")
    export.add_argument("--review", type=Path, help="also write the questions that need a person here (JSON Lines)")
    export.add_argument("--db", type=Path, help="feedback file (default CLAUSE_QA_FEEDBACK_DB)")
    export.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                        help="the gold set the candidates join: its questions are skipped and its splits kept")
    export.add_argument("--split", choices=SPLITS, default="dev",
                        help="split of a candidate on a fact the gold set does not have yet (default dev)")
    export.set_defaults(handler=run_export)
