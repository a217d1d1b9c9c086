"""POST /api/feedback (anyone who may ask) and GET /api/feedback (admin keys only): every bad input is a
clear 4xx in the JSON error shape, the admin key is a security dependency the schema declares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from api.app import create_app
from api.schemas import MAX_TURN_CHARS
from qa.settings import Settings

ADMIN = "admin-key-0123456789"
USER = "user-key-0123456789"
AIRPORT = "飞机场有什么建设安排？"


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"], body
    return body["error"]


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _app(service, service_settings, tmp_path: Path, **update) -> TestClient:
    settings = service_settings.model_copy(update={"feedback_db": tmp_path / "feedback.sqlite3", **update})
    return TestClient(create_app(settings, service))


@pytest.fixture
def open_service(service, service_settings, tmp_path: Path) -> Iterator[TestClient]:
    """No user keys, one admin key, a fresh feedback file."""
    with _app(service, service_settings, tmp_path, admin_keys=SecretStr(ADMIN)) as client:
        yield client


@pytest.fixture
def locked_service(service, service_settings, tmp_path: Path) -> Iterator[TestClient]:
    """User keys and an admin key."""
    with _app(service, service_settings, tmp_path, api_keys=SecretStr(USER), admin_keys=SecretStr(ADMIN)) as client:
        yield client


@pytest.fixture(scope="module")
def answer(service) -> dict:
    from qa.serialise import answer_to_dict

    return answer_to_dict(service.ask(AIRPORT))


def _vote(asked: dict, **changes) -> dict:
    """The vote the page sends on the answer ``asked``, with ``changes``."""
    vote = {
        "rating": "up", "question": asked["question"], "answer": asked["answer"],
        "answerable": asked["answerable"], "question_type": asked["question_type"],
        "citations": [c["clause_id"] for c in asked["citations"]],
    }
    return {**vote, **changes}


# --- the round trip ---------------------------------------------------------------------------------------


def test_a_vote_is_stored_and_admins_list_it_newest_first(open_service: TestClient, answer: dict) -> None:
    first = open_service.post("/api/feedback", json=_vote(answer, note="  有用  "))
    assert first.status_code == 201, first.text
    stored = first.json()
    assert stored["note"] == "有用" and stored["rating"] == "up" and stored["citations"] == _vote(answer)["citations"]
    second = open_service.post("/api/feedback", json=_vote(answer, rating="down", history=["上一个问题"]))
    assert second.status_code == 201
    listing = open_service.get("/api/feedback", headers=_bearer(ADMIN)).json()
    assert listing["count"] == 2
    assert [f["id"] for f in listing["feedback"]] == [second.json()["id"], stored["id"]]
    assert listing["feedback"][0]["history"] == ["上一个问题"]
    down = open_service.get("/api/feedback", params={"rating": "down"}, headers=_bearer(ADMIN)).json()
    assert down["count"] == 1 and down["feedback"][0]["rating"] == "down"
    page = open_service.get("/api/feedback", params={"limit": 1, "offset": 1}, headers=_bearer(ADMIN)).json()
    assert page["count"] == 2 and [f["id"] for f in page["feedback"]] == [stored["id"]]


def test_before_the_first_vote_the_list_is_empty(open_service: TestClient) -> None:
    assert open_service.get("/api/feedback", headers=_bearer(ADMIN)).json() == {"count": 0, "feedback": []}


def test_a_refusal_can_be_voted_on(open_service: TestClient, service) -> None:
    from qa.serialise import answer_to_dict

    refusal = answer_to_dict(service.ask("明天天气怎么样？"))
    assert refusal["answerable"] is False
    assert open_service.post("/api/feedback", json=_vote(refusal, rating="down")).status_code == 201


# --- bad input --------------------------------------------------------------------------------------------

LONG = "问" * 501


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"rating": "meh"}, "invalid_request"),
        ({"rating": None}, "invalid_request"),
        ({"question": ""}, "empty_question"),
        ({"question": " \u3000\n"}, "empty_question"),
        ({"question": LONG}, "question_too_long"),
        ({"question": 5}, "invalid_request"),
        ({"answer": ""}, "empty_answer"),
        ({"answer": " \n"}, "empty_answer"),
        ({"answer": "答" * 16_001}, "invalid_request"),
        ({"answerable": "perhaps"}, "invalid_request"),
        ({"question_type": "poetry"}, "invalid_request"),
        ({"citations": "分工方案-1"}, "invalid_request"),
        ({"citations": [f"x-{i}" for i in range(51)]}, "invalid_request"),
        ({"note": "注" * 2001}, "invalid_request"),
        ({"history": "一个问题"}, "invalid_request"),
        ({"history": ["问"] * 21}, "history_too_long"),
        ({"history": ["问" * (MAX_TURN_CHARS + 1)]}, "invalid_request"),
    ],
    ids=lambda v: json.dumps(v, ensure_ascii=False)[:30] if isinstance(v, dict) else v,
)
def test_bad_votes_are_422_naming_the_problem(open_service: TestClient, answer: dict, changes: dict, code: str) -> None:
    _error(open_service.post("/api/feedback", json=_vote(answer, **changes)), 422, code)
    assert open_service.get("/api/feedback", headers=_bearer(ADMIN)).json()["count"] == 0  # nothing written


def test_a_citation_the_documents_do_not_have_is_404(open_service: TestClient, answer: dict) -> None:
    vote = _vote(answer, citations=[*_vote(answer)["citations"], "no-such-clause"])
    error = _error(open_service.post("/api/feedback", json=vote), 404, "unknown_clause")
    assert "no-such-clause" in error["message"]
    assert open_service.get("/api/feedback", headers=_bearer(ADMIN)).json()["count"] == 0


@pytest.mark.parametrize("missing", ["rating", "question", "answer", "answerable", "question_type"])
def test_a_vote_without_a_required_field_is_422(open_service: TestClient, answer: dict, missing: str) -> None:
    vote = _vote(answer)
    del vote[missing]
    error = _error(open_service.post("/api/feedback", json=vote), 422, "invalid_request")
    assert error["details"][0]["field"] == missing


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"[]", b'"up"', b"\xff\xfe", '{"rating": "up", "question": "\ud800"}'.encode("utf-8", "surrogatepass")],
    ids=range(6),
)
def test_broken_bodies_are_4xx(open_service: TestClient, raw: bytes) -> None:
    response = open_service.post("/api/feedback", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500 and set(response.json()) == {"error"}


def test_a_lone_surrogate_in_the_note_is_422(open_service: TestClient, answer: dict) -> None:
    body = json.dumps(_vote(answer, note="\ud800")).encode()  # json.dumps escapes it, as a client would
    response = open_service.post("/api/feedback", content=body, headers={"content-type": "application/json"})
    _error(response, 422, "invalid_request")


def test_a_body_over_the_limit_is_413(open_service: TestClient, answer: dict) -> None:
    _error(open_service.post("/api/feedback", json=_vote(answer, note="注" * 30_000)), 413, "body_too_large")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "query.limit"), ({"limit": 501}, "query.limit"), ({"limit": "many"}, "query.limit"),
     ({"offset": -1}, "query.offset"), ({"rating": "sideways"}, "query.rating")],
)
def test_bad_list_parameters_are_422(open_service: TestClient, params: dict, field: str) -> None:
    error = _error(open_service.get("/api/feedback", params=params, headers=_bearer(ADMIN)), 422, "invalid_request")
    assert error["details"][0]["field"] == field


def test_an_unusable_feedback_file_is_503_not_a_traceback(service, service_settings, tmp_path: Path, answer) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = service_settings.model_copy(update={"feedback_db": blocker / "feedback.sqlite3"})
    with TestClient(create_app(settings, service)) as client:
        _error(client.post("/api/feedback", json=_vote(answer)), 503, "feedback_unavailable")


# --- admin keys -------------------------------------------------------------------------------------------


def test_without_admin_keys_the_list_is_closed_to_everyone(service, service_settings, tmp_path: Path) -> None:
    with _app(service, service_settings, tmp_path) as client:
        _error(client.get("/api/feedback", headers=_bearer(ADMIN)), 403, "admin_disabled")
        _error(client.get("/api/feedback"), 403, "admin_disabled")


def test_no_key_is_401_with_a_challenge(open_service: TestClient) -> None:
    response = open_service.get("/api/feedback")
    _error(response, 401, "missing_admin_key")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [_bearer("wrong"), _bearer(ADMIN + "x"), _bearer(ADMIN[:-1]), {"X-API-Key": "wrong"}, {"Authorization": f"Basic {ADMIN}"}],
    ids=["wrong", "longer", "shorter", "x-api-key", "basic"],
)
def test_a_wrong_key_is_401(open_service: TestClient, headers: dict) -> None:
    code = "missing_admin_key" if headers.get("Authorization", "").startswith("Basic") else "invalid_admin_key"
    _error(open_service.get("/api/feedback", headers=headers), 401, code)


def test_a_user_key_is_403_and_an_admin_key_in_either_header_is_200(locked_service: TestClient) -> None:
    _error(locked_service.get("/api/feedback", headers=_bearer(USER)), 403, "not_admin")
    assert locked_service.get("/api/feedback", headers=_bearer(ADMIN)).status_code == 200
    assert locked_service.get("/api/feedback", headers={"X-API-Key": ADMIN}).status_code == 200


def test_with_user_keys_voting_needs_a_key_and_an_admin_key_opens_the_user_paths(
    locked_service: TestClient, answer: dict
) -> None:
    _error(locked_service.post("/api/feedback", json=_vote(answer)), 401, "missing_api_key")
    assert locked_service.post("/api/feedback", json=_vote(answer), headers=_bearer(USER)).status_code == 201
    assert locked_service.post("/api/ask", json={"question": AIRPORT}, headers=_bearer(ADMIN)).status_code == 200


def test_the_schema_says_which_operations_need_which_key(locked_service: TestClient, open_service: TestClient) -> None:
    for client in (locked_service, open_service):
        schema = client.get("/openapi.json").json()
        listing = schema["paths"]["/api/feedback"]["get"]
        assert listing["security"] == [{"adminBearer": []}, {"adminApiKey": []}]
        assert {"401", "403"} <= set(listing["responses"])
        schemes = schema["components"]["securitySchemes"]
        assert schemes["adminBearer"]["scheme"] == "bearer" and "CLAUSE_QA_ADMIN_KEYS" in schemes["adminBearer"]["description"]
    vote = locked_service.get("/openapi.json").json()["paths"]["/api/feedback"]["post"]
    assert vote["security"] == [{"bearer": []}, {"apiKeyHeader": []}]


def test_a_key_cannot_be_both_a_user_key_and_an_admin_key() -> None:
    with pytest.raises(ValidationError, match="both CLAUSE_QA_API_KEYS and CLAUSE_QA_ADMIN_KEYS"):
        Settings(api_keys=SecretStr(f"a,{ADMIN}"), admin_keys=SecretStr(ADMIN))


def test_the_feedback_file_defaults_to_var_under_the_working_directory() -> None:
    assert Settings.model_fields["feedback_db"].default == Path("var") / "feedback.sqlite3"
