"""The OpenAI-compatible contract: chat requests, completions, stream chunks, models.

Requests follow OpenAI's chat-completions shape; unknown options (temperature, top_p, tools …) are
ignored, because answers are extracted from the documents, not sampled.  Responses add one object
OpenAI clients pass through untouched: ``clause_qa``, the answer's structure (answerable, citations),
so a client needs no text parsing to tell a refusal from a cited answer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas import NON_BLANK, clean_text

MODEL_ID = "clause-qa"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = Field(description="only 'text' parts are read; others (image_url …) are ignored")
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    @model_validator(mode="after")
    def _encodable(self) -> ChatMessage:
        clean_text(self._raw_text())  # a lone surrogate is a 422 here, not an error later
        return self

    def _raw_text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""

    def text(self) -> str:
        """The message's text parts, joined, control characters dropped."""
        return clean_text(self._raw_text())


# JSON Schema for "a user message with some text": the rule the endpoint enforces, stated in the schema
# so that clients and schema-driven tests know a list of only system or tool messages is refused.
_TEXT = {"type": "string", "pattern": NON_BLANK}
_USER_WITH_TEXT: dict[str, Any] = {
    "type": "object",
    "required": ["role", "content"],
    "properties": {
        "role": {"const": "user"},
        "content": {
            "anyOf": [
                _TEXT,
                {
                    "type": "array",
                    "contains": {
                        "type": "object",
                        "required": ["type", "text"],
                        "properties": {"type": {"const": "text"}, "text": _TEXT},
                    },
                },
            ]
        },
    },
}


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = Field(False, description="send a last chunk with `usage` (and empty `choices`)")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(
        MODEL_ID, description=f"any value: the service has one model, and responses name it ({MODEL_ID!r})"
    )
    messages: list[ChatMessage] = Field(
        min_length=1,
        description=(
            "the conversation, oldest first. The last user message with text is the question (cut to its "
            "last CLAUSE_QA_MAX_QUESTION_CHARS characters when longer: `clause_qa.truncated`); the user and "
            "assistant messages before it are the history (the latest CLAUSE_QA_MAX_HISTORY_TURNS of them). "
            "System, developer and tool messages are ignored."
        ),
        json_schema_extra={"contains": _USER_WITH_TEXT},
    )
    stream: bool = Field(False, description="answer as server-sent events (`chat.completion.chunk`s)")
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1, description="one answer per question: only 1 is accepted")
    max_tokens: int | None = Field(
        None, ge=1, description="cut the answer text to this many tokens (finish_reason 'length')"
    )
    max_completion_tokens: int | None = Field(
        None, ge=1, description="the newer name of max_tokens; wins over it"
    )

    @property
    def token_limit(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens


class Usage(BaseModel):
    """Counted with the embedding model's own tokenizer (no special tokens)."""

    prompt_tokens: int = Field(description="the question and the history turns the service read")
    completion_tokens: int = Field(description="the answer text returned")
    total_tokens: int


class ClauseQACitation(BaseModel):
    clause_id: str = Field(description="look it up at /api/clauses/{clause_id}")
    document_id: str
    document: str = Field(description="the document's title")
    number: int = Field(description="the clause's printed number in its document (0 for a passage)")
    marker: str = Field(description="the marker the answer text uses for it")


class ClauseQA(BaseModel):
    """What the answer rests on, for clients that do not want to parse the answer text."""

    answerable: bool = Field(
        description="false: a refusal (the documents do not answer); citations is then empty"
    )
    question_type: str
    question: str = Field(description="the question as answered (after cutting, see truncated)")
    truncated: bool = Field(
        description="the question was longer than CLAUSE_QA_MAX_QUESTION_CHARS and was cut"
    )
    citations: list[ClauseQACitation]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: Literal["stop", "length"]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    clause_qa: ClauseQA


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int
    delta: Delta
    finish_reason: Literal["stop", "length"] | None = None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of a streamed answer; the stream ends with `data: [DONE]`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice] = Field(description="empty only in the usage chunk")
    usage: Usage | None = Field(None, description="only in the last chunk, with stream_options.include_usage")
    clause_qa: ClauseQA | None = Field(None, description="only in the chunk with the finish_reason")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
