from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from api.access_log import note_question
from api.deps import get_service, get_settings
from api.errors import ApiError
from api.schemas import AskRequest, AskResponse, ErrorResponse
from qa.models import Turn
from qa.serialise import answer_to_dict
from qa.service import QAService
from qa.settings import Settings

router = APIRouter(tags=["qa"])
ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse}, 400: {"model": ErrorResponse}}


def checked_question(question: str, settings: Settings) -> str:
    """The question stripped, or a 422 naming the problem."""
    stripped = question.strip()
    if not stripped:
        raise ApiError(422, "empty_question", "question must not be empty or whitespace")
    if len(stripped) > settings.max_question_chars:
        raise ApiError(
            422, "question_too_long",
            f"question has {len(stripped)} characters; the limit is {settings.max_question_chars}",
        )
    return stripped


def checked_top_k(top_k: int | None, settings: Settings) -> int:
    """``top_k`` or the default; a 422 above CLAUSE_QA_MAX_TOP_K (the schema already caps it at 50)."""
    if top_k is not None and top_k > settings.max_top_k:
        raise ApiError(422, "top_k_too_large", f"top_k is {top_k}; the limit is {settings.max_top_k}")
    return top_k or settings.top_k


def checked_history(turns: list[Turn], settings: Settings) -> list[Turn]:
    if len(turns) > settings.max_history_turns:
        raise ApiError(
            422, "history_too_long", f"history has {len(turns)} turns; the limit is {settings.max_history_turns}"
        )
    return turns


@router.post("/api/ask", response_model=AskResponse, responses=ERRORS)
def ask(
    http_request: Request,
    request: AskRequest,
    service: Annotated[QAService, Depends(get_service)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> dict[str, Any]:
    """Answer a question with the clauses it rests on, or refuse (`answerable: false`)."""
    note_question(http_request, request.question)
    question = checked_question(request.question, settings)
    history = checked_history([Turn(t.role, t.content) for t in request.history], settings)
    answer = service.ask(question, history, top_k=checked_top_k(request.top_k, settings))
    return answer_to_dict(answer)
