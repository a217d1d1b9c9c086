"""The FastAPI application: a factory, and a lifespan that loads the index once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import errors
from api.limits import BodySizeLimit
from api.routes import ask, clauses, health, openai, search
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
    )
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for module in (health, ask, clauses, search, openai):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
