"""Request-time access to what the lifespan loaded."""

from __future__ import annotations

from fastapi import Request

from qa.service import QAService
from qa.settings import Settings


def get_service(request: Request) -> QAService:
    return request.app.state.service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
