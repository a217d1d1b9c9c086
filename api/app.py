"""The FastAPI application: a factory, and a lifespan that loads the index once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import access_log, docs, errors
from api.access_log import AccessLog
from api.limits import BodySizeLimit
from api.ratelimit import RateLimit
from api.routes import ask, clauses, health, openai, search
from api.security import CORS, ApiKeyAuth, ApiKeys, SecurityHeaders, document_security
from qa.factory import build_service
from qa.service import QAService
from qa.settings import Settings

STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """Build the app; the service is loaded in the lifespan unless one is handed in (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.service = service or await run_in_threadpool(build_service, settings)
        try:
            yield
        finally:
            generator = app.state.service.generator
            if generator is not None:
                generator.close()

    app = FastAPI(
        title="clause-qa",
        version="0.1.0",
        description="Answers questions on the 济南—临沂 cooperation documents with the exact clauses it rests on.",
        lifespan=lifespan,
        docs_url=None,  # served by api.docs, each page with its own CSP
        redoc_url=None,
    )
    errors.install(app)
    # Added innermost first.  A request meets: access log → security headers → CORS (answers preflights,
    # labels 401/429 so a page can read them) → rate limit → API key → body size → routes.
    keys = ApiKeys(settings.api_key_list)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if keys:
        app.add_middleware(ApiKeyAuth, keys=keys)
    if settings.rate_limit_per_minute:
        # Keyed by a valid key, else by address: failed key guesses count against the address.
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, client_id=keys.client_id)
    if settings.cors_origin_list:
        app.add_middleware(
            CORS,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog, logger=access_log.configure(settings.access_log_level))
    document_security(app, api_keys=bool(keys), rate_limited=bool(settings.rate_limit_per_minute))
    docs.install(app)
    for module in (health, ask, clauses, search, openai):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
