"""The FastAPI application: a factory, and a lifespan that loads the index once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import access_log, admin, docs, errors
from api.access_log import AccessLog
from api.audit import audit_rebuild
from api.contract import document_contract
from api.follow import IndexFollower
from api.limits import BodySizeLimit, Limit
from api.ratelimit import RateLimit
from api.routes import ask, clauses, documents, feedback, health, index_status, openai, search
from api.routes.documents import MULTIPART_SLACK, too_large_message
from api.security import CORS, ApiKeyAuth, ApiKeys, SecurityHeaders, document_security
from qa.factory import build_service, rebuild_service
from qa.feedback import FeedbackStore
from qa.rebuild import Rebuilder
from qa.service import QAService
from qa.settings import Settings
from qa.uploads import UploadStore

STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """Build the app; the service is loaded in the lifespan unless one is handed in (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.service = service or await run_in_threadpool(build_service, settings)

        def swap(new: QAService) -> None:
            app.state.service = new  # one assignment: a request holds the old service or the new one

        # Uploads and removals rebuild in the background; questions meanwhile go to the current service.
        app.state.rebuilder = Rebuilder(
            lambda current, progress: rebuild_service(settings, current, progress),
            lambda: app.state.service, swap, on_finish=audit_rebuild,
        )
        follower = None
        # A shared (Milvus) index is rebuilt by other replicas; so is a FAISS index by the other workers.
        shared = app.state.service.retriever.backend.follows_rebuilds or settings.workers > 1
        if shared and settings.index_refresh_s > 0:
            follower = IndexFollower(settings, lambda: app.state.service, swap)
            follower.start()
        try:
            yield
        finally:
            app.state.rebuilder.close()
            if follower is not None:
                follower.stop()
            generator = app.state.service.generator
            if generator is not None:
                generator.close()

    app = FastAPI(
        title="clause-qa",
        version="0.1.0",
        description="Answers questions on task-division documents with the exact task clauses each answer rests on.",
        lifespan=lifespan,
        docs_url=None,  # served by api.docs, each page with its own CSP
        redoc_url=None,
    )
    errors.install(app)
    # Added innermost first.  A request meets: access log → security headers → CORS (answers preflights,
    # labels 401/429 so a page can read them) → rate limit → API key → body size → routes.
    keys = ApiKeys(settings.api_key_list)
    # An admin key opens every user path too (an admin needs no second key to use the page); the admin
    # operations themselves check for an admin key (api.admin).
    accepted = ApiKeys([*settings.api_key_list, *settings.admin_key_list])
    admin.install(app.state, settings.api_key_list, settings.admin_key_list)
    app.state.feedback = FeedbackStore(settings.feedback_db)
    app.state.uploads = UploadStore(settings.document_folders[1])
    upload_limit = Limit(settings.max_upload_bytes + MULTIPART_SLACK, "upload_too_large", too_large_message(settings))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, paths={"/api/documents": upload_limit})
    if keys:
        app.add_middleware(ApiKeyAuth, keys=accepted)
    if settings.rate_limit_per_minute:
        # Keyed by a valid key, else by address: failed key guesses count against the address.
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, client_id=accepted.client_id)
    app.add_middleware(CORS, origins=settings.cors_origin_list)  # no origins: every preflight refused (JSON)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog, logger=access_log.configure(settings.access_log_level))
    document_security(app, api_keys=bool(keys), rate_limited=bool(settings.rate_limit_per_minute))
    document_contract(app, settings)
    docs.install(app)
    for module in (health, ask, clauses, documents, index_status, search, openai, feedback):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
