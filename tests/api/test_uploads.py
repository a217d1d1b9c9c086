"""Documents through the API: POST /api/documents (admin), GET, DELETE, GET /api/index/status, rebuilds.

A real service on a real uvicorn, over a corpus folder of one small plan (so that a rebuild costs
seconds), with its own upload folder and index, sharing the session's embedding model.  Every bad
input is a clear 4xx that writes nothing; good documents of each format end up answering questions
with citations, and go again when removed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import SecretStr

from api.access_log import LOGGER_NAME
from api.app import create_app
from api.http_protocol import SERVER_OPTIONS
from qa.factory import build_service
from qa.settings import Settings
from qa.uploads import INDEX_FILE, safe_file_name

_spec = importlib.util.spec_from_file_location("upload_files", Path(__file__).parents[1] / "data" / "uploads.py")
files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(files)

ADMIN = "upload-admin-key-0123"
USER = "upload-user-key-0123"
MAX_UPLOAD = 256 * 1024  # over the JSON body limit (64 KiB), far under the default
REBUILD_TIMEOUT_S = 180


@dataclass
class Server:
    url: str
    app: object
    settings: Settings
    http: httpx.Client

    def wait(self) -> dict:
        """Wait until no rebuild runs or waits; the index status then."""
        assert self.app.state.rebuilder.wait(REBUILD_TIMEOUT_S), "the rebuild did not finish"
        return self.status()

    def status(self) -> dict:
        response = self.http.get("/api/index/status", headers=_user())
        assert response.status_code == 200, response.text
        return response.json()

    def upload(self, name: str, data: bytes, key: str | None = ADMIN, **extra) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.http.post("/api/documents", files={"file": (name, data)}, headers=headers, **extra)

    def remove(self, document_id: str, key: str | None = ADMIN) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.http.delete(f"/api/documents/{document_id}", headers=headers)

    def documents(self) -> list[dict]:
        return self.http.get("/api/documents", headers=_user()).json()["documents"]

    def ask(self, question: str) -> dict:
        response = self.http.post("/api/ask", json={"question": question}, headers=_user())
        assert response.status_code == 200, response.text
        return response.json()


def _user() -> dict[str, str]:
    return {"Authorization": f"Bearer {USER}"}


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return body["error"]["message"]


def start_server(settings: Settings, service) -> tuple[uvicorn.Server, threading.Thread, str, object]:
    """The app on a real uvicorn in a thread, as `clause-qa serve` runs it."""
    app = create_app(settings, service)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **SERVER_OPTIONS))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    return server, thread, f"http://{host}:{port}", app


def small_settings(root: Path, **update) -> Settings:
    """A corpus folder of one small plan and every writable folder under ``root``."""
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "yuxi-2025.txt").write_text(files.CORPUS_PLAN, encoding="utf-8")
    return Settings(
        corpus_dir=corpus, upload_dir=root / "uploads", index_dir=root / "index", qa_cache_dir=root / "qa",
        feedback_db=root / "feedback.sqlite3", **update,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, session_embedder) -> Iterator[Server]:
    settings = small_settings(
        tmp_path_factory.mktemp("uploads-api"), admin_keys=SecretStr(ADMIN), api_keys=SecretStr(USER),
        max_upload_bytes=MAX_UPLOAD,
    )
    uv, thread, url, app = start_server(settings, build_service(settings, session_embedder))
    with httpx.Client(base_url=url, timeout=60) as http:
        yield Server(url, app, settings, http)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def clean(server: Server) -> Iterator[Server]:
    """The server with no upload; whatever a test uploaded is removed after it."""
    server.wait()
    yield server
    server.wait()
    for document in server.documents():
        if document["origin"] == "upload":
            assert server.remove(document["document_id"]).status_code in (202, 404)
    server.wait()
    assert server.settings.upload_dir.is_dir() is False or server.app.state.uploads.names() == []


def _stored(server: Server) -> list[str]:
    return server.app.state.uploads.names()


def _corpus_files(server: Server) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in server.settings.corpus_dir.iterdir()}


# --- keys --------------------------------------------------------------------------------------------


def test_uploads_and_removals_need_an_admin_key(clean: Server, tmp_path: Path, caplog) -> None:
    data = files.TXT_PLAN.encode()
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        _error(clean.upload("plan.txt", data, key=None), 401, "missing_api_key")  # the user-key gate, first
        _error(clean.upload("plan.txt", data, key=USER), 403, "not_admin")
        _error(clean.upload("plan.txt", data, key="guess-" + ADMIN), 401, "invalid_api_key")
        _error(clean.remove("2025分工方案", key=USER), 403, "not_admin")
        _error(clean.http.post("/api/index/rebuild", headers=_user()), 403, "not_admin")
    assert _stored(clean) == []
    audited = [json.loads(r.getMessage()) for r in caplog.records if "action" in r.getMessage()]
    assert [(a["action"], a["outcome"], a["key"]) for a in audited] == [
        ("upload", "not_admin", None), ("remove", "not_admin", None), ("rebuild", "not_admin", None),
    ]


def test_without_user_keys_a_missing_admin_key_is_401_from_the_admin_check(
    tmp_path: Path, session_embedder, server: Server
) -> None:
    from fastapi.testclient import TestClient

    settings = server.settings.model_copy(update={"api_keys": SecretStr("")})
    with TestClient(create_app(settings, server.app.state.service)) as client:
        response = client.post("/api/documents", files={"file": ("plan.txt", b"x")})
        _error(response, 401, "missing_admin_key")
        assert response.headers["www-authenticate"].startswith("Bearer")
        _error(client.delete("/api/documents/x"), 401, "missing_admin_key")


# --- bad input: refused, nothing written ----------------------------------------------------------


def test_a_file_over_the_upload_limit_is_413_declared_or_streamed(clean: Server) -> None:
    big = b"1. " + "任务".encode() * (MAX_UPLOAD // 6 + 10)
    message = _error(clean.upload("big.txt", big), 413, "upload_too_large")
    assert str(MAX_UPLOAD) in message and "CLAUSE_QA_MAX_UPLOAD_BYTES" in message

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as the body streams in
        boundary = b"--b0undary"
        yield boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for start in range(0, len(big), 16384):
            yield big[start : start + 16384]
        yield b"\r\n" + boundary + b"--\r\n"

    response = clean.http.post(
        "/api/documents", content=chunks(),
        headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    _error(response, 413, "upload_too_large")
    # Just over the setting but inside the multipart slack: the file itself is measured.
    _error(clean.upload("edge.txt", b"x" * (MAX_UPLOAD + 1)), 413, "upload_too_large")
    assert _stored(clean) == []


def test_a_document_over_the_json_body_limit_but_under_the_upload_limit_is_accepted(
    clean: Server, tmp_path: Path
) -> None:
    data = files.padded_docx(tmp_path, 100 * 1024)
    assert clean.settings.max_body_bytes < len(data) < MAX_UPLOAD
    response = clean.upload("padded.docx", data)
    assert response.status_code == 202, response.text
    # The JSON routes keep their own limit.
    _error(clean.http.post("/api/ask", content=b"{" + b" " * 70_000 + b"}",
                           headers={"content-type": "application/json", **_user()}), 413, "body_too_large")


@pytest.mark.parametrize(
    ("name", "data"),
    [("plan.exe", b"MZ\x90\x00"), ("plan.xlsx", b"PK\x03\x04"), ("plan", b"1. task"), ("plan.txt.zip", b"PK")],
)
def test_an_unsupported_type_is_415_naming_the_supported_ones(clean: Server, name: str, data: bytes) -> None:
    message = _error(clean.upload(name, data), 415, "unsupported_file_type")
    assert ".docx" in message and ".pdf" in message and ".txt" in message
    assert _stored(clean) == []


def test_a_body_that_is_not_multipart_is_415_and_a_form_without_file_is_422(clean: Server) -> None:
    admin = {"Authorization": f"Bearer {ADMIN}"}
    _error(clean.http.post("/api/documents", json={"file": "x"}, headers=admin), 415, "not_multipart")
    _error(clean.http.post("/api/documents", data={"file": "not a file"}, files={"other": ("a.txt", b"1")},
                           headers=admin), 422, "missing_file")
    no_boundary = {"Content-Type": "multipart/form-data", **admin}
    message = _error(clean.http.post("/api/documents", content=b"--zz\r\n", headers=no_boundary), 400,
                     "invalid_multipart")
    assert "boundary" in message.lower()
    assert _stored(clean) == []


def test_unreadable_corrupt_and_bomb_files_are_422_naming_the_problem(clean: Server, tmp_path: Path) -> None:
    broken_docx, broken_pdf, broken_txt = files.layout_builder().build_unreadable(tmp_path)
    cases = [
        ("plan.docx", broken_docx.read_bytes(), "not a valid .docx"),
        ("plan.pdf", broken_pdf.read_bytes(), "not a readable PDF"),
        ("plan.txt", broken_txt.read_bytes(), "not UTF-8 or GB18030"),
        ("plan.docx", files.zip_bomb(), "compression bomb"),
        ("plan.docx", files.TXT_PLAN.encode(), "not a zip archive"),  # text in .docx clothing
        ("scan.pdf", files.pdf_without_text(tmp_path), "no text layer"),
        ("plan.txt", b"\x00\x01binary" * 10, "binary data"),
    ]
    for name, data, problem in cases:
        message = _error(clean.upload(name, data), 422, "unreadable_file")
        assert message.startswith(name) and problem in message, message
    _error(clean.upload("empty.txt", b""), 422, "empty_file")
    message = _error(clean.upload("meeting.txt", files.NO_TASKS.encode()), 422, "no_items")
    assert "nothing was stored" in message
    assert _stored(clean) == []


def test_a_corpus_document_uploaded_again_is_409_naming_it(clean: Server) -> None:
    corpus_text = files.CORPUS_PLAN.encode("gb18030")  # other bytes, same text: still the same document
    message = _error(clean.upload("copy.txt", corpus_text), 409, "duplicate_document")
    assert "yuxi-2025.txt" in message and "2025分工方案" in message
    assert _stored(clean) == []


NASTY_NAMES = ["", ".", "..", "/", "\\", "../" * 20, "CON", "a\nb", "\x00" * 5, "🚄" * 80, "%2e%2e%2f", '"; x="']
# What a client can send: a lone surrogate is not UTF-8, so no HTTP client encodes one into a file name.
NAME_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


@hypothesis_settings(
    max_examples=30, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.one_of(NAME_TEXT, st.sampled_from(NASTY_NAMES)),
    suffix=st.sampled_from(["", ".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".exe", ".DOCX"]),
    data=st.one_of(st.binary(max_size=4096), st.text(max_size=400).map(str.encode), st.just(b"PK\x03\x04" * 50)),
)
def test_any_name_and_bytes_get_a_clear_answer(clean: Server, name: str, suffix: str, data: bytes) -> None:
    response = clean.upload(name + suffix, data)
    assert response.status_code in (202, 400, 409, 413, 415, 422), response.text
    body = response.json()
    if response.status_code == 202:  # unlikely from random bytes: a document after all
        assert "/" not in body["file"].removeprefix("uploads/")
        clean.wait()
        for document_id in body["document_ids"]:
            clean.remove(document_id)
    else:
        assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    assert all("/" not in n and not n.startswith(".") for n in _stored(clean))


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/var/lib/clause-qa/corpus/plan.txt", "plan.txt"),
        ("C:\\Users\\zhang\\Desktop\\分工方案.docx", "分工方案.docx"),
        ("..\\..\\windows\\plan.pdf", "plan.pdf"),
        ("pl\x00an.txt", "plan.txt"),
        ("\u202eplan\u200b.txt", "plan.txt"),
        ("..", "upload"),
        ("...txt", "txt"),
        (".hidden.txt", "hidden.txt"),
        ("a:b*c?.md", "a_b_c_.md"),
        ("  spaced   name .txt ", "spaced name .txt"),
        ("长" * 200 + ".docx", "长" * 65 + ".docx"),  # 200 bytes of UTF-8 at most
        (None, "upload"),
    ],
    ids=range(13),
)
def test_file_names_are_reduced_to_a_plain_name(sent: str | None, kept: str) -> None:
    assert safe_file_name(sent) == kept
    assert len(safe_file_name(sent).encode()) <= 200


def test_a_path_in_the_uploaded_name_stays_inside_the_upload_folder(clean: Server) -> None:
    before = _corpus_files(clean)
    outside = sorted(p.name for p in clean.settings.upload_dir.parent.iterdir())
    # Raw multipart, as a hostile client sends it (httpx would percent-encode the NUL): dots, both slashes, NUL.
    sent = "../corpus/..\\..\\/tmp/\x00songling.txt"
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="' + sent.encode() + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + files.TXT_PLAN.encode() + b"\r\n--b0undary--\r\n"
    )
    response = clean.http.post(
        "/api/documents", content=body,
        headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["file"] == "uploads/songling.txt" and body["sent_name"].startswith("../corpus/")
    assert _stored(clean) == ["songling.txt"]
    assert _corpus_files(clean) == before  # the corpus folder is never written
    assert sorted(p.name for p in clean.settings.upload_dir.parent.iterdir()) == outside


# --- the happy paths ---------------------------------------------------------------------------------


def test_a_docx_a_txt_and_a_pdf_are_parsed_indexed_answered_and_removed(
    clean: Server, tmp_path: Path, caplog
) -> None:
    uploads = [
        ("shiwan-2024-table.docx", files.docx_bytes(tmp_path), files.DOCX_QUESTION, files.DOCX_WORDS, "docx"),
        ("songling-2025.txt", files.TXT_PLAN.encode(), files.TXT_QUESTION, files.TXT_WORDS, "txt"),
        ("daishan-2023-trailing.pdf", files.pdf_bytes(tmp_path), files.PDF_QUESTION, files.PDF_WORDS, "pdf"),
    ]
    for _, _, question, words, _ in uploads:  # not in the corpus yet: the service says so
        assert not any(words in c["text"] for c in clean.ask(question)["citations"])
    accepted = {}
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        for name, data, *_ in uploads:
            response = clean.upload(name, data)
            assert response.status_code == 202, response.text
            accepted[name] = response.json()
        status = clean.wait()
    assert status["last_error"] is None and status["building"] is False

    for name, *_ , fmt in uploads:
        body = accepted[name]
        assert body["file"] == f"uploads/{name}"
        (document,) = body["documents"]
        assert body["document_ids"] == [document["document_id"]]
        report = document["report"]
        assert document["clause_count"] == report["items"] > 0 and document["source"]["format"] == fmt
        assert report["items_without_responsibility"] >= 0 and isinstance(report["warnings"], list)
        assert document["origin"] == "upload" and document["uploaded_at"]
    # The pdf's 4th item names no lead unit, the docx's merged cell is read: what the parser said shows.
    pdf_report = accepted["daishan-2023-trailing.pdf"]["documents"][0]["report"]
    assert pdf_report["items"] == 5

    listed = {d["document_id"]: d for d in clean.documents()}
    for name, *_ in uploads:
        for document_id in accepted[name]["document_ids"]:
            assert listed[document_id]["origin"] == "upload"
            assert listed[document_id]["source"]["file"] == f"uploads/{name}"
            assert listed[document_id]["clause_count"] == accepted[name]["documents"][0]["clause_count"]
    assert [d["origin"] for d in listed.values()].count("corpus") == 1

    for name, _, question, words, _ in uploads:
        answer = clean.ask(question)
        (document_id,) = accepted[name]["document_ids"]
        assert answer["answerable"], answer
        cited = [c for c in answer["citations"] if c["document_id"] == document_id]
        assert cited and words in cited[0]["text"], answer
        assert cited[0]["marker"] in answer["answer"]

    key_id = hashlib.sha256(ADMIN.encode()).hexdigest()[:8]
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER_NAME]
    audited = [line for line in lines if "action" in line]
    assert [(a["action"], a["outcome"]) for a in audited if a["action"] == "upload"] == [("upload", "accepted")] * 3
    rebuilt = [a for a in audited if a["action"] == "rebuild"]
    assert rebuilt and all(a["outcome"] == "ok" for a in rebuilt)
    assert sorted(d for a in rebuilt for d in a["document"]) == sorted(f"upload uploads/{n}" for n, *_ in uploads)
    for line in audited:
        assert line["key"] == key_id and set(line) >= {"time", "action", "document", "key", "outcome"}
    assert ADMIN not in caplog.text

    # Remove them: 202, and once rebuilt, the answers no longer cite them and the ids are unknown.
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        for name, *_ in uploads:
            (document_id,) = accepted[name]["document_ids"]
            response = clean.remove(document_id)
            assert response.status_code == 202, response.text
            assert response.json()["file"] == f"uploads/{name}"
        _error(clean.remove(accepted[uploads[0][0]]["document_ids"][0]), 404, "already_removed")
        clean.wait()
    removals = [json.loads(r.getMessage()) for r in caplog.records if '"action": "remove"' in r.getMessage()]
    assert [r["outcome"] for r in removals] == ["removed"] * 3 + ["already_removed"]
    assert _stored(clean) == []
    for name, _, question, words, _ in uploads:
        (document_id,) = accepted[name]["document_ids"]
        assert not any(c["document_id"] == document_id for c in clean.ask(question)["citations"])
        _error(clean.http.get(f"/api/documents/{document_id}", headers=_user()), 404, "unknown_document")


def test_the_same_upload_twice_is_409_naming_the_first_before_and_after_indexing(clean: Server) -> None:
    first = clean.upload("songling.txt", files.TXT_PLAN.encode())
    assert first.status_code == 202, first.text
    pending = _error(clean.upload("again.txt", files.TXT_PLAN.encode()), 409, "duplicate_document")
    assert "uploads/songling.txt" in pending and "not yet indexed" in pending
    clean.wait()
    indexed = _error(clean.upload("again.txt", ("\ufeff" + files.TXT_PLAN).encode()), 409, "duplicate_document")
    (document_id,) = first.json()["document_ids"]
    assert "uploads/songling.txt" in indexed and document_id in indexed
    assert _stored(clean) == ["songling.txt"]


def test_two_uploads_at_once_both_end_up_in(clean: Server, tmp_path: Path) -> None:
    # The same file name, different documents, sent at the same moment from two threads.
    bodies = [files.TXT_PLAN.encode(), files.docx_bytes(tmp_path)]
    names = ["plan.txt", "plan.docx"]
    barrier = threading.Barrier(4)
    results: dict[int, httpx.Response] = {}

    def send(n: int) -> None:
        with httpx.Client(base_url=clean.url, timeout=60) as http:
            barrier.wait()
            results[n] = http.post(
                "/api/documents", files={"file": (names[n % 2], bodies[n % 2])},
                headers={"Authorization": f"Bearer {ADMIN}"},
            )

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]  # each document twice
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in results.values())
    assert codes == [202, 202, 409, 409], [r.text for r in results.values()]
    status = clean.wait()
    assert status["last_error"] is None
    accepted = [r.json() for r in results.values() if r.status_code == 202]
    assert sorted(a["file"] for a in accepted) == ["uploads/plan.docx", "uploads/plan.txt"]
    listed = {d["document_id"] for d in clean.documents()}
    assert {i for a in accepted for i in a["document_ids"]} <= listed
    assert json.loads((clean.settings.upload_dir / INDEX_FILE).read_text()).keys() == {"plan.docx", "plan.txt"}


def test_the_same_name_twice_keeps_both_files(clean: Server, tmp_path: Path) -> None:
    assert clean.upload("plan.txt", files.TXT_PLAN.encode()).status_code == 202
    second = clean.upload("plan.txt", files.CORPUS_PLAN.replace("榆溪", "柳溪").encode())
    assert second.status_code == 202 and second.json()["file"] == "uploads/plan-2.txt"
    assert _stored(clean) == ["plan-2.txt", "plan.txt"]


def test_an_upload_that_collides_with_a_loaded_id_says_which_ids_change(clean: Server) -> None:
    # Another county's 2025 分工方案: both documents get their issuer's name in their ids.
    response = clean.upload("songling.txt", files.TXT_PLAN.encode())
    assert response.status_code == 202
    body = response.json()
    assert body["document_ids"] == ["2025松岭县分工方案"]
    assert body["renamed"] == [{"document_id": "2025分工方案", "becomes": "2025榆溪县分工方案"}]
    clean.wait()
    assert {d["document_id"] for d in clean.documents()} == {"2025松岭县分工方案", "2025榆溪县分工方案"}


# --- removal -----------------------------------------------------------------------------------------


def test_documents_of_the_corpus_folder_cannot_be_removed(clean: Server) -> None:
    (corpus_document,) = [d["document_id"] for d in clean.documents()]
    message = _error(clean.remove(corpus_document), 409, "read_only_document")
    assert "read-only corpus folder" in message and "yuxi-2025.txt" in message
    _error(clean.remove("2031没有的方案"), 404, "unknown_document")
    assert (clean.settings.corpus_dir / "yuxi-2025.txt").read_text(encoding="utf-8") == files.CORPUS_PLAN


def test_an_upload_can_be_removed_before_it_is_indexed(clean: Server) -> None:
    response = clean.upload("songling.txt", files.TXT_PLAN.encode())
    (document_id,) = response.json()["document_ids"]
    removed = clean.remove(document_id)  # the rebuild that takes it in may still be running
    assert removed.status_code == 202, removed.text
    clean.wait()
    assert document_id not in {d["document_id"] for d in clean.documents()}
    assert _stored(clean) == []


# --- the schema ------------------------------------------------------------------------------------


def test_the_schema_declares_the_upload_form_and_the_admin_key(clean: Server) -> None:
    schema = clean.http.get("/openapi.json").json()
    upload = schema["paths"]["/api/documents"]["post"]
    assert upload["requestBody"]["content"]["multipart/form-data"]["schema"]["required"] == ["file"]
    assert {"adminBearer", "adminApiKey"} <= {name for item in upload["security"] for name in item}
    assert {"202", "401", "403", "409", "413", "415", "422"} <= set(upload["responses"])
    assert "delete" in schema["paths"]["/api/documents/{document_id}"]
    assert "/api/index/status" in schema["paths"]


# --- rebuilds under load, and rebuilds that fail (a service of their own each) ---------------------------


@pytest.fixture
def fresh_server(tmp_path: Path, session_embedder) -> Iterator[Server]:
    settings = small_settings(tmp_path, admin_keys=SecretStr(ADMIN))
    uv, thread, url, app = start_server(settings, build_service(settings, session_embedder))
    with httpx.Client(base_url=url, timeout=60) as http:
        yield Server(url, app, settings, http)
    uv.should_exit = True
    thread.join(timeout=10)


def test_questions_asked_during_a_rebuild_are_answered_from_the_previous_generation(
    fresh_server: Server, tmp_path: Path
) -> None:
    server = fresh_server
    before = server.status()["generation"]
    question = "新建第二实验幼儿园由哪个单位牵头？"  # a task of the corpus plan: answerable before, during, after
    stop = threading.Event()
    answers: list[tuple[int, bool, str | None]] = []  # (status, building when asked, generation when asked)

    def ask() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while not stop.is_set():
                status = http.get("/api/index/status").json()
                response = http.post("/api/ask", json={"question": question})
                answers.append((response.status_code, status["building"], status["generation"]))
                if response.status_code == 200:
                    assert response.json()["answerable"], response.text

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for asker in askers:
        asker.start()
    try:
        time.sleep(0.5)
        for name, data in (("shiwan.docx", files.docx_bytes(tmp_path)), ("songling.txt", files.TXT_PLAN.encode())):
            assert server.upload(name, data).status_code == 202
        status = server.wait()
        deadline = time.monotonic() + 60
        while not any(generation == status["generation"] for _, _, generation in answers):
            assert time.monotonic() < deadline, "no question was answered by the new generation"
            time.sleep(0.1)
    finally:
        stop.set()
        for asker in askers:
            asker.join(timeout=60)
    assert {code for code, _, _ in answers} == {200}, answers
    assert any(building for _, building, _ in answers), "no question was asked while the index was rebuilt"
    assert status["generation"] != before and status["last_error"] is None
    assert {generation for _, _, generation in answers} >= {before, status["generation"]}
    assert server.ask(files.DOCX_QUESTION)["answerable"]


def test_a_failed_rebuild_keeps_the_previous_generation_serving_and_says_why(fresh_server: Server) -> None:
    server = fresh_server
    index_dir = server.settings.index_dir
    before = server.status()
    served = index_dir.resolve()
    # Someone replaced the index folder with a folder of their own: publishing there would destroy it.
    os.unlink(index_dir)
    index_dir.mkdir()
    (index_dir / "notes.txt").write_text("not an index", encoding="utf-8")

    response = server.upload("songling.txt", files.TXT_PLAN.encode())
    assert response.status_code == 202
    status = server.wait()
    assert status["generation"] == before["generation"] and status["builds"] == before["builds"] + 1
    assert "is not an index folder" in status["last_error"] and status["last_error_at"]
    assert status["documents"] == before["documents"]
    assert server.ask("新建第二实验幼儿园由哪个单位牵头？")["answerable"]  # the old generation answers
    assert [d["origin"] for d in server.documents()] == ["corpus"]
    assert (index_dir / "notes.txt").exists()  # and nothing of theirs was deleted

    # Put the index back and ask for a rebuild: the stored upload is taken in, the error clears.
    (index_dir / "notes.txt").unlink()
    index_dir.rmdir()
    os.symlink(served.name, index_dir)
    again = server.http.post("/api/index/rebuild", headers={"Authorization": f"Bearer {ADMIN}"})
    assert again.status_code == 202 and again.json()["building"] is True
    status = server.wait()
    assert status["last_error"] is None and status["generation"] != before["generation"]
    (document_id,) = response.json()["document_ids"]
    assert document_id in {d["document_id"] for d in server.documents()}
