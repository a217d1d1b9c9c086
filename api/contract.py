"""What the OpenAPI document states beyond the pydantic models: the limits the settings set, the errors
every request body can meet, and the schema of a streamed chat answer's events.

The limits are settings (CLAUSE_QA_MAX_QUESTION_CHARS …), so the models cannot carry them; the schema
is patched here once, when first served, so that it says what this server enforces.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.openai_schemas import ChatCompletionChunk
from qa.settings import Settings

_REF = "#/components/schemas/{model}"
_SCHEMA_LIMIT = 50  # AskRequest.top_k's own bound (pydantic)


def _integer_branch(prop: dict[str, Any]) -> dict[str, Any]:
    """The integer schema of an optional integer property ({"anyOf": [integer, null]})."""
    return next(branch for branch in prop.get("anyOf", [prop]) if branch.get("type") == "integer")


def apply_limits(schema: dict[str, Any], settings: Settings) -> None:
    """Write the settings' limits into the request schemas of ``schema``."""
    ask = schema["components"]["schemas"]["AskRequest"]["properties"]
    ask["question"]["maxLength"] = settings.max_question_chars
    ask["history"]["maxItems"] = settings.max_history_turns
    _integer_branch(ask["top_k"])["maximum"] = min(_SCHEMA_LIMIT, settings.max_top_k)
    vote = schema["components"]["schemas"]["FeedbackIn"]["properties"]  # api.routes.feedback: the same limits
    vote["question"]["maxLength"] = settings.max_question_chars
    vote["history"]["maxItems"] = settings.max_history_turns


def add_body_errors(schema: dict[str, Any], max_body_bytes: int) -> None:
    """Document, on every operation that takes a body, the two errors any body can meet before validation:
    400 (not readable as text) and 413 (over the size limit, api.limits)."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                responses = operation.setdefault("responses", {})
                unreadable = {"description": "the body is not JSON text in UTF-8", "content": error}
                responses.setdefault("400", unreadable)
                responses.setdefault(
                    "413", {"description": f"the body is over {max_body_bytes} bytes", "content": error}
                )


def add_stream_schema(schema: dict[str, Any]) -> None:
    """Put ChatCompletionChunk (and the models it uses) into the components, for the event-stream response."""
    chunk = ChatCompletionChunk.model_json_schema(ref_template=_REF)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in chunk.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["ChatCompletionChunk"] = chunk


def document_contract(app: FastAPI, settings: Settings) -> None:
    """Patch the app's OpenAPI document (once, when first built) with the above."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        apply_limits(schema, settings)
        add_body_errors(schema, settings.max_body_bytes)
        add_stream_schema(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
