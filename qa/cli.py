"""`clause-qa`: the command line, a thin shell over the functions the API calls.

This is the one module that sees every layer: each layer registers its own
subcommands (corpus: clauses; index: index, search; qa: ask;
api: serve; evaluation: eval, feedback export).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from api import commands as api_commands
from corpus import commands as corpus_commands
from corpus.errors import ClauseQAError
from evaluation import commands as evaluation_commands
from evaluation import feedback_command
from index import commands as index_commands
from qa import commands as qa_commands
from qa.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clause-qa", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    corpus_commands.register(commands)
    index_commands.register(commands)
    qa_commands.register(commands)
    api_commands.register(commands)
    evaluation_commands.register(commands)
    feedback_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"CLAUSE_QA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"clause-qa: error: invalid setting: {problems}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, settings) or 0)
    except ClauseQAError as exc:
        print(f"clause-qa: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
