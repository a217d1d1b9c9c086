"""Structured access log: one JSON line per HTTP request on the ``clause_qa.access`` logger.

Fields: time (UTC, ISO 8601), method, path (no query string: /api/search?q= carries a question),
status, latency_ms (until the last body byte, so a stream counts whole), client (address), and
question_chars for /api/ask and /v1/chat/completions.  Never a header (so never a key), never the
question text.  Requests answered 5xx log at ERROR, the rest at INFO, so CLAUSE_QA_ACCESS_LOG_LEVEL
WARNING keeps only failures.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "clause_qa.access"
_QUESTION_CHARS = "question_chars"  # key in the request's scope state, written by the routes


def note_question(request: Request, text: str) -> None:
    """Record the question's length (never its text) for this request's access-log line."""
    setattr(request.state, _QUESTION_CHARS, len(text))


def configure(level: str, logger: logging.Logger | None = None) -> logging.Logger:
    """Set the access logger's level; add a stderr handler only if no handler up the tree prints it."""
    logger = logger or logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    if not logger.hasHandlers():
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))  # the message is the JSON line
        logger.addHandler(handler)
    return logger


def _printable(text: str) -> str:
    """``text`` safe for any UTF-8 stream (a lone surrogate would make the handler fail)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class AccessLog:
    """Pure ASGI middleware; outermost, so it sees the 401, 413 and 429 answered by the inner middleware."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(LOGGER_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            # An exception before the response started becomes a 500 further out (ServerErrorMiddleware).
            self._log(scope, status or 500, started)

    def _log(self, scope: Scope, status: int, started: float) -> None:
        level = logging.ERROR if status >= 500 else logging.INFO
        if not self.logger.isEnabledFor(level):
            return
        client = scope.get("client")
        record: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope.get("method", ""),
            "path": _printable(scope.get("path", "")),
            "status": status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            "client": client[0] if client else None,
        }
        chars = scope.get("state", {}).get(_QUESTION_CHARS)
        if chars is not None:
            record[_QUESTION_CHARS] = chars
        self.logger.log(level, json.dumps(record, ensure_ascii=False), extra={"access": record})
