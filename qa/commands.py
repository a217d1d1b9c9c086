"""`clause-qa ask`: the same answer the API gives, on the command line."""

from __future__ import annotations

import argparse
import json

from index.commands import positive_int
from qa.serialise import answer_to_dict
from qa.settings import Settings


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from qa.factory import build_service  # loads the index and model: only when asked

    service = build_service(settings)
    answer = service.ask(args.question, top_k=args.k)
    if args.json:
        print(json.dumps(answer_to_dict(answer), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    if answer.answerable and answer.citations:
        print()
        for citation in answer.citations:
            print(f"{citation.clause.citation} {citation.clause.clause_id}  {' › '.join(citation.clause.section)}")
    return 0


def _question(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the question must not be empty or whitespace")
    return text


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("ask", help="answer a question with cited clauses")
    parser.add_argument("question", type=_question, help="the question, in Chinese")
    parser.add_argument("--k", type=positive_int, default=5, help="clauses to show as see-also (at least 1)")
    parser.add_argument("--json", action="store_true", help="print the API's JSON")
    parser.set_defaults(handler=run_ask)
