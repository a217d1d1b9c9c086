from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import get_service
from api.schemas import Health
from qa.service import QAService

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(service: Annotated[QAService, Depends(get_service)]) -> Health:
    """200 once the index is loaded (the lifespan loads it before the server accepts requests)."""
    return Health(status="ok", clauses=len(service.corpus.clauses), embedder=service.retriever.embedder.name)
