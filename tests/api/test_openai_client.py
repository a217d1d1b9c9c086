"""The official `openai` Python package against the real server, as an integrator (Open WebUI, Dify) uses it.

Expected clauses come from the QA service itself: what is tested is that the client gets them.
"""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from api.openai_schemas import MODEL_ID
from qa.models import Turn

CITED = "中欧班列由哪些部门负责？"
FOLLOW_UP = "那2023年有什么具体安排？"
REFUSED = "济南到临沂的高铁票价是多少？"


@pytest.fixture(scope="module")
def client(live_server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=f"{live_server}/v1", api_key="not-needed", max_retries=0, timeout=60
    ) as client:
        yield client


def cited_ids(completion) -> list[str]:
    return [c["clause_id"] for c in completion.model_extra["clause_qa"]["citations"]]


def service_ids(service, settings, question: str, history: tuple[Turn, ...] = ()) -> list[str]:
    return [c.clause.clause_id for c in service.ask(question, history, top_k=settings.top_k).citations]


def test_list_and_retrieve_models(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == [MODEL_ID]
    assert client.models.retrieve(MODEL_ID).id == MODEL_ID
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")


def test_completion(client: openai.OpenAI, service, service_settings) -> None:
    completion = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": CITED}])
    assert completion.model == MODEL_ID and completion.choices[0].finish_reason == "stop"
    ids = service_ids(service, service_settings, CITED)
    assert ids and cited_ids(completion) == ids
    assert completion.model_extra["clause_qa"]["answerable"] is True
    text = completion.choices[0].message.content
    assert all(clause_id in text for clause_id in ids)
    assert (
        completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_stream_with_usage(client: openai.OpenAI) -> None:
    whole = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": CITED}])
    chunks = list(
        client.chat.completions.create(
            model=MODEL_ID,
            messages=[{"role": "user", "content": CITED}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    finish = next(c for c in chunks if c.choices and c.choices[0].finish_reason)
    assert finish.choices[0].finish_reason == "stop"
    assert finish.model_extra["clause_qa"] == whole.model_extra["clause_qa"]
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage


def test_follow_up(client: openai.OpenAI, service, service_settings) -> None:
    first = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": CITED}])
    answer = first.choices[0].message.content
    follow_up = client.chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "user", "content": CITED},
            {"role": "assistant", "content": answer},
            {"role": "user", "content": FOLLOW_UP},
        ],
    )
    expected = service_ids(
        service, service_settings, FOLLOW_UP, (Turn("user", CITED), Turn("assistant", answer))
    )
    assert expected and cited_ids(follow_up) == expected


def test_refusal_is_detected_through_clause_qa(client: openai.OpenAI, service) -> None:
    assert not service.ask(REFUSED).answerable
    completion = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": REFUSED}]
    )
    info = completion.model_extra["clause_qa"]
    assert info["answerable"] is False and info["citations"] == []
    assert "〔" in completion.choices[0].message.content  # the text alone would look cited


def test_errors_reach_the_client_as_api_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as raised:
        client.chat.completions.create(
            model=MODEL_ID, messages=[{"role": "system", "content": "只有系统消息"}]
        )
    assert raised.value.body["code"] == "no_question"
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": CITED}], n=2)
