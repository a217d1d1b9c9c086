"""The background rebuilder: one build at a time, every change picked up, a failure keeps what serves.

The builds here are stand-ins that block on events, so the tests control when a build ends; the real
build (qa.factory.rebuild_service) is exercised through the API in tests/api/test_uploads.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from corpus.errors import CorpusError
from qa.rebuild import Change, Rebuilder, RebuildResult


@dataclass
class FakeRetriever:
    generation: str


@dataclass
class FakeCorpus:
    documents: tuple = ("d",)
    clauses: tuple = ("c",)


@dataclass
class FakeService:
    generation: str
    retriever: FakeRetriever = field(init=False)
    corpus: FakeCorpus = field(default_factory=FakeCorpus)

    def __post_init__(self) -> None:
        self.retriever = FakeRetriever(self.generation)


class Harness:
    """A Rebuilder over a served FakeService; each build waits for ``release`` and may be told to fail."""

    def __init__(self) -> None:
        self.served = FakeService("g0")
        self.started = threading.Semaphore(0)
        self.release = threading.Semaphore(0)
        self.fail_with: Exception | None = None
        self.builds = 0
        self.finished: list[RebuildResult] = []
        self.concurrent = self.most_concurrent = 0
        self._lock = threading.Lock()
        self.rebuilder = Rebuilder(self.build, lambda: self.served, self.swap, self.finished.append)

    def build(self, current, progress) -> FakeService:
        with self._lock:
            self.concurrent += 1
            self.most_concurrent = max(self.most_concurrent, self.concurrent)
            self.builds += 1
            number = self.builds
        progress("indexing", 0.5)
        self.started.release()
        assert self.release.acquire(timeout=10)
        with self._lock:
            self.concurrent -= 1
        if self.fail_with is not None:
            raise self.fail_with
        return FakeService(f"g{number}")

    def swap(self, new: FakeService) -> None:
        self.served = new


def test_changes_that_arrive_during_a_build_are_taken_by_one_next_build() -> None:
    h = Harness()
    h.rebuilder.request(Change("upload", "uploads/a.txt", "k1"))
    assert h.started.acquire(timeout=10)
    status = h.rebuilder.status()
    assert status["building"] and status["stage"] == "indexing" and status["progress"] == 0.5
    assert status["generation"] == "g0"  # still the previous one, while building
    for name in ("b", "c", "d"):
        h.rebuilder.request(Change("upload", f"uploads/{name}.txt", "k2"))
    assert h.rebuilder.status()["queued"] == 3
    h.release.release()
    assert h.started.acquire(timeout=10)
    h.release.release()
    assert h.rebuilder.wait(10)
    assert h.builds == 2 and h.most_concurrent == 1
    assert [len(r.changes) for r in h.finished] == [1, 3]
    assert h.served.generation == "g2"
    status = h.rebuilder.status()
    assert not status["building"] and status["builds"] == 2 and status["last_error"] is None
    assert status["progress"] is None and status["last_built_at"]


def test_a_failed_build_keeps_the_served_service_and_reports_why_until_one_succeeds() -> None:
    h = Harness()
    h.fail_with = CorpusError("corpus", None, "the corpus folder does not exist")
    h.rebuilder.request(Change("remove", "uploads/a.txt", "k1"))
    h.release.release()
    assert h.rebuilder.wait(10)
    assert h.served.generation == "g0"
    status = h.rebuilder.status()
    assert status["last_error"] == "corpus: the corpus folder does not exist" and status["last_error_at"]
    (result,) = h.finished
    assert not result.ok and result.generation == result.previous == "g0"

    h.fail_with = RuntimeError("disk on fire")  # anything else too: named, the service stays
    h.rebuilder.request(Change("rebuild", "all documents", "k1"))
    h.release.release()
    assert h.rebuilder.wait(10)
    assert h.rebuilder.status()["last_error"] == "RuntimeError: disk on fire" and h.served.generation == "g0"

    h.fail_with = None
    h.rebuilder.request(Change("rebuild", "all documents", "k1"))
    h.release.release()
    assert h.rebuilder.wait(10)
    assert h.served.generation == "g3" and h.rebuilder.status()["last_error"] is None


def test_a_closed_rebuilder_takes_no_more_requests() -> None:
    h = Harness()
    h.rebuilder.close()
    h.rebuilder.request(Change("upload", "uploads/a.txt", None))
    assert h.rebuilder.wait(1) and h.builds == 0
