from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import get_service
from api.schemas import ErrorResponse, Health
from qa.service import QAService

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": ErrorResponse}})
def healthz(service: Annotated[QAService, Depends(get_service)]) -> Health:
    """200 once the index is loaded (the lifespan loads it before the server accepts requests) and its
    backend answers; 503 index_unavailable while a shared index (Milvus) cannot be reached."""
    retriever = service.retriever
    retriever.serving_generation()  # a round trip to the backend: raises IndexUnavailable when it is down
    return Health(
        status="ok", clauses=len(service.corpus.clauses), embedder=retriever.embedder.name, **retriever.describe()
    )
