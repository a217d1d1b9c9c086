from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import get_service
from api.errors import ApiError
from api.schemas import NON_BLANK, ErrorResponse, SearchResponse
from qa.models import Citation
from qa.serialise import citation_to_dict
from qa.service import QAService

router = APIRouter(tags=["search"])


@router.get("/api/search", response_model=SearchResponse, responses={422: {"model": ErrorResponse}})
def search(
    service: Annotated[QAService, Depends(get_service)],
    q: Annotated[
        str,
        Query(
            max_length=500,
            description="the query; not blank",
            json_schema_extra={"minLength": 1, "pattern": NON_BLANK},  # enforced below, as empty_query
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="results to return")] = 10,
) -> dict[str, Any]:
    """Ranked clauses with each retrieval channel's rank, best first."""
    if not q.strip():
        raise ApiError(422, "empty_query", "q must not be empty or whitespace")
    hits = service.retriever.search(q.strip(), k=k)
    results = [citation_to_dict(Citation(h.clause, (), round(h.score, 6), dict(h.ranks))) for h in hits]
    return {"query": q, "results": results}
