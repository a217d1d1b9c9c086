"""`clause-qa serve`: serve the API and the chat page.

One process by default: its embedder already uses every core (threads per question adapt to load, see
index/embedders.py), so more processes add memory, not throughput, on the 2-core machine we measured
(benchmarks/compare.py).  ``CLAUSE_QA_WORKERS`` > 1 runs that many uvicorn worker processes for bigger
machines; each loads its own index and embedder.
"""

from __future__ import annotations

import argparse
import gc
import os

from qa.settings import Settings


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from api.http_protocol import SERVER_OPTIONS
    from qa.factory import build_service

    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    # Loaded before the server starts, so that a missing or stale index is refused with the CLI's one-line
    # message ("clause-qa: error: the index at ... Run `clause-qa index build`"), not a lifespan traceback;
    # with several workers it is also built (if stale) once here, not by every worker at the same time.
    service = build_service(settings)
    options = {"host": settings.host, "port": settings.port, "log_level": "info", **SERVER_OPTIONS}
    if settings.workers == 1:
        uvicorn.run(create_app(settings, service), **options)
        return 0
    # Each worker imports the app factory and loads the service from the same environment; the supervisor
    # keeps no copy of its own.
    retriever_close = getattr(service.retriever, "close", None)
    if retriever_close is not None:
        retriever_close()
    del service
    gc.collect()
    os.environ.update({"CLAUSE_QA_HOST": settings.host, "CLAUSE_QA_PORT": str(settings.port)})
    uvicorn.run("api.app:create_app", factory=True, workers=settings.workers, **options)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="serve the API and the chat page (builds the index if missing)")
    parser.add_argument("--host", help="default 127.0.0.1 (CLAUSE_QA_HOST)")
    parser.add_argument("--port", type=int, help="default 8000 (CLAUSE_QA_PORT)")
    parser.set_defaults(handler=run_serve)
