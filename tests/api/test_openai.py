"""The OpenAI-compatible endpoints: models, completions and streams, clause_qa, usage, limits, options.

Expected answers come from the QA service itself (the same question through ``service.ask``): these tests
are about what the endpoint makes of an answer, not about which clauses answer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.openai_schemas import MODEL_ID, ChatCompletion, ChatCompletionChunk
from qa.models import Turn

CITED = "中欧班列由哪些部门负责？"
TOPIC = "机场有什么安排？"
REFUSED = "济南到临沂的高铁票价是多少？"
FOLLOW_UP = "那2023年有什么具体安排？"
CHAT = "/v1/chat/completions"


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def complete(client: TestClient, messages: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    response = client.post(CHAT, json={"messages": messages, **options})
    assert response.status_code == 200, response.text
    return ChatCompletion.model_validate(response.json()).model_dump()  # the documented shape, nothing less


def stream(client: TestClient, messages: list[dict[str, Any]], **options: Any) -> tuple[Any, list[dict]]:
    """The response (headers) and the decoded chunks of a streamed answer; asserts it ends with [DONE]."""
    with client.stream("POST", CHAT, json={"messages": messages, "stream": True, **options}) as response:
        assert response.status_code == 200
        events = [line.removeprefix("data: ") for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    for chunk in chunks:
        ChatCompletionChunk.model_validate(chunk)
    return response, chunks


def streamed_text(chunks: list[dict]) -> str:
    return "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])


def expected_ids(service, settings, question: str, history: tuple[Turn, ...] = ()) -> list[str]:
    answer = service.ask(question, history, top_k=settings.top_k)
    return [c.clause.clause_id for c in answer.citations]


# --- models -----------------------------------------------------------------------------------------------


def test_models_list_and_retrieve(client: TestClient) -> None:
    listed = client.get("/v1/models").json()
    assert listed["object"] == "list" and [m["id"] for m in listed["data"]] == [MODEL_ID]
    retrieved = client.get(f"/v1/models/{MODEL_ID}")
    assert retrieved.status_code == 200 and retrieved.json() == listed["data"][0]
    missing = client.get("/v1/models/gpt-4o")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"
    assert MODEL_ID in missing.json()["error"]["message"]


# --- completions and clause_qa ----------------------------------------------------------------------------


def test_completion_carries_clause_qa(client: TestClient, service, service_settings, seed_corpus) -> None:
    body = complete(client, [user(CITED)], model="gpt-4o", temperature=0.3)
    assert body["model"] == MODEL_ID  # the served model, whatever the client asked for
    info = body["clause_qa"]
    ids = expected_ids(service, service_settings, CITED)
    assert ids and info["answerable"] is True and [c["clause_id"] for c in info["citations"]] == ids
    assert info["question"] == CITED and info["truncated"] is False
    assert info["question_type"] == service.ask(CITED).question_type
    content = body["choices"][0]["message"]["content"]
    assert body["choices"][0]["finish_reason"] == "stop"
    for citation in info["citations"]:
        clause = seed_corpus.clause(citation["clause_id"])
        assert citation["document"] == clause.document and citation["number"] == clause.number
        assert citation["document_id"] == clause.document_id
        assert citation["marker"] == clause.citation and citation["marker"] in content
        assert citation["clause_id"] in content  # the 来源 list, for clients that show only text


def test_a_refusal_is_told_by_clause_qa_not_by_the_text(client: TestClient, service) -> None:
    answer = service.ask(REFUSED)
    assert not answer.answerable and answer.see_also  # a refusal that names clauses that might be related
    body = complete(client, [user(REFUSED)])
    assert body["clause_qa"]["answerable"] is False and body["clause_qa"]["citations"] == []
    content = body["choices"][0]["message"]["content"]
    assert any(c.clause.citation in content for c in answer.see_also)  # markers, yet not a cited answer


def test_follow_up_uses_the_conversation(client: TestClient, service, service_settings) -> None:
    first = complete(client, [user(CITED)])["choices"][0]["message"]["content"]
    messages = [
        {"role": "system", "content": "你是助手"},
        user(CITED),
        {"role": "assistant", "content": first},
    ]
    body = complete(client, [*messages, user(FOLLOW_UP)])
    history = (Turn("user", CITED), Turn("assistant", first))
    ids = expected_ids(service, service_settings, FOLLOW_UP, history)
    assert [c["clause_id"] for c in body["clause_qa"]["citations"]] == ids
    assert ids != expected_ids(service, service_settings, FOLLOW_UP)  # the history made a difference


def test_the_last_user_message_with_text_is_the_question(client: TestClient) -> None:
    body = complete(client, [user(TOPIC), {"role": "user", "content": [{"type": "text", "text": "  "}]}])
    assert body["clause_qa"]["question"] == TOPIC
    tools_only = client.post(CHAT, json={"messages": [{"role": "tool", "content": TOPIC}]})
    assert tools_only.status_code == 422 and tools_only.json()["error"]["code"] == "no_question"


# --- usage ------------------------------------------------------------------------------------------------


def test_usage_is_counted_in_tokens(client: TestClient, service) -> None:
    body = complete(client, [user(TOPIC)])
    usage, content = body["usage"], body["choices"][0]["message"]["content"]
    assert usage["prompt_tokens"] == service.count_tokens(TOPIC)
    assert usage["completion_tokens"] == service.count_tokens(content)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    # Tokens, not characters: the embedding model's tokenizer joins characters into pieces.
    assert 0 < usage["completion_tokens"] < len(content)


def test_usage_counts_the_history_read(client: TestClient, service) -> None:
    answer = complete(client, [user(CITED)])["choices"][0]["message"]["content"]
    body = complete(client, [user(CITED), {"role": "assistant", "content": answer}, user(FOLLOW_UP)])
    expected = sum(service.count_tokens(text) for text in (FOLLOW_UP, CITED, answer))
    assert body["usage"]["prompt_tokens"] == expected


def test_count_tokens_of_blank_and_short_texts(service) -> None:
    assert service.count_tokens("") == service.count_tokens(" \n") == 0
    assert service.count_tokens("a") == 1
    assert service.count_tokens(TOPIC + TOPIC) >= service.count_tokens(TOPIC) > 0


# --- streaming --------------------------------------------------------------------------------------------


def test_stream_matches_the_completion(client: TestClient) -> None:
    whole = complete(client, [user(TOPIC)])
    response, chunks = stream(client, [user(TOPIC)])
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache" and response.headers["x-accel-buffering"] == "no"
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert streamed_text(chunks) == whole["choices"][0]["message"]["content"]
    finish = chunks[-1]
    assert finish["choices"][0]["finish_reason"] == "stop" and finish["clause_qa"] == whole["clause_qa"]
    assert all("clause_qa" not in c and c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert all("usage" not in c for c in chunks)  # not asked for
    assert {c["id"] for c in chunks} == {chunks[0]["id"]} and {c["model"] for c in chunks} == {MODEL_ID}


def test_stream_sends_usage_when_asked(client: TestClient) -> None:
    whole = complete(client, [user(TOPIC)])
    _, chunks = stream(client, [user(TOPIC)], stream_options={"include_usage": True})
    last = chunks[-1]
    assert last["choices"] == [] and last["usage"] == whole["usage"]
    assert all(c["usage"] is None for c in chunks[:-1])  # as OpenAI sends it: null until the last chunk
    assert chunks[-2]["clause_qa"] == whole["clause_qa"]


# --- long prompts -----------------------------------------------------------------------------------------

# A background task prompt in the manner of a chat client's title generator: instructions, then the chat.
TASK_PROMPT = (
    "### 任务\n请根据下面的对话，为这次对话拟一个三到五个词的标题，并加一个表情符号。\n"
    + "### 要求\n"
    + "".join(f"- 第{i}条要求：标题要简洁，概括对话的主题，不要使用引号或其他标点。\n" for i in range(1, 25))
    + '### 输出\n只输出 JSON：{"title": "标题"}\n### 对话\n<chat_history>\nUSER: '
    + CITED
    + "\n</chat_history>"
)


def test_a_long_task_prompt_is_answered_cut_not_refused(client: TestClient, service_settings) -> None:
    limit = service_settings.max_question_chars
    assert len(TASK_PROMPT) > limit * 1.5
    for body in (complete(client, [user(TASK_PROMPT)]), complete(client, [user(TASK_PROMPT)], max_tokens=30)):
        info = body["clause_qa"]
        assert info["truncated"] is True
        assert info["question"] == TASK_PROMPT[-limit:].strip() and info["question"].endswith(
            "</chat_history>"
        )
    content = complete(client, [user(TASK_PROMPT)])["choices"][0]["message"]["content"]
    assert f"{limit}字" in content  # said to the reader too, not only to clients that read clause_qa


def test_long_earlier_turns_are_not_refused(client: TestClient) -> None:
    messages = [user("机场" * 2000), {"role": "assistant", "content": "长" * 10_000}, user(TOPIC)]
    body = complete(client, messages)
    assert body["clause_qa"]["question"] == TOPIC and body["clause_qa"]["truncated"] is False


# --- options ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_max_tokens_cuts_the_text_not_the_citations(client: TestClient, service, field: str) -> None:
    whole = complete(client, [user(CITED)])
    full = whole["choices"][0]["message"]["content"]
    cut = complete(client, [user(CITED)], **{field: 5})
    text = cut["choices"][0]["message"]["content"]
    assert cut["choices"][0]["finish_reason"] == "length"
    assert full.startswith(text) and text != full
    assert 0 < service.count_tokens(text) <= 5 and cut["usage"]["completion_tokens"] == service.count_tokens(
        text
    )
    assert cut["clause_qa"] == whole["clause_qa"]
    _, chunks = stream(client, [user(CITED)], **{field: 5})
    assert streamed_text(chunks) == text and chunks[-1]["choices"][0]["finish_reason"] == "length"
    roomy = complete(client, [user(CITED)], **{field: 100_000})
    assert roomy["choices"][0] == whole["choices"][0]


def test_n_must_be_one(client: TestClient) -> None:
    assert complete(client, [user(TOPIC)], n=1)["choices"][0]["index"] == 0
    response = client.post(CHAT, json={"messages": [user(TOPIC)], "n": 2})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "n"


# --- the schema says what the server enforces -------------------------------------------------------------


def test_openapi_states_the_configured_limits(service, service_settings) -> None:
    settings = service_settings.model_copy(
        update={"max_question_chars": 120, "max_top_k": 7, "max_history_turns": 3}
    )
    with TestClient(create_app(settings, service)) as client:
        schema = client.get("/openapi.json").json()
        ask = schema["components"]["schemas"]["AskRequest"]["properties"]
        assert ask["question"]["maxLength"] == 120 and ask["question"]["minLength"] == 1
        assert ask["history"]["maxItems"] == 3
        assert ask["top_k"]["anyOf"][0]["maximum"] == 7
        assert client.post("/api/ask", json={"question": "问" * 121}).status_code == 422
        assert client.post("/api/ask", json={"question": "机场", "top_k": 8}).status_code == 422
        assert client.post("/api/ask", json={"question": "机场", "top_k": 7}).status_code == 200


def test_openapi_describes_both_chat_responses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    content = schema["paths"][CHAT]["post"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ChatCompletion"}
    event = content["text/event-stream"]["schema"]
    assert event["properties"]["data"]["anyOf"][0]["contentSchema"]["$ref"].endswith("/ChatCompletionChunk")
    assert {"ChatCompletion", "ChatCompletionChunk", "ClauseQA"} <= set(schema["components"]["schemas"])
    messages = schema["components"]["schemas"]["ChatRequest"]["properties"]["messages"]
    assert messages["minItems"] == 1 and messages["contains"]["properties"]["role"] == {"const": "user"}
