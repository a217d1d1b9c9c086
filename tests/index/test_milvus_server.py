"""The Milvus backend over gRPC, against `milvus-lite server` on a loopback port (as a real cluster is
reached): rankings, start-up and mid-request faults, a slow server, and parity with FAISS on the gold set."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import qa.factory
from corpus import Corpus
from index import IndexUnavailable, load_index, open_index, publish_index
from index.backends.milvus import MilvusBackend
from index.backends.milvus_client import MilvusConnection
from qa.cli import main
from qa.settings import Settings

ASK = {"question": "中欧班列由哪些部门负责？"}


def test_the_grpc_path_ranks_as_faiss_does(
    shared_milvus_server, seed_corpus: Corpus, hash_embedder, tmp_path: Path, assert_same_rankings
) -> None:
    backend = MilvusBackend(MilvusConnection(shared_milvus_server.uri, timeout_s=10), "grpc_rankings")
    milvus = open_index(seed_corpus, hash_embedder(), backend, rebuild=True)
    faiss = load_index(seed_corpus, hash_embedder(), tmp_path / "faiss", rebuild=True)
    for mode in ("keyword", "dense", "hybrid"):
        assert_same_rankings(milvus, faiss, mode)
    assert milvus.describe()["index_generation"].startswith("grpc_rankings__g")


@pytest.mark.parametrize(
    "command", [["search", "机场"], ["ask", "谁负责机场？"], ["serve"], ["index", "build"]]
)
def test_an_unreachable_milvus_at_start_is_named_and_exits_2(
    command: list[str], closed_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = f"http://127.0.0.1:{closed_port}"
    monkeypatch.setenv("CLAUSE_QA_INDEX_BACKEND", "milvus")
    monkeypatch.setenv("CLAUSE_QA_MILVUS_URI", uri)
    monkeypatch.setenv("CLAUSE_QA_MILVUS_TIMEOUT_S", "0.5")  # connection attempts are retried for this long
    for where in ("index.commands", "qa.factory"):  # the connection fails before any model is loaded
        monkeypatch.setattr(
            f"{where}.embedder_from_settings", lambda settings: pytest.fail("embedder loaded")
        )
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"clause-qa: error: the index at Milvus at {uri}") and "cannot connect" in err
    assert "Traceback" not in err


@pytest.fixture
def served(milvus_server, caching_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The API on the Milvus backend of a server of its own; the index built at start from cached vectors."""
    monkeypatch.setattr(qa.factory, "embedder_from_settings", lambda settings: caching_embedder)
    from api.app import create_app

    settings = Settings(
        index_backend="milvus",
        milvus_uri=milvus_server.uri,
        milvus_timeout_s=1.0,
        index_refresh_s=0,
        feedback_db=tmp_path / "feedback.sqlite3",
        qa_cache_dir=tmp_path / "qa",
    )
    with TestClient(create_app(settings)) as client:
        yield client, milvus_server


def _answer(client: TestClient) -> tuple[int, dict]:
    response = client.post("/api/ask", json=ASK)
    return response.status_code, response.json()


def _eventually_answered(client: TestClient, within_s: float = 30) -> tuple[int, dict]:
    deadline = time.monotonic() + within_s
    while True:
        status, body = _answer(client)
        if status != 503 or time.monotonic() > deadline:
            return status, body
        time.sleep(0.2)


def test_an_outage_mid_request_is_a_503_and_it_recovers(served) -> None:
    client, server = served
    status, before = _answer(client)
    assert status == 200 and before["answerable"]
    health = client.get("/healthz").json()
    assert health["index_backend"] == "milvus" and health["index_generation"].startswith("clause_qa__g")

    server.stop()
    status, body = _answer(client)
    assert status == 503 and body["error"]["code"] == "index_unavailable"
    assert server.uri in body["error"]["message"]
    assert client.get("/healthz").status_code == 503
    assert client.get("/api/search", params={"q": "机场"}).json()["error"]["code"] == "index_unavailable"

    server.start()  # same port, same data: the collection comes back released and is loaded again
    # The client's gRPC channel reconnects within about a second of the server's return.
    status, after = _eventually_answered(client)
    assert status == 200 and after["answer"] == before["answer"]
    assert client.get("/healthz").json()["index_generation"] == health["index_generation"]


def test_a_slow_milvus_is_bounded_by_the_timeout(served) -> None:
    client, server = served
    assert _answer(client)[0] == 200
    server.freeze()  # accepts connections, never answers
    try:
        started = time.monotonic()
        status, body = _answer(client)
        elapsed = time.monotonic() - started
    finally:
        server.thaw()
    assert status == 503 and "no answer within 1.0 s" in body["error"]["message"]
    # One Milvus call timed out: the request ends then, not when (if ever) Milvus answers.
    assert elapsed < 10
    assert _eventually_answered(client)[0] == 200


def test_a_request_that_hits_an_outage_raises_index_unavailable_in_the_index_layer(
    milvus_server, seed_corpus: Corpus, hash_embedder
) -> None:
    backend = MilvusBackend(MilvusConnection(milvus_server.uri, timeout_s=1.0))
    retriever = open_index(seed_corpus, hash_embedder(), backend, rebuild=True)
    milvus_server.stop()
    for mode in ("keyword", "dense", "hybrid"):
        with pytest.raises(IndexUnavailable, match=f"Milvus at {milvus_server.uri}"):
            retriever.search("机场", 5, mode)
    with pytest.raises(IndexUnavailable):
        publish_index(seed_corpus, hash_embedder(), backend)


def test_healthz_names_the_default_backend_and_its_generation(
    seed_index_dir: Path, caching_embedder, tmp_path: Path
) -> None:
    from api.app import create_app

    settings = Settings(
        index_dir=seed_index_dir,
        rebuild_stale_index=False,
        feedback_db=tmp_path / "feedback.sqlite3",
        qa_cache_dir=tmp_path / "qa",
    )
    service = qa.factory.build_service(settings, caching_embedder)
    with TestClient(create_app(settings, service)) as client:
        health = client.get("/healthz").json()
    assert health["index_backend"] == "faiss"
    assert health["index_generation"] == seed_index_dir.resolve().name
