"""Feedback on answers: anyone who may ask may vote; only admins may read the votes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.admin import ADMIN_ERRORS, require_admin
from api.deps import get_service, get_settings
from api.errors import ApiError
from api.routes.ask import checked_question
from api.schemas import MAX_TURN_CHARS, NON_BLANK, ErrorResponse, clean_text
from qa.analysis import QuestionType
from qa.feedback import Feedback, FeedbackStore, FeedbackStoreError, StoredFeedback
from qa.service import QAService
from qa.settings import Settings

router = APIRouter(tags=["feedback"])
MAX_NOTE_CHARS = 2000
MAX_ANSWER_CHARS = 16_000  # a unit's whole task list, quoted; the body limit (64 KiB) is the outer bound
MAX_CITATIONS = 50  # as many as an answer can cite (CLAUSE_QA_MAX_TOP_K's ceiling)


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # as every request body here: clients may send more

    rating: Literal["up", "down"] = Field(description="up: the answer helped; down: it did not")
    question: str = Field(
        description="the question as asked (the limits of /api/ask)",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},  # maxLength: api.contract, from settings
    )
    history: list[Annotated[str, Field(max_length=MAX_TURN_CHARS)]] = Field(
        default_factory=list,
        description="the earlier user questions of the conversation, oldest first",  # maxItems: api.contract
    )
    answer: str = Field(
        max_length=MAX_ANSWER_CHARS, description="the answer text the voter saw",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )
    answerable: bool = Field(description="the answer's `answerable`: false when the service refused")
    question_type: QuestionType = Field(description="the answer's `question_type`")
    citations: list[str] = Field(
        default_factory=list, max_length=MAX_CITATIONS,
        description="clause ids the answer cited, in order; an id the documents do not have is a 404",
    )
    note: str = Field("", max_length=MAX_NOTE_CHARS, description="optional: what was wrong or missing")

    @field_validator("question", "answer", "note")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("history")
    @classmethod
    def _clean_turns(cls, turns: list[str]) -> list[str]:
        return [clean_text(turn) for turn in turns]


class FeedbackOut(BaseModel):
    id: int
    created_at: str = Field(description="ISO 8601, UTC")
    rating: Literal["up", "down"]
    question: str
    history: list[str]
    answer: str
    answerable: bool
    question_type: str
    citations: list[str]
    note: str


class FeedbackList(BaseModel):
    count: int = Field(description="votes matching the filter, over all pages")
    feedback: list[FeedbackOut] = Field(description="newest first")


async def get_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


def _out(stored: StoredFeedback) -> dict[str, Any]:
    f = stored.feedback
    return {
        "id": stored.id, "created_at": stored.created_at, "rating": f.rating, "question": f.question,
        "history": list(f.history), "answer": f.answer, "answerable": f.answerable,
        "question_type": f.question_type, "citations": list(f.citations), "note": f.note,
    }


def _unavailable(exc: FeedbackStoreError) -> ApiError:
    return ApiError(503, "feedback_unavailable", f"feedback cannot be stored or read right now: {exc}")


@router.post(
    "/api/feedback",
    status_code=201,
    response_model=FeedbackOut,
    responses={
        404: {"model": ErrorResponse, "description": "a cited clause is not in the documents"},
        422: {"model": ErrorResponse},
        503: {"model": ErrorResponse, "description": "the feedback file cannot be written"},
    },
)
def add_feedback(
    vote: FeedbackIn,
    store: Annotated[FeedbackStore, Depends(get_store)],
    service: Annotated[QAService, Depends(get_service)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> dict[str, Any]:
    """Store a thumbs up or down on an answer, with an optional note."""
    question = checked_question(vote.question, settings)
    history = [turn.strip() for turn in vote.history if turn.strip()]
    if len(history) > settings.max_history_turns:
        raise ApiError(
            422, "history_too_long", f"history has {len(history)} questions; the limit is {settings.max_history_turns}"
        )
    answer = vote.answer.strip()
    if not answer:
        raise ApiError(422, "empty_answer", "answer must not be empty or whitespace")
    citations = list(dict.fromkeys(vote.citations))
    unknown = [c for c in citations if c not in service.corpus]
    if unknown:  # 404, as for any clause id the documents do not have (api.errors: UnknownClause)
        raise ApiError(404, "unknown_clause", f"not clauses of the loaded documents: {', '.join(unknown[:5])}")
    feedback = Feedback(
        rating=vote.rating, question=question, answer=answer, answerable=vote.answerable,
        question_type=vote.question_type.value, citations=tuple(citations), history=tuple(history),
        note=vote.note.strip(),
    )
    try:
        return _out(store.add(feedback))
    except FeedbackStoreError as exc:
        raise _unavailable(exc) from exc


@router.get(
    "/api/feedback",
    response_model=FeedbackList,
    responses={**ADMIN_ERRORS, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
def list_feedback(
    _admin: Annotated[str, Depends(require_admin)],
    store: Annotated[FeedbackStore, Depends(get_store)],
    rating: Annotated[Literal["up", "down"] | None, Query(description="only votes of this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="votes per page")] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9, description="votes to skip, newest first")] = 0,
) -> dict[str, Any]:
    """The votes, newest first (admin key required)."""
    try:
        total, page = store.page(rating, limit, offset)
    except FeedbackStoreError as exc:
        raise _unavailable(exc) from exc
    return {"count": total, "feedback": [_out(s) for s in page]}
