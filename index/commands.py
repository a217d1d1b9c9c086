"""`clause-qa index build` and `clause-qa search`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from corpus.errors import ClauseQAError
from corpus.loader import load_corpus
from index.backends import FaissBackend, Filters, IndexBackend, backend_from_settings
from index.build import open_index, publish_index
from index.embedders import embedder_from_settings
from index.errors import StaleIndex
from index.retriever import MODES, Hit


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class OutNeedsFaiss(ClauseQAError):
    """``index build --out`` names a folder: only the FAISS backend writes one."""


def _backend(args: argparse.Namespace, settings: Any) -> IndexBackend:
    if args.out is None:
        return backend_from_settings(settings)
    if settings.index_backend != "faiss":
        raise OutNeedsFaiss(
            "--out is a folder for the FAISS backend; with CLAUSE_QA_INDEX_BACKEND=milvus the build goes to "
            "CLAUSE_QA_MILVUS_URI, as a new collection behind CLAUSE_QA_MILVUS_COLLECTION"
        )
    return FaissBackend(args.out)


def run_build(args: argparse.Namespace, settings: Any) -> int:
    backend = _backend(args, settings)
    corpus, embedder = load_corpus(*settings.document_folders), embedder_from_settings(settings)
    if args.if_stale:
        try:
            current = open_index(corpus, embedder, backend, rebuild=False)
        except StaleIndex as exc:
            print(f"building: {exc.problem}")
        else:
            print(f"the index at {backend.location} ({current.generation}) fits the corpus: nothing to build")
            return 0
    manifest = publish_index(corpus, embedder, backend)
    spec = manifest.spec
    print(
        f"indexed {spec.clause_count} clauses into {backend.location} ({backend.serving()}) in "
        f"{manifest.build_seconds:.1f} s ({manifest.dense_kind} index, {spec.embedder}, {spec.dim}-d; {spec.tokenizer})"
    )
    return 0


def _channel(hit: Hit, channel: str) -> str:
    rank, score = hit.ranks[channel], hit.scores[channel]
    return f"{channel} #{rank} ({score:.3f})" if rank is not None and score is not None else f"{channel} -"


def _as_dict(position: int, hit: Hit) -> dict[str, Any]:
    clause = hit.clause
    return {
        "rank": position,
        "clause_id": clause.clause_id,
        "citation": clause.citation,
        "score": hit.score,
        "ranks": hit.ranks,
        "scores": hit.scores,
        "section": list(clause.section),
        "text": clause.text,
    }


def run_search(args: argparse.Namespace, settings: Any) -> int:
    backend = backend_from_settings(settings)  # connects first: an unreachable Milvus fails before any loading
    retriever = open_index(
        load_corpus(*settings.document_folders),
        embedder_from_settings(settings),
        backend,
        rebuild=settings.rebuild_stale_index,
        rrf_k=settings.rrf_k,
        keyword_weight=settings.keyword_weight,
    )
    filters = Filters(tuple(args.document), tuple(args.year), tuple(args.unit))
    hits = retriever.search(args.question, args.k, args.retriever, filters)
    if args.json:
        print(json.dumps([_as_dict(i, h) for i, h in enumerate(hits, 1)], ensure_ascii=False, indent=2))
        return 0
    for position, hit in enumerate(hits, 1):
        channels = "  ".join(_channel(hit, c) for c in ("keyword", "dense"))
        print(f"{position:>2}. {hit.clause.clause_id}  {hit.score:.4f}  {channels}")
        print(f"    {' › '.join(hit.clause.section)}")
        print(f"    {hit.clause.text}")
    if not hits:
        print("(no clause matches)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add `index build` and `search` to the CLI; handlers take (args, settings)."""
    index = commands.add_parser("index", help="build the search index")
    actions = index.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build", help="embed and tokenise every clause, publish a new index generation atomically (CLAUSE_QA_INDEX_BACKEND)"
    )
    build.add_argument(
        "--out", type=Path, help="FAISS index folder (default: CLAUSE_QA_INDEX_DIR; Milvus: CLAUSE_QA_MILVUS_URI)"
    )
    build.add_argument(
        "--if-stale", action="store_true", help="build only when the index is missing or does not fit the corpus"
    )
    build.set_defaults(handler=run_build)

    search = commands.add_parser("search", help="rank the clauses for a question, with both channels' ranks")
    search.add_argument("question")
    search.add_argument("--k", type=positive_int, default=10, help="clauses to show (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--retriever", choices=MODES, default="hybrid", help="channel(s) to rank with")
    search.add_argument("--document", action="append", default=[], metavar="ID", help="only this document (repeatable)")
    search.add_argument("--year", action="append", default=[], type=int, help="only documents of this year (repeatable)")
    search.add_argument("--unit", action="append", default=[], help="only clauses of this unit, full name (repeatable)")
    search.set_defaults(handler=run_search)
