"""Admin keys (CLAUSE_QA_ADMIN_KEYS): a FastAPI security dependency, so the OpenAPI schema says which
operations need one and Swagger UI's Authorize button offers it.

Separate from the user keys of api.security: a user key opens the service, an admin key also opens the
admin operations.  No key, or a key that is no key at all: 401; a user key: 403; no admin keys
configured: 403 for everyone (the operations are closed, no key would help).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.schemas import ErrorResponse
from api.security import ApiKeys

_bearer = HTTPBearer(scheme_name="adminBearer", description="one of CLAUSE_QA_ADMIN_KEYS", auto_error=False)
_header = APIKeyHeader(
    name="X-API-Key", scheme_name="adminApiKey", description="one of CLAUSE_QA_ADMIN_KEYS", auto_error=False
)
# For the `responses` of every admin operation.
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "no admin key, or not a valid key"},
    403: {"model": ErrorResponse, "description": "a user key, not an admin key; or admin operations are off"},
}


def short_key_id(key: bytes) -> str:
    """What an audit line may name a key by: 8 hex digits of its SHA-256, never the key."""
    return hashlib.sha256(key).hexdigest()[:8]


def install(app_state: Any, user_keys: list[str], admin_keys: list[str]) -> None:
    """Keep both key sets on the app, for ``require_admin``."""
    app_state.user_keys = ApiKeys(user_keys)
    app_state.admin_keys = ApiKeys(admin_keys)


async def presented_key(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_header)],
) -> str | None:
    """The key the request presents (declares the admin schemes in OpenAPI), unchecked."""
    return bearer.credentials if bearer else header


async def require_admin(request: Request, presented: Annotated[str | None, Depends(presented_key)]) -> str:
    """The short id of the admin key the request presents; ApiError 401/403 otherwise."""
    return check_admin(request, presented)


def check_admin(request: Request, presented: str | None) -> str:
    """``require_admin``'s check, for a dependency that must see a refusal too (api.routes.documents audits it)."""
    admins: ApiKeys = request.app.state.admin_keys
    if not admins:
        raise ApiError(403, "admin_disabled", "admin operations are off: the service has no CLAUSE_QA_ADMIN_KEYS")
    challenge = {"WWW-Authenticate": 'Bearer realm="clause-qa admin"'}
    if not presented:
        raise ApiError(401, "missing_admin_key", "this needs an admin key: send Authorization: Bearer <key>",
                       headers=challenge)
    key = presented.encode("latin-1")  # Starlette decodes header bytes as latin-1: this gives them back
    if admins.match(key) is not None:
        return short_key_id(key)
    if request.app.state.user_keys.match(key) is not None:
        raise ApiError(403, "not_admin", "this key opens the service but is not an admin key")
    raise ApiError(401, "invalid_admin_key", "the admin key is not valid", headers=challenge)
