"""`clause-qa serve`: serve the API and the chat page."""

from __future__ import annotations

import argparse

from qa.settings import Settings


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from qa.factory import build_service

    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    # Loaded before the server starts, so that a missing or stale index is refused with the CLI's one-line
    # message ("clause-qa: error: the index at ... Run `clause-qa index build`"), not a lifespan traceback.
    service = build_service(settings)
    # access_log=False: api.access_log writes the access log, as JSON lines without query strings (which
    # carry the question on /api/search); uvicorn's own would repeat each line, query string included.
    app = create_app(settings, service)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=False)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="serve the API and the chat page (builds the index if missing)")
    parser.add_argument("--host", help="default 127.0.0.1 (CLAUSE_QA_HOST)")
    parser.add_argument("--port", type=int, help="default 8000 (CLAUSE_QA_PORT)")
    parser.set_defaults(handler=run_serve)
