"""The HTTP contract: request and response models (pydantic lives only at this edge).

Unknown fields in request bodies are ignored everywhere, as OpenAI-compatible
servers do, so that chat clients sending extra options keep working.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TURN_CHARS = 8000  # one earlier turn of a conversation
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)} | {127: None}


def clean_text(value: str) -> str:
    """Drop control characters; refuse lone surrogates (they cannot be encoded as UTF-8)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text contains invalid Unicode (a lone surrogate)") from exc
    return value.translate(_CONTROL)


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore")


class HistoryTurn(_Request):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)

    @field_validator("content")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)


class AskRequest(_Request):
    question: str = Field(description="the question, in Chinese; 1–500 characters (CLAUSE_QA_MAX_QUESTION_CHARS)")
    history: list[HistoryTurn] = Field(default_factory=list, description="earlier turns, oldest first")
    top_k: int | None = Field(None, ge=1, le=50, description="how many see-also clauses to return (1–50)")

    @field_validator("question")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)


class Ranks(BaseModel):
    keyword: int | None
    dense: int | None


class TargetOut(BaseModel):
    text: str
    start: int
    end: int
    kind: str


class ClauseOut(BaseModel):
    clause_id: str
    document: str
    short_name: str
    marker: str
    number: int
    section: list[str]
    text: str
    start: int
    end: int
    source: str
    responsibility_raw: str
    lead_units: list[str]
    units: list[str]
    targets: list[TargetOut]
    related: list[str]


class CitationOut(ClauseOut):
    highlights: list[tuple[int, int]] = Field(description="[start, end) spans of text that answer")
    score: float
    ranks: Ranks


class AskResponse(BaseModel):
    question: str
    answer: str
    answerable: bool
    question_type: str
    citations: list[CitationOut]
    see_also: list[CitationOut]
    support: float
    generated: bool
    timings_ms: dict[str, float]


class ClauseDetail(ClauseOut):
    previous: str | None
    next: str | None


class ClauseList(BaseModel):
    count: int
    clauses: list[ClauseOut]


class UnitOut(BaseModel):
    name: str
    lead: int
    shared: int
    total: int


class SearchResponse(BaseModel):
    query: str
    results: list[CitationOut]


class Health(BaseModel):
    status: str
    clauses: int
    embedder: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
