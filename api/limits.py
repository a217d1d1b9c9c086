"""Refuse request bodies over the size limit before they are read into memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.security import route_path


@dataclass(frozen=True)
class Limit:
    """A path's own limit: the document upload takes files far larger than any JSON body."""

    max_bytes: int
    code: str
    message: str


class BodySizeLimit:
    """Pure ASGI middleware: 413 for a body over ``max_bytes`` (or its path's own limit), declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int, paths: Mapping[str, Limit] | None = None) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.default = Limit(max_bytes, "body_too_large", f"request body is larger than the limit of {max_bytes} bytes")
        self.paths = dict(paths or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.paths.get(route_path(scope), self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit.max_bytes):
            await self._refuse(limit, scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit.max_bytes:
                    raise _TooLarge(limit.message)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:  # raised where no exception handler turned it into the 413 already
            await self._refuse(limit, scope, receive, send)

    async def _refuse(self, limit: Limit, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(413, limit.code, limit.message)(scope, receive, send)


class _TooLarge(HTTPException):
    """An HTTPException, so that FastAPI's body reader lets it through to the 413 handler: it turns any
    other exception raised while reading the body into a 400 "There was an error parsing the body"."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)
