"""Start-up against a missing, stale, truncated or corrupt index: rebuilt, or refused with a message naming
what to run; never served wrong.  The corpus is only ever read.  A rebuild while serving never shows a
reader a half-written index.

Each test starts the real app (create_app + lifespan, or the CLI) on a copy of the corpus and an index
folder of its own.  The embedder is the session's real one, wrapped in a passage cache seeded from the
session's index, so a rebuild costs tokenising and indexing rather than re-embedding 96 unchanged clauses;
the vectors are the model's own, and an edited clause is embedded afresh.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

import qa.factory
from api.app import create_app
from corpus import load_corpus
from index import StaleIndex, build_index, load_index
from index.build import CLAUSE_IDS_FILE, DENSE_FILE, index_spec, indexed_text
from index.dense import DenseIndex
from index.store import read_index
from index.tokenizer import ChineseTokenizer
from qa.cli import main as cli_main
from qa.settings import Settings

QUESTION = {"question": "中欧班列由哪些部门负责？"}
ORIGINAL = "齐鲁号中欧班列集结中心"
EDITED = "齐鲁号中欧班列集结中心和海铁联运基地"


class CachedPassages:
    """The real embedder; passages it has embedded once are served from memory."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def seed(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._cache.update(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.inner.embed_passages(missing)
            with self._lock:
                self._cache.update(zip(missing, vectors, strict=True))
        with self._lock:
            return np.stack([self._cache[t] for t in texts]) if texts else self.inner.embed_passages([])


@pytest.fixture(scope="module")
def embedder(service, service_settings) -> CachedPassages:
    """Seeded with the vectors of the session's index, which this same model made from these same texts."""
    cached = CachedPassages(service.retriever.embedder)
    generation, _ = read_index(service_settings.index_dir)
    dense = DenseIndex.load(generation / DENSE_FILE)
    ids = json.loads((generation / CLAUSE_IDS_FILE).read_text(encoding="utf-8"))
    cached.seed({indexed_text(service.corpus.clause(cid)): dense.vector(n) for n, cid in enumerate(ids)})
    return cached


@pytest.fixture(autouse=True)
def _same_embedder(monkeypatch: pytest.MonkeyPatch, embedder: CachedPassages) -> None:
    monkeypatch.setattr(qa.factory, "embedder_from_settings", lambda settings: embedder)


@pytest.fixture
def make_settings(tmp_path: Path, corpus_copy: Path) -> Callable[[bool], Settings]:
    def make(rebuild: bool) -> Settings:
        return Settings(
            corpus_dir=corpus_copy, index_dir=tmp_path / "var" / "index", rebuild_stale_index=rebuild
        )

    return make


@pytest.fixture
def built(make_settings) -> Path:
    """An index built for the corpus copy, by a first start."""
    settings = make_settings(True)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    return settings.index_dir


def _edit_corpus(corpus_copy: Path) -> None:
    source = next(corpus_copy.glob("*.txt"))
    text = source.read_text(encoding="utf-8")
    assert ORIGINAL in text
    source.write_text(text.replace(ORIGINAL, EDITED, 1), encoding="utf-8")


