"""The HTTP contract: request and response models (pydantic lives only at this edge).

Unknown fields in request bodies are ignored everywhere, as OpenAI-compatible
servers do, so that chat clients sending extra options keep working.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TURN_CHARS = 8000  # one earlier turn of a conversation
# A pattern for "has a character that is neither whitespace nor a control character": the text the server
# accepts once clean_text has dropped control characters and the ends are stripped.  Declared in the schema
# (minLength alone would admit "  "); the routes enforce it with their own error codes.
NON_BLANK = r"[^\s\x00-\x1f\x7f-\x9f]"
# C0 and C1 controls (U+0085 NEL among them, which Python strips as whitespace and JSON Schema's \s does not).
_CONTROL = {c: None for c in (*range(32), *range(0x7F, 0xA0)) if c not in (9, 10, 13)}


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
    question: str = Field(
        description="the question, in Chinese; at most CLAUSE_QA_MAX_QUESTION_CHARS characters once stripped",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},  # maxLength: api.contract, from settings
    )
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
    start: int | None = Field(description="offset within the clause's text; null for a table's 完成时限 cell")
    end: int | None
    kind: Literal["quantity", "frequency", "deadline"]
    source_start: int = Field(description="offset in the document's extracted text")
    source_end: int


class LocationOut(BaseModel):
    line: int
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    text: str = Field(description="where it sits in the original, in words: 第2页, 表1第3行第2列, 第14行")


class ClauseOut(BaseModel):
    clause_id: str
    document_id: str
    document: str = Field(description="the document's title")
    short_name: str = Field(description="the document's short name, e.g. 分工方案 (its id is document_id)")
    kind: Literal["task", "passage"] = Field(description="a numbered task, or text outside the items")
    marker: str = Field(description="how answers cite it: 〔2023分工方案第18条〕")
    number: int = Field(description="the printed number (0 for a passage)")
    ordinal: str = Field(description="unique within the document: 18, or 2.3 where numbering restarts")
    section: list[str]
    text: str
    body_end: int = Field(description="text[:body_end] is the wording without its responsibility note; -1: all")
    start: int = Field(description="[start, end) in the document's extracted text")
    end: int
    source: str
    location: LocationOut | None
    responsibility_raw: str
    lead_units: list[str]
    units: list[str]
    open_units: bool = Field(description="the note ends its list with 等")
    leaders: list[str] = Field(description="people named as responsible: 责任领导, 分管领导")
    unit_label: str = Field(description="the document's own word for the sharing units")
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
    support: float = Field(description="the judge's probability that the documents answer the question")
    why: str = Field(description="the judge's reasons for answering or refusing, one short line")
    generated: bool
    timings_ms: dict[str, float]


class ClauseDetail(ClauseOut):
    previous: str | None
    next: str | None


class ClauseList(BaseModel):
    count: int
    clauses: list[ClauseOut]


class UnitOut(BaseModel):
    name: str = Field(description="as written; with its group in brackets where two groups share the name")
    written: str
    group: str | None = Field(description="the place it belongs to (an issuer's city or district)")
    lead: int
    shared: int
    total: int
    variants: list[str] = Field(default_factory=list, description="other spellings merged into it")
    probable_typos: list[str] = Field(default_factory=list, description="variants that look like misprints")


class WarningOut(BaseModel):
    file: str
    line: int | None
    message: str


class ReportOut(BaseModel):
    items: int
    items_without_responsibility: int
    passages: int
    title_source: Literal["document", "notice", "file_name"]
    layout: str
    warnings: list[WarningOut]


class SourceOut(BaseModel):
    file: str
    format: str


class DocumentOut(BaseModel):
    document_id: str
    title: str
    short_name: str
    issuers: list[str]
    places: list[str]
    number: str | None = Field(description="文号, where printed")
    date: str | None = Field(description="ISO date, where printed")
    year: int | None
    clause_count: int
    passage_count: int
    source: SourceOut
    unit_label: str
    report: ReportOut
    origin: Literal["corpus", "upload"] = Field(
        "corpus", description="corpus: from the read-only CLAUSE_QA_CORPUS_DIR; upload: added by an admin (removable)"
    )
    uploaded_at: str | None = Field(None, description="ISO 8601, UTC, for an upload")


class CorpusOut(BaseModel):
    title: str = Field(description="what the documents share in their titles, for a page heading")
    places: list[str] = Field(description="the issuers' places, in document order")


class UnreadableOut(BaseModel):
    file: str
    problem: str


class DocumentList(BaseModel):
    count: int
    corpus: CorpusOut
    documents: list[DocumentOut]
    unreadable: list[UnreadableOut] = Field(description="files that could not be read at all")


class IndexStatus(BaseModel):
    generation: str = Field(description="the index generation (folder or Milvus collection) answering now")
    building: bool = Field(description="a rebuild is running; questions are answered from `generation` meanwhile")
    stage: Literal["loading", "indexing", "warming_up"] | None = Field(description="what the rebuild is doing")
    progress: float | None = Field(description="0–1 while building, else null")
    queued: int = Field(description="changes waiting for the next rebuild (it takes all of them)")
    started_at: str | None = Field(description="when the running rebuild started (ISO 8601, UTC)")
    last_built_at: str | None = Field(description="when the last successful rebuild finished")
    last_error: str | None = Field(description="why the last rebuild failed (the previous generation kept serving)")
    last_error_at: str | None
    builds: int = Field(description="rebuilds finished since the service started, failed or not")
    documents: int = Field(description="documents of the generation answering now")
    clauses: int = Field(description="task clauses of the generation answering now")


class Renamed(BaseModel):
    document_id: str
    becomes: str = Field(description="its id once the change is indexed (ids are qualified where two collide)")


class UploadOut(BaseModel):
    file: str = Field(description="the file as the documents name it (uploads/<safe name>)")
    document_ids: list[str] = Field(description="the ids its documents get once indexed")
    documents: list[DocumentOut] = Field(description="what the parser found in it: counts, report, warnings")
    renamed: list[Renamed] = Field(description="documents already loaded whose ids this upload qualifies")
    sent_name: str = Field(description="the file name as sent; `file` is its sanitised form")
    status: IndexStatus = Field(description="the rebuild that takes it in runs in the background")


class RemovalOut(BaseModel):
    file: str
    document_ids: list[str] = Field(description="every document of the removed file")
    status: IndexStatus


class SearchResponse(BaseModel):
    query: str
    results: list[CitationOut]


class Health(BaseModel):
    status: str
    clauses: int
    embedder: str
    index_backend: Literal["faiss", "milvus"] = Field(description="CLAUSE_QA_INDEX_BACKEND")
    index_generation: str = Field(description="the index generation folder or Milvus collection served")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
