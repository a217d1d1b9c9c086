"""Several processes on one Milvus: parity with FAISS on the gold set, two API replicas that answer alike
and both follow a rebuild.  Marked slow: they run a sample of the gold set and start server processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corpus import load_corpus
from evaluation.gold import DEFAULT_GOLD, load_gold
from evaluation.runner import run
from index import backend_from_settings, publish_index
from qa.factory import build_service
from qa.settings import Settings

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


# Every third gold question of each split: the parity is checked answer by answer, so a sample tells as
# much as the whole set, at a third of the time (the whole set twice over took 40 s of the suite).
SAMPLE_STRIDE = 3


def test_milvus_answers_the_gold_set_as_faiss_does(
    shared_milvus_server, caching_embedder, seed_index_dir: Path, tmp_path: Path
) -> None:
    """The same first clause and the same refusal, question by question (the same vectors in both backends)."""
    common = {"feedback_db": tmp_path / "feedback.sqlite3", "qa_cache_dir": tmp_path / "qa"}
    faiss = build_service(
        Settings(index_dir=seed_index_dir, rebuild_stale_index=False, **common), caching_embedder
    )
    milvus = build_service(
        Settings(
            index_backend="milvus",
            milvus_uri=shared_milvus_server.uri,
            milvus_collection="parity",
            milvus_timeout_s=10,
            **common,
        ),
        caching_embedder,
        calibration=faiss.calibration,  # one QA layer over two indexes (not a calibration file read twice)
    )
    assert milvus.retriever.describe()["index_backend"] == "milvus"
    questions = load_gold(DEFAULT_GOLD)
    for split in ("dev", "test"):
        chosen = [q for q in questions if q.split == split][::SAMPLE_STRIDE]
        by_faiss = run(faiss, chosen, "hybrid", progress=False)
        by_milvus = run(milvus, chosen, "hybrid", progress=False)
        differing = [f.id for f, m in zip(by_faiss, by_milvus, strict=True) if f.ranked[:1] != m.ranked[:1]]
        assert len(differing) <= 1, (split, differing)  # a near tie of scores may flip one
        assert [r.id for r in by_faiss if not r.answerable] == [r.id for r in by_milvus if not r.answerable], split


class Replica:
    """`clause-qa serve` in a child process, configured by environment as a deployment would be."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, within_s: float = 180) -> dict:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the replica exited with {self.process.returncode}: see {self._log.name}")
            try:
                response = httpx.get(f"{self.url}/healthz", timeout=2)
                if response.status_code == 200:
                    return response.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the replica was not healthy within {within_s} s: see {self._log.name}")

    def log_tail(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")[-2000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


INVENTED = "青檀星桥"  # a word no document has: the rebuilt index must find it


@pytest.fixture
def replicas(
    shared_milvus_server, caching_embedder, corpus_copy: Path, tmp_path: Path, port_finder
) -> Iterator[tuple]:
    """Two replicas on one Milvus and one corpus folder; the index built first, by this process."""
    settings = Settings(
        index_backend="milvus",
        milvus_uri=shared_milvus_server.uri,
        milvus_collection="replicas",
        milvus_timeout_s=10,
        corpus_dir=corpus_copy,
    )
    publish_index(load_corpus(corpus_copy), caching_embedder, backend_from_settings(settings))
    env = {
        **os.environ,
        "CLAUSE_QA_INDEX_BACKEND": "milvus",
        "CLAUSE_QA_MILVUS_URI": shared_milvus_server.uri,
        "CLAUSE_QA_MILVUS_COLLECTION": "replicas",
        "CLAUSE_QA_CORPUS_DIR": str(corpus_copy),
        "CLAUSE_QA_REBUILD_STALE_INDEX": "false",
        "CLAUSE_QA_INDEX_REFRESH_S": "0.5",
        "CLAUSE_QA_ACCESS_LOG_LEVEL": "WARNING",
    }
    started = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            own = {
                **env,
                "CLAUSE_QA_FEEDBACK_DB": str(folder / "feedback.sqlite3"),
                "CLAUSE_QA_QA_CACHE_DIR": str(folder / "qa"),
                "CLAUSE_QA_INDEX_DIR": str(folder / "index"),
            }
            started.append(Replica(own, port_finder(), folder / "server.log"))
        yield started[0], started[1], settings
    finally:
        for replica in started:
            replica.stop()


def _answer(replica: Replica, question: str) -> dict:
    response = httpx.post(f"{replica.url}/api/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("timings_ms", None)
    return body


def _edit_a_clause(corpus_dir: Path) -> None:
    """Put INVENTED into the wording of one clause, in place of characters printed once in its file."""
    corpus = load_corpus(corpus_dir)
    for clause in corpus.clauses:
        source = corpus_dir / clause.source
        text = source.read_text(encoding="utf-8")
        wording = clause.text[:8]
        if len(wording) == 8 and text.count(wording) == 1:
            source.write_text(text.replace(wording, INVENTED + wording[4:]), encoding="utf-8")
            return
    raise AssertionError("no clause wording is printed once")


def test_two_replicas_answer_alike_and_both_follow_a_rebuild(replicas, caching_embedder) -> None:
    first, second, settings = replicas
    backend = backend_from_settings(settings)
    generation = backend.serving()
    for replica in (first, second):
        assert replica.wait_healthy()["index_generation"] == generation
    questions = [q.question for q in load_gold(DEFAULT_GOLD) if not q.history][:12]
    for question in questions:
        assert _answer(first, question) == _answer(second, question), question

    failures: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:  # users asking while the index is rebuilt and swapped under them
        while not stop.is_set():
            for replica in (first, second):
                response = httpx.get(f"{replica.url}/api/search", params={"q": "合作"}, timeout=60)
                if response.status_code != 200:
                    failures.append(f"{replica.url}: {response.status_code} {response.text[:200]}")

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        _edit_a_clause(settings.corpus_dir)  # the shared corpus folder changes; a rebuild is published once
        publish_index(load_corpus(settings.corpus_dir), caching_embedder, backend)
        rebuilt = backend.serving()
        assert rebuilt != generation
        deadline = time.monotonic() + 120  # each replica reloads its corpus and QA warm-up on 2 busy cores
        for replica in (first, second):
            while replica.wait_healthy()["index_generation"] != rebuilt:
                assert time.monotonic() < deadline, f"a replica did not follow the rebuild:\n{replica.log_tail()}"
                time.sleep(0.2)
    finally:
        stop.set()
        asking.join(timeout=120)
    assert failures == []
    for replica in (first, second):
        found = httpx.get(f"{replica.url}/api/search", params={"q": INVENTED, "k": 1}, timeout=60).json()
        assert INVENTED in found["results"][0]["text"]
    for question in questions[:4]:
        assert _answer(first, question) == _answer(second, question), question
