"""Audit lines for the document operations: one JSON line per upload, removal and rebuild.

Written to the access logger (``clause_qa.access``), beside the request lines, with the fields
time, action (upload | remove | rebuild), document, key (``api.admin.short_key_id``: 8 hex digits of
the key's SHA-256, never the key) and outcome (accepted, removed, ok, or the error code that refused
or failed it), plus what else tells the story (status, file, generation, seconds, error).  Accepted
and successful operations log at INFO, refusals at WARNING, a failed rebuild at ERROR.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from api.access_log import LOGGER_NAME
from qa.rebuild import RebuildResult

_LEVELS = {"accepted": logging.INFO, "removed": logging.INFO, "ok": logging.INFO, "failed": logging.ERROR}


def audit(action: str, document: Any, key: str | None, outcome: str, **details: Any) -> None:
    """Write one audit line; ``outcome`` is what happened, or the error code that refused the request."""
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "action": action,
        "document": document,
        "key": key,
        "outcome": outcome,
        **{k: v for k, v in details.items() if v is not None},
    }
    logging.getLogger(LOGGER_NAME).log(
        _LEVELS.get(outcome, logging.WARNING), json.dumps(record, ensure_ascii=False), extra={"audit": record}
    )


def audit_rebuild(result: RebuildResult) -> None:
    """The line of a finished rebuild: the changes it took in, who asked, and what it now serves."""
    keys = sorted({c.key for c in result.changes if c.key})
    audit(
        "rebuild",
        [f"{c.action} {c.document}" for c in result.changes],
        ",".join(keys) or None,
        "ok" if result.ok else "failed",
        previous=result.previous,
        generation=result.generation,
        seconds=result.seconds,
        documents=result.documents if result.ok else None,
        clauses=result.clauses if result.ok else None,
        error=result.error,
    )
