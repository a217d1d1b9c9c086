"""The optional language-model phrasing is kept only when it verifies against the cited clauses."""

from __future__ import annotations

import json

import httpx
import pytest

from qa.generation import Generator, verify
from qa.models import Answer, Citation


@pytest.fixture
def answer(seed_corpus) -> Answer:
    clause = seed_corpus.clause("2023工作要点-34")
    citation = Citation(clause, ((0, 11),), 0.9, {})
    return Answer("派多少老师支教？", "〔2023工作要点第34条〕每学年选派20名左右教师", True, "target", (citation,), (), {}, 0.9)


def _server(content: str | None = None, status: int = 200) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["messages"][-1]["role"] == "user"
        assert "工作要点第34条" in body["messages"][-1]["content"]
        return httpx.Response(status, json={"choices": [{"message": {"role": "assistant", "content": content}}]})

    return httpx.MockTransport(handle)


def _generator(transport: httpx.MockTransport) -> Generator:
    return Generator("http://llm.test/v1", "m", "secret", 5.0, transport=transport)


def test_verified_phrasing_is_kept(answer: Answer) -> None:
    text = "根据〔2023工作要点第34条〕，济南「每学年选派20名左右教师」赴临沂支教。"
    result = _generator(_server(text)).rephrase(answer)
    assert result.generated and result.answer == text
    assert result.citations == answer.citations


@pytest.mark.parametrize(
    "text",
    [
        "根据〔2023分工方案第1条〕，每学年选派20名左右教师。",  # a clause it was not given
        "济南每学年选派20名左右教师。",  # no citation at all
        "根据〔2023工作要点第34条〕，「每学年选派50名教师」。",  # a quote the clause does not contain
    ],
)
def test_unverifiable_phrasing_falls_back(answer: Answer, text: str) -> None:
    result = _generator(_server(text)).rephrase(answer)
    assert result == answer and not result.generated


def test_server_errors_fall_back(answer: Answer) -> None:
    assert _generator(_server("x", status=500)).rephrase(answer) == answer
    assert _generator(_server(None)).rephrase(answer) == answer


def test_verify_accepts_quotes_across_width_and_spacing(seed_corpus) -> None:
    clause = seed_corpus.clause("2023工作要点-2")
    assert verify("〔2023工作要点第2条〕要求「授课不少于2次」", [clause])
    assert not verify("〔2023工作要点第2条〕要求「授课不少于3次」", [clause])