def _truncate_dense(index_dir: Path) -> None:
    dense = index_dir / "dense.faiss"
    data = dense.read_bytes()
    dense.write_bytes(data[: len(data) // 2])


def _garble_manifest(index_dir: Path) -> None:
    (index_dir / "manifest.json").write_bytes(b'{"schema_version": 1, "spec": \x00\xff garbage')


def _remove_keyword(index_dir: Path) -> None:
    (index_dir / "keyword.npz").unlink()


def _assert_serves_the_corpus(client: TestClient, settings: Settings) -> None:
    """Healthy, answering, and the index on disk is the one built from this corpus."""
    assert client.get("/healthz").json()["clauses"] == 96
    body = client.post("/api/ask", json=QUESTION).json()
    assert body["answerable"] and body["citations"][0]["clause_id"] in {"2023分工方案-18", "2023工作要点-14"}
    corpus = load_corpus(settings.corpus_dir)
    for citation in body["citations"]:
        assert citation["text"] == corpus.clause(citation["clause_id"]).text
    _, manifest = read_index(settings.index_dir)
    current = index_spec(
        corpus, qa.factory.embedder_from_settings(settings), ChineseTokenizer.for_corpus(corpus)
    )
    assert manifest.spec.differences(current) == []


# --- missing, stale, truncated, corrupt ----------------------------------------------------------------

FAULTS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "missing": (lambda index_dir, corpus_copy: None, "no index has been built there"),
    "stale": (lambda index_dir, corpus_copy: _edit_corpus(corpus_copy), "the corpus changed since the build"),
    "truncated": (lambda index_dir, corpus_copy: _truncate_dense(index_dir), "dense.faiss is damaged"),
    "corrupt-manifest": (lambda index_dir, corpus_copy: _garble_manifest(index_dir), "not a valid manifest"),
    "missing-file": (lambda index_dir, corpus_copy: _remove_keyword(index_dir), "keyword.npz is missing"),
}


@pytest.fixture(params=sorted(FAULTS))
def damaged(request: pytest.FixtureRequest, make_settings, corpus_copy: Path) -> tuple[str, str]:
    """Each fault applied: to nothing (missing) or to an index a first start built."""
    damage, problem = FAULTS[request.param]
    if request.param != "missing":
        request.getfixturevalue("built")
    damage(make_settings(True).index_dir, corpus_copy)
    return request.param, problem


def test_a_bad_index_is_refused_with_what_to_run(damaged: tuple[str, str], make_settings) -> None:
    fault, problem = damaged
    with pytest.raises(StaleIndex) as refused, TestClient(create_app(make_settings(False))):
        pytest.fail(f"served a {fault} index")
    message = str(refused.value)
    assert (
        problem in message
        and "clause-qa index build" in message
        and "CLAUSE_QA_REBUILD_STALE_INDEX" in message
    )


def test_a_bad_index_is_rebuilt_and_answers_right(damaged: tuple[str, str], make_settings) -> None:
    settings = make_settings(True)
    with TestClient(create_app(settings)) as client:
        _assert_serves_the_corpus(client, settings)
        if damaged[0] == "stale":  # the edited wording is what is served, and searchable
            clause = client.get("/api/clauses/2023分工方案-18").json()
            assert "海铁联运基地" in clause["text"]
            hits = client.get("/api/search", params={"q": "海铁联运基地", "k": 3}).json()["results"]
            assert hits[0]["clause_id"] == "2023分工方案-18" and hits[0]["ranks"]["keyword"] == 1


def test_serve_refuses_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    make_settings,
    built: Path,
    corpus_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _edit_corpus(corpus_copy)
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(corpus_copy))
    monkeypatch.setenv("CLAUSE_QA_INDEX_DIR", str(built))
    monkeypatch.setenv("CLAUSE_QA_REBUILD_STALE_INDEX", "false")
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("served a stale index"))
    assert cli_main(["serve", "--port", "1"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("clause-qa: error: the index at") and error.count("\n") == 1
    assert "the corpus changed since the build" in error and "Run `clause-qa index build`" in error


# --- the corpus is only read -----------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in sorted(folder.iterdir())
    }


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def test_the_corpus_is_opened_read_only(
    monkeypatch: pytest.MonkeyPatch, make_settings, corpus_copy: Path
) -> None:
    opened: list[tuple[Path, str]] = []
    inside = corpus_copy.resolve()

    def record(file: object, mode: str) -> None:
        if isinstance(file, (str, bytes, os.PathLike)):
            path = Path(os.fsdecode(file)).resolve()
            if path == inside or inside in path.parents:
                opened.append((path, mode))

    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        record(file, mode)
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        record(path, "write" if flags & _WRITE_FLAGS else "r")
        return real_os_open(path, flags, *args, **kwargs)

    for target, name, spy in (
        (builtins, "open", spy_open),
        (io, "open", spy_open),
        (os, "open", spy_os_open),
    ):
        monkeypatch.setattr(target, name, spy)  # pathlib's Path.open goes through io.open
    before = _snapshot(corpus_copy)
    for path in (*corpus_copy.iterdir(), corpus_copy):  # read-only on disk too (root ignores it; others don't)
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        settings = make_settings(True)
        with TestClient(create_app(settings)) as client:  # no index yet: start-up reads the corpus and builds
            _assert_serves_the_corpus(client, settings)
            assert client.get("/api/clauses", params={"q": "机场"}).json()["count"] > 0
            assert client.get("/api/search", params={"q": "教育"}).status_code == 200
    finally:
        for path in (corpus_copy, *corpus_copy.iterdir()):
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert opened, "the spies saw no corpus read: they would not have seen a write either"
    writes = [(path, mode) for path, mode in opened if set(mode) & set("wax+") or mode == "write"]
    assert writes == []
    assert {mode for _, mode in opened} <= {"r", "rb"}
    after = _snapshot(corpus_copy)
    assert {name: v[:2] for name, v in after.items()} == {name: v[:2] for name, v in before.items()}


# --- rebuilding while serving ----------------------------------------------------------------------------


def test_rebuild_while_serving_keeps_readers_on_a_whole_index(
    make_settings, embedder: CachedPassages
) -> None:
    """Readers (HTTP clients of the running service, and fresh loads from disk) while the index is rebuilt
    three times into the same folder: no error, the same answers, and every load sees a complete build."""
    settings = make_settings(True)
    questions = ["中欧班列由哪些部门负责？", "飞机场有什么建设安排？", "济南市教育局负责哪些任务？"]
    stop = threading.Event()
    problems: list[str] = []
    generations: set[Path] = set()
    reads = {"http": 0, "disk": 0}

    with TestClient(create_app(settings)) as client:
        corpus = client.app.state.service.corpus
        expected = {
            q: [c["clause_id"] for c in client.post("/api/ask", json={"question": q}).json()["citations"]]
            for q in questions
        }
        expected_search = [
            h.clause.clause_id for h in client.app.state.service.retriever.search("中欧班列", k=3)
        ]

        def ask_loop() -> None:
            while not stop.is_set():
                for question in questions:
                    response = client.post("/api/ask", json={"question": question})
                    cited = [c["clause_id"] for c in response.json().get("citations", [])]
                    if response.status_code != 200 or cited != expected[question]:
                        problems.append(f"http: {response.status_code} {cited} for {question}")
                    reads["http"] += 1

        def load_loop() -> None:
            while not stop.is_set():
                try:
                    generation, _ = read_index(settings.index_dir)  # every artefact's sha256 checked
                    generations.add(generation)
                    retriever = load_index(corpus, embedder, settings.index_dir, rebuild=False)
                    found = [h.clause.clause_id for h in retriever.search("中欧班列", k=3)]
                    if found != expected_search:
                        problems.append(f"disk: {found}")
                    reads["disk"] += 1
                except Exception as exc:  # noqa: BLE001 - any failure of a reader is the finding
                    problems.append(f"disk: {type(exc).__name__}: {exc}")

        readers = [
            threading.Thread(target=ask_loop),
            threading.Thread(target=ask_loop),
            threading.Thread(target=load_loop),
        ]
        for reader in readers:
            reader.start()
        try:
            deadline = time.monotonic() + 60
            for _ in range(3):
                build_index(corpus, embedder, settings.index_dir)
                time.sleep(0.3)  # let the readers see each generation
                assert time.monotonic() < deadline
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=60)

    assert problems == []
    assert reads["http"] > 10 and reads["disk"] > 3
    assert len(generations) >= 2  # the readers did see the index swapped under them
    left = sorted(p.name for p in settings.index_dir.parent.glob(".index.gen-*"))
    assert 1 <= len(left) <= 2  # the current build and at most the previous one are kept
