"""Access and hardening: API keys, CORS, security headers, rate limiting, access logs, documented limits."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api import access_log, security
from api.app import create_app
from api.docs import inline_script_hashes
from api.ratelimit import TokenBuckets
from api.security import STRICT_CSP, ApiKeys

KEYS = ("alpha-key-0123456789", "beta-key-ÄÖ-9876")  # one with non-ASCII: keys are compared as bytes
ORIGIN = "https://intranet.example"
ASK = {"question": "中欧班列由哪些部门负责？"}


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def _bearer(key: str) -> dict[str, bytes]:
    return {"Authorization": b"Bearer " + key.encode()}  # bytes: a header value may hold a key's UTF-8


@pytest.fixture(scope="module")
def locked(service, service_settings) -> Iterator[TestClient]:
    """Keys and one CORS origin configured."""
    settings = service_settings.model_copy(
        update={"api_keys": SecretStr(",".join(KEYS)), "cors_origins": ORIGIN}
    )
    with TestClient(create_app(settings, service)) as client:
        yield client


def _limited(service, service_settings, per_minute: int, keys: str = "") -> TestClient:
    settings = service_settings.model_copy(
        update={"rate_limit_per_minute": per_minute, "api_keys": SecretStr(keys)}
    )
    return TestClient(create_app(settings, service))


# --- API keys -------------------------------------------------------------------------------------------


def test_without_a_key_the_api_answers_401_with_a_bearer_challenge(locked: TestClient) -> None:
    response = locked.post("/api/ask", json=ASK)
    _error(response, 401, "missing_api_key")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {KEYS[0]}"},
        {"Authorization": f"Bearer {KEYS[0]}x"},
        {"Authorization": f"Bearer {KEYS[0][:-1]}"},
        {"X-API-Key": "wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": b"Bearer \xff\xfe"},
    ],
    ids=["wrong", "basic", "longer", "shorter", "x-api-key", "empty", "latin1"],
)
def test_a_wrong_key_is_401(locked: TestClient, headers: dict) -> None:
    response = locked.post("/api/ask", json=ASK, headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    _error(response, 401)


@pytest.mark.parametrize(
    "headers",
    [_bearer(KEYS[0]), {"Authorization": f"bearer {KEYS[0]}"}, {"X-API-Key": KEYS[0]}, _bearer(KEYS[1])],
    ids=["bearer", "lowercase-scheme", "x-api-key", "utf8-key"],
)
def test_a_valid_key_is_accepted(locked: TestClient, headers: dict) -> None:
    assert locked.post("/api/ask", json=ASK, headers=headers).status_code == 200


def test_every_api_operation_needs_the_key(locked: TestClient) -> None:
    """Every operation of the schema, existing and future, is closed unless its path is listed as open."""
    paths = locked.get("/openapi.json").json()["paths"]
    closed = {path: item for path, item in paths.items() if not security.is_open(path)}
    assert set(closed) == {
        "/api/ask",
        "/api/search",
        "/api/clauses",
        "/api/clauses/{clause_id}",
        "/api/units",
        "/v1/chat/completions",
        "/v1/models",
        "/v1/models/{model_id}",
        "/api/feedback",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/index/status",
        "/api/index/rebuild",
    }
    for path, item in closed.items():
        for method in item:
            path = path.replace("{clause_id}", "2023分工方案-1").replace("{document_id}", "2023分工方案")
            response = locked.request(method.upper(), path)
            assert response.status_code == 401, (method, path)
    assert locked.get("/api/no-such-path").status_code == 401  # no probing which paths exist


def test_openai_clients_send_the_key_as_bearer(locked: TestClient) -> None:
    chat = {"messages": [{"role": "user", "content": "机场有什么安排？"}], "stream": True}
    with locked.stream("POST", "/v1/chat/completions", json=chat, headers=_bearer(KEYS[1])) as response:
        assert response.status_code == 200
        assert list(response.iter_lines())[-2:] == ["data: [DONE]", ""]
    assert locked.get("/v1/models", headers=_bearer(KEYS[0])).json()["data"][0]["id"] == "clause-qa"


@pytest.mark.parametrize(
    "path", ["/healthz", "/", "/static/app.js", "/static/style.css", "/docs", "/redoc", "/openapi.json"]
)
def test_probe_page_and_docs_stay_open(locked: TestClient, path: str) -> None:
    assert locked.get(path).status_code == 200


def test_the_page_is_open_but_static_traversal_is_not_a_way_in(locked: TestClient) -> None:
    assert locked.get("/static/../api/units").status_code in (401, 404)
    assert locked.get("/static/%2e%2e/api/units").status_code in (401, 404)


def test_keys_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = security.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    keys = ApiKeys(["k1", "k2", "k3"])
    assert keys.match(b"k1") == 0 and keys.match(b"k3") == 2 and keys.match(b"nope") is None
    # Every key compared every time (no early exit), always as equal-length digests.
    assert len(calls) == 9 and {len(a) for a, b in calls} == {len(b) for a, b in calls} == {32}


def test_keys_are_never_logged_or_shown(
    locked: TestClient, service_settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings = service_settings.model_copy(update={"api_keys": SecretStr(",".join(KEYS))})
    with caplog.at_level(logging.DEBUG):
        locked.post("/api/ask", json=ASK, headers=_bearer(KEYS[0]))
        locked.post("/api/ask", json=ASK, headers=_bearer("guessed-" + KEYS[1]))
        locked.get("/api/units", headers={"X-API-Key": KEYS[1].encode()})
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    shown = f"{settings!r} {settings} {ApiKeys(KEYS)!r} {settings.model_dump()}"
    for key in KEYS:
        assert key not in logged and key not in shown
    assert settings.api_key_list == list(KEYS)


def test_openapi_declares_the_keys_when_set(locked: TestClient, client: TestClient) -> None:
    schema = locked.get("/openapi.json").json()
    admin = {"adminBearer", "adminApiKey"}  # always: GET /api/feedback needs an admin key (api.admin)
    assert set(schema["components"]["securitySchemes"]) == {"bearer", "apiKeyHeader", *admin}
    assert "401" in schema["paths"]["/api/ask"]["post"]["responses"]
    assert "security" not in schema["paths"]["/healthz"]["get"]
    open_schema = client.get("/openapi.json").json()
    assert set(open_schema["components"]["securitySchemes"]) == admin


def test_no_keys_means_open(client: TestClient) -> None:
    assert client.post("/api/ask", json=ASK).status_code == 200


# --- CORS -----------------------------------------------------------------------------------------------


def _preflight(client: TestClient, origin: str, headers: str = "authorization,content-type"):
    return client.options(
        "/api/ask",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_cors_is_closed_by_default(client: TestClient) -> None:
    response = client.post("/api/ask", json=ASK, headers={"Origin": ORIGIN})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    preflight = _preflight(client, ORIGIN)
    assert "access-control-allow-origin" not in preflight.headers
    _error(preflight, 400, "cors_refused")  # a CORS answer, not the router's 405 for OPTIONS


def test_cors_allows_every_method_a_route_answers(locked: TestClient) -> None:
    paths = locked.get("/openapi.json", headers=_bearer(KEYS[0])).json()["paths"]
    methods = {method.upper() for item in paths.values() for method in item}
    assert {"GET", "POST"} <= methods
    for method in sorted(methods):
        headers = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
        assert locked.options("/api/ask", headers=headers).status_code == 204, method


def test_cors_allows_only_the_configured_origins(locked: TestClient) -> None:
    allowed = _preflight(locked, ORIGIN)
    assert allowed.status_code == 204 and allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    refused = _preflight(locked, "https://evil.example")
    assert "access-control-allow-origin" not in refused.headers
    _error(refused, 400, "cors_refused")
    # A page on the allowed origin can read a 401, so it can ask for the key.
    response = locked.post("/api/ask", json=ASK, headers={"Origin": ORIGIN})
    assert response.status_code == 401 and response.headers["access-control-allow-origin"] == ORIGIN
    response = locked.post("/api/ask", json=ASK, headers={"Origin": ORIGIN, **_bearer(KEYS[0])})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == ORIGIN
    assert (
        "access-control-allow-origin"
        not in locked.get("/healthz", headers={"Origin": "https://evil.example"}).headers
    )


# --- security headers -----------------------------------------------------------------------------------

HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", "/static/app.js", None),
        ("GET", "/healthz", None),
        ("POST", "/api/ask", ASK),
        ("POST", "/api/ask", {"question": ""}),
        ("GET", "/api/nope", None),
        ("GET", "/openapi.json", None),
    ],
)
def test_security_headers_everywhere(client: TestClient, method: str, path: str, body: dict | None) -> None:
    response = client.request(method, path, json=body)
    assert response.headers["content-security-policy"] == STRICT_CSP
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_security_headers_on_refusals_and_streams(locked: TestClient, service, service_settings) -> None:
    assert locked.post("/api/ask", json=ASK).headers["x-frame-options"] == "DENY"  # 401
    chat = {"messages": [{"role": "user", "content": "机场有什么安排？"}], "stream": True}
    with locked.stream("POST", "/v1/chat/completions", json=chat, headers=_bearer(KEYS[0])) as response:
        assert response.headers["content-security-policy"] == STRICT_CSP
    with _limited(service, service_settings, per_minute=1) as client:
        client.get("/api/units")
        refused = client.get("/api/units")
        assert refused.status_code == 429 and refused.headers["x-content-type-options"] == "nosniff"


def test_page_csp_is_the_strict_one(client: TestClient) -> None:
    csp = client.get("/").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in csp


def test_the_page_has_no_inline_script_or_style_the_csp_would_block(client: TestClient) -> None:
    html = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), "inline style or handler"


def test_docs_get_a_csp_that_lets_them_work(client: TestClient) -> None:
    swagger = client.get("/docs")
    csp = dict(d.strip().split(" ", 1) for d in swagger.headers["content-security-policy"].split(";"))
    hashes = inline_script_hashes(swagger.content)
    assert len(hashes) == 1 and hashes[0] in csp["script-src"]  # the bootstrap script, by hash
    assert "'unsafe-inline'" not in csp["script-src"] and "https://cdn.jsdelivr.net" in csp["script-src"]
    assert csp["connect-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    # Every script and stylesheet the page loads is allowed by the policy.
    for url in re.findall(rb'<script src="([^"]+)"', swagger.content):
        assert url.decode().startswith("https://cdn.jsdelivr.net/")
    redoc = client.get("/redoc")
    redoc_csp = redoc.headers["content-security-policy"]
    assert "worker-src 'self' blob:" in redoc_csp and "frame-ancestors 'none'" in redoc_csp
    assert swagger.headers["x-frame-options"] == redoc.headers["x-frame-options"] == "DENY"


# --- rate limiting --------------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(service, service_settings) -> None:
    with _limited(service, service_settings, per_minute=3) as client:
        assert [client.get("/api/units").status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get("/api/units")
        _error(refused, 429, "rate_limited")
        assert refused.headers["retry-after"] == "20"  # 3 a minute: the next token in 20 s
        assert (
            client.get("/healthz").status_code == 200 and client.get("/").status_code == 200
        )  # never limited


def test_rate_limit_is_per_key_and_failed_guesses_count_against_the_address(
    service, service_settings
) -> None:
    with _limited(service, service_settings, per_minute=2, keys=",".join(KEYS)) as client:
        first, second = _bearer(KEYS[0]), _bearer(KEYS[1])
        assert [client.get("/api/units", headers=first).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/api/units", headers=second).status_code == 200  # another key, its own bucket
        assert [client.get("/api/units", headers=_bearer("guess")).status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]


def test_rate_limit_off_by_default(client: TestClient) -> None:
    assert all(client.get("/api/units").status_code == 200 for _ in range(30))


def test_token_buckets_refill_and_forget() -> None:
    now = [1000.0]
    buckets = TokenBuckets(60, clock=lambda: now[0])  # one a second, bursts of 60
    assert all(buckets.take("a") == 0.0 for _ in range(60))
    assert buckets.take("a") == pytest.approx(1.0)
    now[0] += 0.5
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert buckets.take("a") == 0.0 and buckets.take("b") == 0.0
    now[0] += 61  # both idle for longer than a full refill: forgotten, and full again when they return
    assert buckets.take("c") == 0.0 and len(buckets) == 1


def test_token_buckets_are_bounded_and_thread_safe() -> None:
    buckets = TokenBuckets(100, max_clients=10)
    for n in range(50):
        buckets.take(f"client-{n}")
    assert len(buckets) == 10
    allowed: list[float] = []

    def hammer() -> None:
        allowed.extend(w for w in (buckets.take("shared") for _ in range(50)) if w == 0.0)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 100 <= len(allowed) <= 101  # the burst, plus at most the token refilled meanwhile


# --- access log -----------------------------------------------------------------------------------------


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == access_log.LOGGER_NAME]


def test_access_log_is_json_lines_without_question_or_key(
    locked: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    question = "济南市教育局负责哪些任务？"
    with caplog.at_level(logging.INFO, logger=access_log.LOGGER_NAME):
        locked.post("/api/ask", json={"question": question}, headers=_bearer(KEYS[0]))
        locked.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": "机场？"}]},
            headers=_bearer(KEYS[0]),
        )
        locked.get("/api/search", params={"q": "中欧班列"}, headers=_bearer(KEYS[0]))
        locked.post("/api/ask", json={"question": question})
    ask, chat, search, refused = _access_lines(caplog)
    assert set(ask) == {"time", "method", "path", "status", "latency_ms", "client", "question_chars"}
    assert (ask["method"], ask["path"], ask["status"], ask["question_chars"]) == (
        "POST",
        "/api/ask",
        200,
        len(question),
    )
    assert ask["latency_ms"] > 0 and ask["client"] == "testclient" and ask["time"].endswith("+00:00")
    assert chat["question_chars"] == 3 and chat["path"] == "/v1/chat/completions"
    assert search["path"] == "/api/search" and "question_chars" not in search  # no query string
    assert refused["status"] == 401
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (question, "中欧班列", "机场", KEYS[0]):
        assert secret not in text


def test_access_log_level_is_configurable(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("clause_qa.access.test")
    try:
        access_log.configure("WARNING", logger)
        with caplog.at_level(logging.NOTSET):
            middleware = access_log.AccessLog(app=None, logger=logger)  # type: ignore[arg-type]
            middleware._log({"method": "GET", "path": "/ok", "client": ("1.2.3.4", 1)}, 200, 0.0)
            middleware._log({"method": "GET", "path": "/bad", "client": ("1.2.3.4", 1)}, 503, 0.0)
        paths = [json.loads(r.getMessage())["path"] for r in caplog.records if r.name == logger.name]
        assert paths == ["/bad"]
        assert [r.levelno for r in caplog.records if r.name == logger.name] == [logging.ERROR]
    finally:
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)


# --- limits ---------------------------------------------------------------------------------------------


def test_top_k_limit_follows_the_setting(service, service_settings) -> None:
    settings = service_settings.model_copy(update={"max_top_k": 5})
    with TestClient(create_app(settings, service)) as client:
        _error(client.post("/api/ask", json={**ASK, "top_k": 6}), 422, "top_k_too_large")
        assert client.post("/api/ask", json={**ASK, "top_k": 5}).status_code == 200


def test_body_limit_holds_for_streamed_bodies(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must count what arrives
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 1024
        yield b'"}'

    _error(
        client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"}),
        413,
        "body_too_large",
    )
    _error(
        client.post(
            "/api/ask",
            content=b"{}",
            headers={"content-type": "application/json", "content-length": "99999999"},
        ),
        413,
        "body_too_large",
    )
