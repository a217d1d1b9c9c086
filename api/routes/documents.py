"""The documents of the corpus and how each parsed: GET /api/documents, GET /api/documents/{id}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.deps import get_service
from api.schemas import DocumentList, DocumentOut, ErrorResponse
from qa.service import QAService

router = APIRouter(tags=["documents"])


@router.get("/api/documents", response_model=DocumentList)
def list_documents(service: Annotated[QAService, Depends(get_service)]) -> dict[str, Any]:
    """Every document with its issuers, 文号, date, clause count and parse report."""
    corpus = service.corpus
    return {
        "count": len(corpus.documents),
        "corpus": {"title": corpus.title, "places": list(corpus.places)},
        "documents": [d.to_dict() for d in corpus.documents],
        "unreadable": [{"file": u.source, "problem": u.problem} for u in corpus.unreadable],
    }


@router.get("/api/documents/{document_id}", response_model=DocumentOut, responses={404: {"model": ErrorResponse}})
def get_document(document_id: str, service: Annotated[QAService, Depends(get_service)]) -> dict[str, Any]:
    """One document (by id, title or short name) with its parse report; unknown → 404 naming it."""
    return service.corpus.document(document_id).to_dict()
