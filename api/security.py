"""API keys and security headers: two pure ASGI middleware (no BaseHTTPMiddleware, so SSE streams pass untouched).

Keys arrive as ``Authorization: Bearer <key>`` (what OpenAI clients send) or ``X-API-Key: <key>``.
They are kept only as SHA-256 digests and compared with ``hmac.compare_digest`` over equal-length
digests, so neither a key's content nor its length leaks through timing, and no key is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

from starlette.datastructures import MutableHeaders
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


def route_path(scope: Scope) -> str:
    """The path the router matches, without the root path a proxy mounts the app under."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root):] or "/"
    return path


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


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
            code, message = "missing_api_key", "this service needs an API key: send Authorization: Bearer <key>"
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
