"""Every error leaves as JSON `{"error": {"code", "message", "details"?}}`; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.errors import ClauseQAError, UnknownClause, UnknownDocument
from index.errors import IndexUnavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A problem with the request that the client can fix."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


_HTTP_CODES = {
    400: "invalid_body", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large",
    415: "unsupported_media_type",
}
# FastAPI's words for a body it could not read at all (not UTF-8, say); JSON syntax errors are 422s.
_UNREADABLE_BODY = "There was an error parsing the body"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for problem in exc.errors():
        details.append({
            "field": ".".join(str(p) for p in problem.get("loc", ()) if p != "body"),
            "problem": problem.get("msg", ""),
            "type": problem.get("type", ""),
        })
    return jsonable_encoder(details)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        fields = ", ".join(d["field"] or "body" for d in details)
        message = f"invalid request: {fields}: {details[0]['problem']}" if details else "invalid request"
        return error_response(422, "invalid_request", message, details)

    @app.exception_handler(UnknownClause)
    async def _unknown_clause(request: Request, exc: UnknownClause) -> JSONResponse:
        return error_response(404, "unknown_clause", str(exc))

    @app.exception_handler(UnknownDocument)
    async def _unknown_document(request: Request, exc: UnknownDocument) -> JSONResponse:
        return error_response(404, "unknown_document", str(exc))

    @app.exception_handler(IndexUnavailable)
    async def _index_unavailable(request: Request, exc: IndexUnavailable) -> JSONResponse:
        # The shared index (Milvus) is down or too slow: the client may retry; the replica stays up.
        log.warning("index unavailable on %s: %s", request.url.path, exc.problem)
        return error_response(503, "index_unavailable", str(exc), headers={"Retry-After": "5"})

    @app.exception_handler(ClauseQAError)
    async def _domain(request: Request, exc: ClauseQAError) -> JSONResponse:
        return error_response(400, "bad_request", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        elif exc.status_code == 400 and message == _UNREADABLE_BODY:
            message = "the request body could not be read: send JSON text in UTF-8"
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal_error", "the server failed to answer; the error was logged")
