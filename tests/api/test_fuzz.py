"""Bad input, generated: every endpoint fuzzed from the service's own OpenAPI (schemathesis), request
bodies, ids and queries from hypothesis, and the parser and question analysis underneath.

The rule everywhere: a 4xx with the JSON error body, or a valid answer; never a 5xx, never a traceback.
Bounded: a few dozen examples per operation, the whole module well under a minute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from corpus.errors import CorpusError
from corpus.loader import build_corpus
from corpus.parser import parse_model
from corpus.textmodel import TextModel
from qa.analysis import QuestionType
from qa.service import InvalidText

pytestmark = pytest.mark.fuzz

# Every operation of the schema; test_every_operation_is_fuzzed fails when one is added and not listed here.
OPERATIONS = [
    ("GET", "/healthz"),
    ("POST", "/api/ask"),
    ("GET", "/api/clauses/{clause_id}"),
    ("GET", "/api/clauses"),
    ("GET", "/api/units"),
    ("GET", "/api/search"),
    ("POST", "/v1/chat/completions"),
    ("GET", "/v1/models"),
    ("GET", "/v1/models/{model_id}"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/{document_id}"),
    ("POST", "/api/documents"),  # admin: closed here (no CLAUSE_QA_ADMIN_KEYS); tests/api/test_uploads.py opens it
    ("DELETE", "/api/documents/{document_id}"),
    ("GET", "/api/index/status"),
    ("POST", "/api/index/rebuild"),
    ("POST", "/api/feedback"),
    ("GET", "/api/feedback"),
]
# Negative cases need something to break: a body, or a parameter with a type or bound (a free string path
# parameter has no invalid value; hypothesis covers clause ids below).
NEGATIVE = [
    ("POST", "/api/ask"),
    ("GET", "/api/clauses"),
    ("GET", "/api/search"),
    ("POST", "/v1/chat/completions"),
    ("POST", "/api/feedback"),
    ("GET", "/api/feedback"),
]
FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

NASTY = [
    "",
    " ",
    "\u3000\t\n ",  # full-width space: whitespace only
    "\x00\x01\x07\x1b[31m机场\x7f",
    "机场\ud800安排",  # a lone surrogate
    "\udfff",
    "ＡＢＣ１２３abc123机场安排？",  # full- and half-width mixed
    "🚄🏛️👨\u200d👩\u200d👧 中欧班列？",
    "\u202e机场\u200b\ufeff",  # bidi override, zero-width space, BOM
    "' OR 1=1; DROP TABLE clauses; --",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "{{7*7}} ${jndi:ldap://x} %s%n%x",
    ".*+?[(\\",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "机场\x00.txt",
    "问" * 501,
    "问" * 20_000,  # 60 KB of UTF-8: under the body limit, over the question limit
    "a" * 100_000,  # 100 KB: over the body limit
]
WEIRD_NUMBERS = [0, -1, -(2**63), 2**63, 10**30, 1.5, float("inf"), "5", True, None, [], {}]


def assert_handled(response: Any, expect_json: bool = True) -> None:
    """A valid answer or a 4xx with the error envelope; never 5xx, never a traceback."""
    text = response.text
    assert "Traceback" not in text and 'File "' not in text, text[:300]
    assert response.status_code < 500, (response.status_code, text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert isinstance(body["error"]["code"], str) and body["error"]["code"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    elif expect_json and "text/event-stream" not in response.headers.get("content-type", ""):
        response.json()


# --- schemathesis: every operation, from the service's own OpenAPI ------------------------------------


@pytest.fixture(scope="module")
def fuzzed_app(service, service_settings) -> Iterator[FastAPI]:
    yield create_app(service_settings, service)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> Iterator[Any]:
    """The schema as the app serves it; loading it starts the app's lifespan (the session's service)."""
    yield schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    from schemathesis.python import asgi

    asgi.shutdown_lifespans()  # otherwise left to an atexit hook


def json_error_envelope(ctx: Any, response: Any, case: Any) -> None:
    """Custom check: every 4xx carries {"error": {"code", "message"}}; no response shows a traceback."""
    assert_handled(response, expect_json=False)


def test_every_operation_is_fuzzed(api_schema) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == {f"{method} {path}" for method, path in OPERATIONS}


@pytest.mark.parametrize(
    ("method", "path", "mode"),
    [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS]
    + [(m, p, GenerationMode.NEGATIVE) for m, p in NEGATIVE],
)
def test_schemathesis(api_schema, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    checks = [not_a_server_error, json_error_envelope, status_code_conformance, content_type_conformance]
    if mode is GenerationMode.POSITIVE:
        # What the schema allows is accepted (2xx, or a documented 404 for an unknown id), and answered as the
        # schema says: body, headers, each event of a stream.
        checks += [positive_data_acceptance, response_schema_conformance, response_headers_conformance]

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.validate_response(case.call(), checks=checks)

    run()


# --- the list of bad inputs, on every endpoint that takes text ---------------------------------


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_text_everywhere(client: TestClient, text: str) -> None:
    # json.dumps escapes lone surrogates as \udXXX, as a client's JSON encoder would.
    body = json.dumps({"question": text}).encode()
    assert_handled(client.post("/api/ask", content=body, headers={"content-type": "application/json"}))
    chat = json.dumps({"messages": [{"role": "user", "content": text}]}).encode()
    assert_handled(
        client.post("/v1/chat/completions", content=chat, headers={"content-type": "application/json"})
    )
    history = json.dumps(
        {"question": "机场有什么安排", "history": [{"role": "user", "content": text}]}
    ).encode()
    assert_handled(client.post("/api/ask", content=history, headers={"content-type": "application/json"}))
    encoded = quote(text[:2000], safe="", errors="surrogatepass")
    assert_handled(client.get(f"/api/search?q={encoded}"))
    assert_handled(client.get(f"/api/clauses?q={encoded}&unit={encoded}&document={encoded}"))
    assert_handled(client.get(f"/api/clauses/{encoded}"))


@pytest.mark.parametrize("value", WEIRD_NUMBERS, ids=repr)
def test_weird_numbers(client: TestClient, value: Any) -> None:
    body = json.dumps(
        {"question": "机场有什么安排", "top_k": value}
    ).encode()  # inf becomes Infinity: not JSON
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert_handled(response)
    if response.status_code == 200:
        assert len(response.json()["see_also"]) <= 50
    assert_handled(client.get("/api/search", params={"q": "机场", "k": str(value)}))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"question"',
        b"\xff\xfe\x00\x00",
        '{"question": "机场"}'.encode("gb18030"),
        b'{"question": "\xe6\x9c"}',
        b'{"question": "a", "question": 1}',
        b"{" * 5000 + b"}" * 5000,
        b"[" * 100_000,
    ],
    ids=range(11),
)
def test_broken_bodies(client: TestClient, raw: bytes) -> None:
    for content_type in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
        for path in ("/api/ask", "/v1/chat/completions"):
            assert_handled(client.post(path, content=raw, headers={"content-type": content_type}))


# --- hypothesis: bodies, ids and queries ---------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
QUESTIONS = st.one_of(st.text(max_size=120), st.sampled_from(NASTY[:-2]), JSON_VALUES)
TURNS = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system", "x"]), "content": QUESTIONS}
    ),
    max_size=4,
)
ASK_BODIES = st.one_of(
    st.fixed_dictionaries(
        {"question": QUESTIONS}, optional={"history": TURNS | JSON_VALUES, "top_k": JSON_VALUES}
    ),
    JSON_VALUES,
)
CHAT_BODIES = st.one_of(
    st.fixed_dictionaries(
        {"messages": TURNS | JSON_VALUES}, optional={"stream": JSON_VALUES, "model": JSON_VALUES}
    ),
    JSON_VALUES,
)


@FUZZ_SETTINGS
@given(body=ASK_BODIES)
def test_any_json_to_ask(client: TestClient, body: Any) -> None:
    assert_handled(
        client.post("/api/ask", content=json.dumps(body), headers={"content-type": "application/json"})
    )


@FUZZ_SETTINGS
@given(body=CHAT_BODIES)
def test_any_json_to_chat(client: TestClient, body: Any) -> None:
    response = client.post(
        "/v1/chat/completions", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert_handled(response)


@FUZZ_SETTINGS
@given(raw=st.binary(max_size=300))
def test_any_bytes_to_ask(client: TestClient, raw: bytes) -> None:
    assert_handled(client.post("/api/ask", content=raw, headers={"content-type": "application/json"}))


@FUZZ_SETTINGS
@given(
    clause_id=st.text(min_size=1, max_size=60)
    | st.sampled_from(["../../etc/passwd", "2023分工方案-0", "工作要点--1", ".", ".."])
)
def test_any_clause_id(client: TestClient, clause_id: str) -> None:
    path = quote(clause_id, safe="", errors="surrogatepass")
    if clause_id in (".", ".."):  # dot segments: the client would resolve them away (RFC 3986) before sending
        path = path.replace(".", "%2E")
    response = client.get("/api/clauses/" + path)
    assert_handled(response)
    if response.status_code == 200:
        assert response.json()["clause_id"] == clause_id


@FUZZ_SETTINGS
@given(q=st.text(max_size=80), k=st.integers(min_value=-5, max_value=100) | JSON_VALUES)
def test_any_search(client: TestClient, q: str, k: Any) -> None:
    query = f"q={quote(q, safe='', errors='surrogatepass')}&k={quote(str(k), safe='')}"
    assert_handled(client.get(f"/api/search?{query}"))


# --- hypothesis: the question analysis and the parser underneath ---------------------------------------

QUESTION_WORDS = st.sampled_from(
    [
        "谁",
        "牵头",
        "负责",
        "哪些",
        "多少",
        "几次",
        "那",
        "2023年",
        "工作要点",
        "分工方案",
        "济南市教育局",
        "文旅局",
        "发改委",
        "中欧班列",
        "机场",
        "？",
        "，",
        " ",
        "\u3000",
        "ＡＢ",
        "🚄",
        "\x00",
        "\ud800",
    ]
)
@pytest.fixture(scope="module")
def query_vector(service) -> Any:
    return service.retriever.embedder.embed_queries(["机场有什么安排"])[0]


QUESTION_TEXT = st.one_of(st.text(max_size=200), st.lists(QUESTION_WORDS, max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(question=QUESTION_TEXT, has_history=st.booleans())
def test_analysis_takes_any_text(service, query_vector, question: str, has_history: bool) -> None:
    seed_corpus = service.corpus
    # One real query vector for every text: the analysis is fuzzed, not the embedder (it refuses surrogates).
    analysis = service.analyse(question, vector=query_vector, has_history=has_history)
    assert analysis.type in set(QuestionType)
    assert set(analysis.units) <= set(seed_corpus.units)
    assert analysis.document is None or analysis.document in {d.document_id for d in seed_corpus.documents}
    assert not analysis.follow_up or has_history


@settings(max_examples=40, deadline=None)
@given(question=QUESTION_TEXT.filter(lambda q: q.strip()), top_k=st.integers(min_value=1, max_value=50))
def test_service_answers_any_question(service, question: str, top_k: int) -> None:
    """Any non-blank text gives an answer or a refusal; text that is not valid Unicode, a ClauseQAError."""
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(InvalidText, match="lone surrogate"):
            service.ask(question.strip(), top_k=top_k)
        return
    answer = service.ask(question.strip(), top_k=top_k)
    assert answer.answerable == bool(answer.citations)
    for citation in (*answer.citations, *answer.see_also):
        assert citation.clause.clause_id in service.corpus
        for start, end in citation.highlights:
            assert 0 <= start <= end <= len(citation.clause.text)


DOCUMENT_LINES = st.sampled_from(
    [
        "济南—临沂对口合作重点任务清单",
        "# 济南—临沂对口合作重点任务清单",
        "一、弘扬传承红色文化",
        "## 二、强化产业",
        "（一）传承践行红色精神。",
        "(二) 保护",
        "1. 组织开展红色文化论坛。（两市市委宣传部牵头）",
        "2. 每年举办 2 次。",
        "2. 重复的编号。",
        "（责任单位：两市文化和旅游局）",
        "",
        "**",
        "\x0c",
        "第一条",
        "附件",
        "10.",
        "一、",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=300), st.lists(DOCUMENT_LINES | st.text(max_size=20), max_size=25).map("\n".join)
    )
)
def test_parser_parses_or_names_the_problem(text: str) -> None:
    """Any text either parses into clauses that point back into it, or raises CorpusError; nothing else."""
    try:
        corpus = build_corpus([parse_model(TextModel("fuzz.txt", "txt", text))])
    except CorpusError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    source = corpus.files[0].text
    for clause in corpus.citable:
        assert 0 <= clause.start <= clause.end <= len(source)
