"""OpenAI-compatible chat endpoint and model list, for chat clients such as Open WebUI and Dify.

Chat clients show only the message text, so the citations travel inside it too: the 〔…第12条〕 markers,
then a 来源 list with clause ids.  Clients that read JSON get the same as data in ``clause_qa``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from api.access_log import note_question
from api.deps import get_service, get_settings
from api.errors import ApiError
from api.openai_schemas import (
    MODEL_ID,
    ChatCompletion,
    ChatCompletionChunk,
    ChatRequest,
    ClauseQA,
    ClauseQACitation,
    ModelCard,
    ModelList,
    Usage,
)
from api.schemas import ErrorResponse
from qa.models import Answer, Turn
from qa.service import QAService
from qa.settings import Settings

router = APIRouter(tags=["openai"])
_CHUNK = 24  # characters per streamed chunk
# Proxies (nginx) buffer responses unless told not to; a buffered stream arrives all at once.
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_MODEL = ModelCard(id=MODEL_ID, created=0, owned_by="clause-qa")
_STREAM_DOC = "with `stream: true`: server-sent events, each a ChatCompletionChunk, then `data: [DONE]`"
# One server-sent event, as OpenAPI before 3.2 describes a text/event-stream (the schema of each event).
_EVENT_SCHEMA = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "event": {"const": "message"},
        "data": {
            "anyOf": [
                {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {"$ref": "#/components/schemas/ChatCompletionChunk"},
                },
                {"const": "[DONE]"},
            ]
        },
    },
}


@dataclass(frozen=True)
class Conversation:
    question: str  # what is answered: the last user message with text, cut to the question limit
    history: list[Turn]  # the latest turns before it
    truncated: bool


def conversation(request: ChatRequest, settings: Settings) -> Conversation:
    """The question and its history; a 422 when no user message has text.

    Chat clients resend the whole conversation and send their own long task prompts (Open WebUI's title
    and tag prompts): a long message is cut to its last characters, where a question usually stands
    (after pasted context, or at the end of a task prompt's chat history), instead of being refused.
    """
    limit = settings.max_question_chars
    turns = [
        Turn(m.role, text)
        for m in request.messages
        if m.role in ("user", "assistant") and (text := m.text().strip())
    ]
    asked = [i for i, turn in enumerate(turns) if turn.role == "user"]
    if not asked:
        raise ApiError(422, "no_question", "the messages need a user message with the question")
    question = turns[asked[-1]].content
    truncated = len(question) > limit
    earlier = [
        Turn(t.role, t.content[-limit:].strip()) if t.role == "user" else t for t in turns[: asked[-1]]
    ]
    history = earlier[-settings.max_history_turns :] if settings.max_history_turns else []
    return Conversation(question[-limit:].strip() if truncated else question, history, truncated)


def with_sources(answer: Answer) -> str:
    """The answer text and, for a cited answer, a 来源 list: marker, clause id, document › section."""
    if not answer.citations:
        return answer.answer
    lines = [answer.answer, "", "来源："]
    for citation in answer.citations:
        clause = citation.clause
        place = " › ".join((clause.document, *clause.section))
        lines.append(f"{clause.citation}（{clause.clause_id}）{place}")
    return "\n".join(lines)


def cut_to_tokens(text: str, limit: int, count: Callable[[str], int]) -> str:
    """The longest prefix of ``text`` that ``count`` puts at ``limit`` tokens or fewer (a prefix's count
    grows with its length, so a binary search over lengths finds it in a dozen counts)."""
    if count(text) <= limit:
        return text
    low, high = 0, len(text)  # count(text[:low]) <= limit < count(text[:high])
    while high - low > 1:
        middle = (low + high) // 2
        if count(text[:middle]) <= limit:
            low = middle
        else:
            high = middle
    return text[:low]


def clause_qa(answer: Answer, chat: Conversation) -> ClauseQA:
    return ClauseQA(
        answerable=answer.answerable,
        question_type=answer.question_type,
        question=chat.question,
        truncated=chat.truncated,
        citations=[
            ClauseQACitation(
                clause_id=c.clause.clause_id,
                document_id=c.clause.document_id,
                document=c.clause.document,
                number=c.clause.number,
                marker=c.clause.citation,
            )
            for c in answer.citations
        ],
    )


def stream(
    base: dict[str, Any], text: str, finish: str, info: ClauseQA, usage: Usage | None
) -> Iterator[str]:
    """The events of one answer: the role, the text in pieces, the finish (with clause_qa), then the usage
    chunk when asked for (``usage`` given), as OpenAI sends them: every chunk then carries ``usage: null``."""

    def event(choices: list[dict[str, Any]], **extra: Any) -> str:
        data = ChatCompletionChunk(**base, choices=choices, **extra).model_dump(mode="json")
        if data["clause_qa"] is None:
            del data["clause_qa"]
        if usage is None:
            del data["usage"]
        for choice in data["choices"]:
            choice["delta"] = {k: v for k, v in choice["delta"].items() if v is not None}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield event([{"index": 0, "delta": {"role": "assistant", "content": ""}}])
    for start in range(0, len(text), _CHUNK):
        yield event([{"index": 0, "delta": {"content": text[start : start + _CHUNK]}}])
    yield event([{"index": 0, "delta": {}, "finish_reason": finish}], clause_qa=info)
    if usage is not None:
        yield event([], usage=usage)
    yield "data: [DONE]\n\n"


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "description": "the answer: a chat.completion, or " + _STREAM_DOC,
            "content": {"text/event-stream": {"schema": _EVENT_SCHEMA}},
        },
        422: {"model": ErrorResponse},  # 400 and 413, as for every body: api.contract
    },
)
def chat_completions(
    http_request: Request,
    request: ChatRequest,
    service: Annotated[QAService, Depends(get_service)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Any:
    """Answer the last user message; the messages before it are the conversation history.

    The response names the served model whatever `model` says; `max_tokens` cuts the answer text (the
    citations in `clause_qa` stay whole); `n` must be 1; sampling options are ignored (answers are
    extracted, not sampled).
    """
    chat = conversation(request, settings)
    note_question(http_request, chat.question)
    answer = service.ask(chat.question, chat.history, top_k=settings.top_k)
    text = with_sources(answer)
    if chat.truncated:  # told to the reader as well: chat clients show only the text
        limit = settings.max_question_chars
        text += f"\n\n（问题超过{limit}字，只按最后{limit}字回答。）"
    finish = "stop"
    if request.token_limit is not None:
        cut = cut_to_tokens(text, request.token_limit, service.count_tokens)
        if cut != text:
            finish, text = "length", cut
    read = (chat.question, *(turn.content for turn in chat.history))
    prompt_tokens = sum(service.count_tokens(t) for t in read)
    completion_tokens = service.count_tokens(text)
    usage = Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens,
    )
    info = clause_qa(answer, chat)
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL_ID}
    if request.stream:
        include_usage = request.stream_options is not None and request.stream_options.include_usage
        return StreamingResponse(
            stream(base, text, finish, info, usage if include_usage else None),
            media_type="text/event-stream",
            headers=STREAM_HEADERS,
        )
    return ChatCompletion(
        **base,
        choices=[{"index": 0, "message": {"content": text}, "finish_reason": finish}],
        usage=usage,
        clause_qa=info,
    )


@router.get("/v1/models", response_model=ModelList)
def list_models() -> ModelList:
    """The one model this service serves."""
    return ModelList(data=[_MODEL])


@router.get("/v1/models/{model_id}", response_model=ModelCard, responses={404: {"model": ErrorResponse}})
def retrieve_model(model_id: str) -> ModelCard:
    """The served model; any other id → 404 `model_not_found`."""
    if model_id != MODEL_ID:
        raise ApiError(404, "model_not_found", f"no model {model_id!r}; this service serves {MODEL_ID!r}")
    return _MODEL
