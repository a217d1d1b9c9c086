"""Request-time access to what the lifespan loaded."""

from __future__ import annotations

from fastapi import Request

from qa.rebuild import Rebuilder
from qa.service import QAService
from qa.settings import Settings
from qa.uploads import UploadStore


def get_service(request: Request) -> QAService:
    return request.app.state.service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_uploads(request: Request) -> UploadStore:
    return request.app.state.uploads


def get_rebuilder(request: Request) -> Rebuilder:
    return request.app.state.rebuilder
