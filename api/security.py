"""API keys and security headers: pure ASGI middleware (not BaseHTTPMiddleware: SSE streams pass untouched).

Keys arrive as ``Authorization: Bearer <key>`` (what OpenAI clients send) or ``X-API-Key: <key>``.
They are kept only as SHA-256 digests and compared with ``hmac.compare_digest`` over equal-length
digests, so neither a key's content nor its length leaks through timing, and no key is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

# The page and the API: only the service's own scripts, styles and calls.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
BASE_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)
# Reachable without a key: the probe, the page and its assets (so the page can ask for a key), and the API
# documentation (the schema holds no data; Swagger's Authorize button then takes the key for "Try it out").
OPEN_PATHS = frozenset({"/healthz", "/", "/docs", "/redoc", "/openapi.json"})
OPEN_PREFIXES = ("/static/",)
# Never rate limited: a load balancer's probes and a page refresh must not lock a client out.
UNLIMITED_PATHS = frozenset({"/healthz", "/"})


def route_path(scope: Scope) -> str:
    """The path the router matches, without the root path a proxy mounts the app under."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


def is_open(path: str) -> bool:
    """Whether ``path`` is served without an API key."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def is_unlimited(path: str) -> bool:
    """Whether ``path`` is exempt from rate limiting."""
    return path in UNLIMITED_PATHS or path.startswith(OPEN_PREFIXES)


def presented_key(scope: Scope) -> bytes | None:
    """The key a request carries: a Bearer token, else an X-API-Key header; None when neither."""
    api_key = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.strip().partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return token.strip()
        elif name == b"x-api-key" and value.strip():
            api_key = value.strip()
    return api_key


def _digest(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()


class ApiKeys:
    """The configured keys, as digests; ``match`` says which one a request presented."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = tuple(_digest(k.encode("utf-8")) for k in keys)

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __repr__(self) -> str:
        return f"ApiKeys({len(self._digests)} keys)"

    def match(self, presented: bytes | None) -> int | None:
        """Index of the key ``presented`` equals, or None.  Every key is compared, matching or not."""
        if presented is None:
            return None
        digest = _digest(presented)
        found = None
        for index, expected in enumerate(self._digests):
            if hmac.compare_digest(digest, expected) and found is None:
                found = index
        return found

    def client_id(self, scope: Scope) -> str:
        """Who a request is, for rate limiting: its key when valid, else its address."""
        index = self.match(presented_key(scope)) if self._digests else None
        if index is not None:
            return f"key:{index}"
        client = scope.get("client")
        return f"addr:{client[0] if client else 'unknown'}"


class ApiKeyAuth:
    """401 (JSON error, ``WWW-Authenticate: Bearer``) for requests without a valid key, except open paths."""

    def __init__(self, app: ASGIApp, keys: ApiKeys, is_open: Callable[[str], bool] = is_open) -> None:
        self.app, self.keys, self.is_open = app, keys, is_open

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.is_open(route_path(scope)):
            await self.app(scope, receive, send)
            return
        presented = presented_key(scope)
        if self.keys.match(presented) is not None:
            await self.app(scope, receive, send)
            return
        if presented is None:
            code, message = (
                "missing_api_key",
                "this service needs an API key: send Authorization: Bearer <key>",
            )
            challenge = 'Bearer realm="clause-qa"'
        else:
            code, message = "invalid_api_key", "the API key is not valid"
            challenge = 'Bearer realm="clause-qa", error="invalid_token"'
        response = error_response(401, code, message, headers={"WWW-Authenticate": challenge})
        await response(scope, receive, send)


class SecurityHeaders:
    """Adds the CSP and the other security headers to every HTTP response that has not set its own."""

    def __init__(self, app: ASGIApp, csp: str = STRICT_CSP) -> None:
        self.app = app
        self.headers = (("content-security-policy", csp), *BASE_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CORS(CORSMiddleware):
    """Starlette's CORSMiddleware, always installed, so that every preflight gets a CORS answer.

    An allowed preflight is a 204 with the Access-Control-Allow-* headers; a refused one (origin, method or
    header not allowed, or no origins configured) a JSON 400 ``cors_refused`` naming what was refused,
    never the router's 405 for OPTIONS.  Other requests pass; allowed origins' responses are labelled.
    """

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST", "DELETE"],  # every method a route answers (DELETE: admin documents)
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After"],  # a page can read how long a 429 asks it to wait
            max_age=600,
        )
        self.enabled = bool(origins)

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        cors_headers = {
            k: v for k, v in response.headers.items() if k.lower().startswith(("access-control-", "vary"))
        }
        if response.status_code < 400:
            return Response(status_code=204, headers=cors_headers)
        if not self.enabled:
            message = "cross-origin requests are off on this service (CLAUSE_QA_CORS_ORIGINS is empty)"
        else:
            refused = bytes(response.body).decode()  # "Disallowed CORS origin, method"
            message = f"{refused} for this service"
        return error_response(400, "cors_refused", message, headers=cors_headers)


def document_security(app: FastAPI, api_keys: bool, rate_limited: bool) -> None:
    """Declare in the OpenAPI schema what these middleware enforce, when they are on.

    With keys, Swagger UI then shows an Authorize button and sends the key on "Try it out".
    """
    if not (api_keys or rate_limited):
        return
    build = app.openapi
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        if api_keys:
            schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(
                {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "one of CLAUSE_QA_API_KEYS",
                    },
                    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                }
            )
        for path, item in schema.get("paths", {}).items():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                if api_keys and not is_open(path) and "security" not in operation:  # admin ones declare theirs
                    operation["security"] = [{"bearer": []}, {"apiKeyHeader": []}]
                    responses["401"] = {"description": "missing or invalid API key", "content": error}
                if rate_limited and not is_unlimited(path):
                    responses["429"] = {
                        "description": "rate limit reached; see Retry-After",
                        "content": error,
                    }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
