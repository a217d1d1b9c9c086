from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import get_service
from api.errors import ApiError
from api.schemas import ClauseDetail, ClauseList, ErrorResponse, UnitOut
from corpus.text import normalise
from qa.service import QAService

router = APIRouter(tags=["clauses"])


# `:path` so an id containing "/" is looked up (and refused with 404), not redirected to the list.
@router.get("/api/clauses/{clause_id:path}", response_model=ClauseDetail, responses={404: {"model": ErrorResponse}})
def get_clause(clause_id: str, service: Annotated[QAService, Depends(get_service)]) -> dict[str, Any]:
    """One clause with the ids of its neighbours in the same document; unknown id → 404."""
    clause = service.corpus.clause(clause_id)
    previous, following = service.corpus.neighbours(clause_id)
    return {**clause.to_dict(), "previous": previous, "next": following}


@router.get("/api/clauses", response_model=ClauseList, responses={404: {"model": ErrorResponse}})
def list_clauses(
    service: Annotated[QAService, Depends(get_service)],
    unit: Annotated[str | None, Query(max_length=100, description="unit name or alias, e.g. 青禾区教育局, 文旅局")] = None,
    document: Annotated[str | None, Query(max_length=200, description="full title or short name")] = None,
    q: Annotated[str | None, Query(max_length=200, description="only clauses containing this text")] = None,
) -> dict[str, Any]:
    """Clauses filtered by unit (lead ones first), document and text, in document order."""
    units = None
    if unit is not None and unit.strip():
        units = service.resolve_units(unit.strip())
        if not units:
            raise ApiError(404, "unknown_unit", f"no responsible unit matches {unit!r}")
    wanted = document.strip() if document is not None and document.strip() else None
    clauses = service.corpus.select(units, wanted)
    if q is not None and normalise(q):
        needle = normalise(q)
        clauses = [c for c in clauses if needle in normalise(c.text)]
    return {"count": len(clauses), "clauses": [c.to_dict() for c in clauses]}


@router.get("/api/units", response_model=list[UnitOut])
def list_units(service: Annotated[QAService, Depends(get_service)]) -> list[UnitOut]:
    """Every responsible unit with its clause counts, most involved first."""
    return [
        UnitOut(
            name=e.name, written=e.written, group=e.group, lead=len(e.lead), shared=len(e.shared),
            total=len(e.clause_ids), variants=list(e.variants), probable_typos=list(e.probable_typos),
        )
        for e in service.corpus.units.values()
    ]
