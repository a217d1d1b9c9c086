"""The HTTP contract other parts depend on: paths, field names, shapes."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

CITATION_FIELDS = {
    "clause_id", "document", "number", "section", "text", "start", "end", "lead_units", "units", "highlights", "score",
}


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["clauses"] == 96 and body["embedder"]


def test_ask_returns_cited_clauses(client: TestClient, seed_corpus) -> None:
    response = client.post("/api/ask", json={"question": "中欧班列由哪些部门负责？"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"answer", "answerable", "question_type", "citations", "see_also", "timings_ms"}
    assert body["answerable"] is True and body["question_type"] == "responsibility"
    citation = body["citations"][0]
    assert CITATION_FIELDS <= set(citation)
    clause = seed_corpus.clause(citation["clause_id"])
    assert citation["text"] == clause.text and isinstance(citation["number"], int)
    source = seed_corpus.files[0].text
    assert "中欧班列" in source[citation["start"]:citation["end"]]
    for start, end in citation["highlights"]:
        assert 0 <= start < end <= len(citation["text"])


def test_ask_refusal_shape(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "济南到临沂的高铁票价是多少？"}).json()
    assert body["answerable"] is False and body["citations"] == [] and body["see_also"]
    assert "文件中没有找到相关规定" in body["answer"]


def test_ask_with_history_and_top_k(client: TestClient) -> None:
    first = client.post("/api/ask", json={"question": "中欧班列由哪些部门负责？"}).json()
    history = [{"role": "user", "content": "中欧班列由哪些部门负责？"}, {"role": "assistant", "content": first["answer"]}]
    body = client.post("/api/ask", json={"question": "那2023年有什么具体安排？", "history": history, "top_k": 2}).json()
    assert body["citations"][0]["clause_id"] == "2023工作要点-14"
    assert len(body["see_also"]) <= 2


def test_clause_lookup_with_neighbours(client: TestClient) -> None:
    body = client.get("/api/clauses/2023分工方案-18").json()
    assert body["number"] == 18 and body["previous"] == "2023分工方案-17" and body["next"] == "2023分工方案-19"
    assert "2023工作要点-14" in body["related"]
    assert client.get("/api/clauses/2023分工方案-1").json()["previous"] is None


def test_clause_list_filters(client: TestClient, seed_corpus) -> None:
    body = client.get("/api/clauses", params={"unit": "济南市教育局"}).json()
    assert [c["clause_id"] for c in body["clauses"]] == [c.clause_id for c in seed_corpus.for_unit("济南市教育局")]
    assert body["count"] == len(body["clauses"])
    alias = client.get("/api/clauses", params={"unit": "临沂文旅局", "document": "工作要点"}).json()
    assert alias["count"] > 0 and all(c["short_name"] == "工作要点" for c in alias["clauses"])
    text = client.get("/api/clauses", params={"q": "中欧班列"}).json()
    assert {c["clause_id"] for c in text["clauses"]} == {"2023分工方案-18", "2023工作要点-14"}
    assert client.get("/api/clauses").json()["count"] == 96


def test_units(client: TestClient, seed_corpus) -> None:
    units = client.get("/api/units").json()
    assert len(units) == len(seed_corpus.units)
    education = next(u for u in units if u["name"] == "济南市教育局")
    assert education["total"] == education["lead"] + education["shared"] == len(seed_corpus.for_unit("济南市教育局"))


def test_search_reports_both_channels(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "飞机场改扩建", "k": 5}).json()
    assert body["query"] == "飞机场改扩建" and len(body["results"]) == 5
    first = body["results"][0]
    assert set(first["ranks"]) == {"keyword", "dense"}
    assert CITATION_FIELDS <= set(first)
    assert {"2023分工方案-17", "2023工作要点-13"} & {r["clause_id"] for r in body["results"][:3]}


def test_openai_models_and_completion(client: TestClient) -> None:
    models = client.get("/v1/models").json()
    assert models["object"] == "list" and models["data"][0]["id"] == "clause-qa"
    body = client.post(
        "/v1/chat/completions",
        json={"model": "clause-qa", "messages": [{"role": "user", "content": "中欧班列由哪些部门负责？"}], "temperature": 0.2},
    ).json()
    content = body["choices"][0]["message"]["content"]
    assert body["object"] == "chat.completion"
    assert "〔2023分工方案第18条〕" in content and "2023分工方案-18" in content


def test_openai_streaming_ends_with_done(client: TestClient) -> None:
    with client.stream(
        "POST", "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": [{"type": "text", "text": "机场有什么安排？"}]}], "stream": True},
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line[len("data: "):] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "〔2023分工方案第17条〕" in text


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/search", "/api/clauses", "/api/clauses/{clause_id}", "/api/units", "/healthz",
            "/v1/chat/completions", "/v1/models"} <= set(paths)


def test_openai_long_conversation_keeps_working(client: TestClient) -> None:
    """Chat clients resend the whole conversation: past the history limit the latest turns are used."""
    messages = []
    for _ in range(15):
        messages += [{"role": "user", "content": "机场有什么安排？"}, {"role": "assistant", "content": "〔2023分工方案第17条〕……"}]
    messages += [{"role": "user", "content": "中欧班列由哪些部门负责？"}]
    response = client.post("/v1/chat/completions", json={"messages": messages})
    assert response.status_code == 200
    assert "〔2023分工方案第18条〕" in response.json()["choices"][0]["message"]["content"]
