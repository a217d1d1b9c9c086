"""Request-time access to what the lifespan loaded.

Async on purpose: they only read ``app.state``, and FastAPI runs a sync dependency in its thread pool,
one more thread hop (and one more holder of the pool's tokens) for each dependency of each request.
"""

from __future__ import annotations

from fastapi import Request

from qa.rebuild import Rebuilder
from qa.service import QAService
from qa.settings import Settings
from qa.uploads import UploadStore


async def get_service(request: Request) -> QAService:
    return request.app.state.service


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_uploads(request: Request) -> UploadStore:
    return request.app.state.uploads


async def get_rebuilder(request: Request) -> Rebuilder:
    return request.app.state.rebuilder
