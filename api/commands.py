"""`clause-qa serve`: serve the API and the chat page.

One process by default: its embedder already uses every core (threads per question adapt to load, see
index/embedders.py), so more processes add memory, not throughput, on the 2-core machine we measured
(benchmarks/compare.py).  ``CLAUSE_QA_WORKERS`` > 1 runs that many uvicorn worker processes for bigger
machines; each loads its own index and embedder.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

from qa.settings import Settings

# malloc arenas of a serving process, unless MALLOC_ARENA_MAX is set: the number of calls the embedder runs at
# once (one per core) is what allocates; glibc's default (eight per core) kept each thread's freed memory apart.
_ARENAS_PER_CORE = 1


def _check_index(settings: Settings) -> None:
    """In a child process: load (and, if stale and allowed, rebuild) the index; exit 2 with the CLI's message."""
    from corpus.errors import ClauseQAError
    from qa.factory import build_service

    try:
        build_service(settings)
    except ClauseQAError as exc:
        print(f"clause-qa: error: {exc}", file=sys.stderr)
        sys.exit(2)


def _bound_malloc_arenas() -> None:
    """This process's malloc arenas bounded now (its threads have not started), and its workers' when they start."""
    from index.embedders import available_cores
    from index.native_memory import limit_arenas

    if "MALLOC_ARENA_MAX" in os.environ:
        return
    arenas = _ARENAS_PER_CORE * available_cores()
    os.environ["MALLOC_ARENA_MAX"] = str(arenas)  # read by glibc in each worker process as it starts
    limit_arenas(arenas)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from api.http_protocol import SERVER_OPTIONS
    from qa.factory import build_service

    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    _bound_malloc_arenas()
    options = {"host": settings.host, "port": settings.port, "log_level": "info", **SERVER_OPTIONS}
    if settings.workers == 1:
        # Loaded before the server starts, so that a missing or stale index is refused with the CLI's one-line
        # message ("clause-qa: error: the index at ... Run `clause-qa index build`"), not a lifespan traceback.
        uvicorn.run(create_app(settings, build_service(settings)), **options)
        return 0
    # Several workers: the same check (and a stale index rebuilt once, not by every worker at the same time)
    # in a child process, so that the supervisor holds no index or model (measured: 203 MB when it did).
    check = multiprocessing.get_context("spawn").Process(target=_check_index, args=(settings,))
    check.start()
    check.join()
    if check.exitcode:
        return 2
    # Each worker imports the app factory and loads the service from the same environment.
    os.environ.update({"CLAUSE_QA_HOST": settings.host, "CLAUSE_QA_PORT": str(settings.port)})
    uvicorn.run("api.app:create_app", factory=True, workers=settings.workers, **options)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="serve the API and the chat page (builds the index if missing)")
    parser.add_argument("--host", help="default 127.0.0.1 (CLAUSE_QA_HOST)")
    parser.add_argument("--port", type=int, help="default 8000 (CLAUSE_QA_PORT)")
    parser.set_defaults(handler=run_serve)
