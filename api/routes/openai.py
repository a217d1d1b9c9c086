"""OpenAI-compatible chat endpoint, so chat clients such as Open WebUI can use the service.

Such clients drop unknown response fields, so the citations travel inside the
answer text: the 〔分工方案第12条〕 markers, then a 来源 list with clause ids.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.access_log import note_question
from api.deps import get_service, get_settings
from api.errors import ApiError
from api.routes.ask import checked_question
from api.schemas import MAX_TURN_CHARS, ErrorResponse, clean_text
from qa.models import Answer, Turn
from qa.service import QAService
from qa.settings import Settings

router = APIRouter(tags=["openai"])
MODEL_ID = "clause-qa"
_CHUNK = 24  # characters per streamed chunk


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False

    @field_validator("messages")
    @classmethod
    def _clean(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        for message in messages:
            text = clean_text(message.text())
            if len(text) > MAX_TURN_CHARS:
                raise ValueError(f"a message has {len(text)} characters; the limit is {MAX_TURN_CHARS}")
        return messages


def _with_sources(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    lines = [answer.answer, "", "来源："]
    for citation in answer.citations:
        clause = citation.clause
        lines.append(f"{clause.citation}（{clause.clause_id}）{clause.document} › {' › '.join(clause.section)}")
    return "\n".join(lines)


def _conversation(request: ChatRequest, settings: Settings) -> tuple[str, list[Turn]]:
    turns = [Turn(m.role, clean_text(m.text())) for m in request.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise ApiError(422, "no_question", "the last message must be a user message with the question")
    # Chat clients resend the whole conversation every time; only its latest turns matter to a follow-up.
    return checked_question(turns[-1].content, settings), turns[:-1][-settings.max_history_turns:]


def _chunk(completion_id: str, model: str, delta: dict[str, str], finish: str | None) -> str:
    payload = {
        "id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _stream(completion_id: str, model: str, text: str) -> Iterator[str]:
    yield _chunk(completion_id, model, {"role": "assistant", "content": ""}, None)
    for start in range(0, len(text), _CHUNK):
        yield _chunk(completion_id, model, {"content": text[start : start + _CHUNK]}, None)
    yield _chunk(completion_id, model, {}, "stop")
    yield "data: [DONE]\n\n"


@router.post("/v1/chat/completions", responses={422: {"model": ErrorResponse}})
def chat_completions(
    http_request: Request,
    request: ChatRequest,
    service: Annotated[QAService, Depends(get_service)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Any:
    """Answer the last user message; earlier messages are the conversation history."""
    note_question(http_request, request.messages[-1].text())
    question, history = _conversation(request, settings)
    answer = service.ask(question, history, top_k=settings.top_k)
    text = _with_sources(answer)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    if request.stream:
        return StreamingResponse(_stream(completion_id, request.model, text), media_type="text/event-stream")
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": len(question), "completion_tokens": len(text), "total_tokens": len(question) + len(text)},
    }


@router.get("/v1/models")
def list_models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "clause-qa"}]}
