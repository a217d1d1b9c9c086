"""The index's rebuilds: what is being built and what answers (GET), and a rebuild on demand (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.admin import ADMIN_ERRORS
from api.deps import get_rebuilder
from api.routes.documents import audited_admin
from api.schemas import IndexStatus
from qa.rebuild import Change, Rebuilder

router = APIRouter(tags=["documents"])


@router.get("/api/index/status", response_model=IndexStatus)
def index_status(rebuilder: Annotated[Rebuilder, Depends(get_rebuilder)]) -> dict[str, Any]:
    """The generation answering now, whether a rebuild runs and how far it is, and why the last one failed."""
    return rebuilder.status()


@router.post("/api/index/rebuild", status_code=202, response_model=IndexStatus, responses=ADMIN_ERRORS)
def rebuild_index(
    key: Annotated[str, Depends(audited_admin("rebuild"))],
    rebuilder: Annotated[Rebuilder, Depends(get_rebuilder)],
) -> dict[str, Any]:
    """Rebuild from the documents on disk now (admin key): after a failed rebuild, or files changed by hand."""
    rebuilder.request(Change("rebuild", "all documents", key))
    return rebuilder.status()
