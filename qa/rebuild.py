"""Rebuild the service in the background when the documents change, one rebuild at a time.

``request`` records what changed and returns at once.  One worker thread builds a new service (a new
index generation, published by the backend's own atomic swap, and a QA service over it) while the
current one keeps answering, then swaps it in with one assignment.  Requests that arrive during a build
are queued, and the next build picks up all of them at once: never two builds at a time, never a change
left out.  A build that fails leaves the current service serving and says why in ``status``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from corpus.errors import ClauseQAError
from qa.service import QAService

log = logging.getLogger(__name__)
Build = Callable[[QAService, Callable[[str, float], None]], QAService]


@dataclass(frozen=True)
class Change:
    """What asked for a rebuild: for the audit line of the rebuild that picks it up."""

    action: str  # "upload" | "remove" | "rebuild"
    document: str  # the file, or what the admin asked for
    key: str | None = None  # the short id of the admin key


@dataclass(frozen=True)
class RebuildResult:
    ok: bool
    changes: tuple[Change, ...]
    previous: str  # the generation served before
    generation: str  # the one served after (the previous one when the build failed)
    seconds: float
    error: str | None = None
    documents: int = 0
    clauses: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class _State:
    running: bool = False
    queued: list[Change] = field(default_factory=list)
    stage: str | None = None
    progress: float | None = None
    started_at: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    last_built_at: str | None = None
    builds: int = 0  # finished builds, failed or not (a client waits for this to grow)


class Rebuilder:
    def __init__(
        self,
        build: Build,
        current: Callable[[], QAService],
        swap: Callable[[QAService], None],
        on_finish: Callable[[RebuildResult], None] = lambda result: None,
    ) -> None:
        self._build, self._current, self._swap, self._on_finish = build, current, swap, on_finish
        self._state = _State()
        self._changed = threading.Condition()
        self._closed = False

    def request(self, change: Change) -> None:
        """Queue a rebuild for ``change``; starts the worker unless one is running (it will pick this up)."""
        with self._changed:
            if self._closed:
                return
            self._state.queued.append(change)
            if not self._state.running:
                self._state.running = True
                threading.Thread(target=self._work, name="index-rebuild", daemon=True).start()

    def status(self) -> dict[str, Any]:
        """What GET /api/index/status reports."""
        service = self._current()
        with self._changed:
            s = self._state
            return {
                "generation": service.retriever.generation,
                "building": s.running,
                "stage": s.stage,
                "progress": s.progress,
                "queued": len(s.queued),
                "started_at": s.started_at,
                "last_built_at": s.last_built_at,
                "last_error": s.last_error,
                "last_error_at": s.last_error_at,
                "builds": s.builds,
                "documents": len(service.corpus.documents),
                "clauses": len(service.corpus.clauses),
            }

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no build runs or waits; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._state.running, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Take no more requests; wait a while for a running build (it is atomic: stopping it loses nothing)."""
        with self._changed:
            self._closed = True
            self._state.queued.clear()
        self.wait(timeout)

    # --- the worker -------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._changed:
                s = self._state
                if not s.queued or self._closed:
                    s.running, s.stage, s.progress, s.started_at = False, None, None, None
                    self._changed.notify_all()
                    return
                changes, s.queued = tuple(s.queued), []
                s.stage, s.progress, s.started_at = "loading", 0.0, _now()
            result = self._once(changes)
            with self._changed:
                s = self._state
                s.builds += 1
                if result.ok:
                    s.last_built_at, s.last_error, s.last_error_at = _now(), None, None
                else:
                    s.last_error, s.last_error_at = result.error, _now()
                self._changed.notify_all()
            try:
                self._on_finish(result)
            except Exception:  # the audit line must not stop the worker
                log.exception("reporting a rebuild failed")

    def _report(self, stage: str, fraction: float) -> None:
        with self._changed:
            self._state.stage, self._state.progress = stage, round(min(max(fraction, 0.0), 1.0), 3)

    def _once(self, changes: tuple[Change, ...]) -> RebuildResult:
        started = time.perf_counter()
        current = self._current()
        previous = current.retriever.generation
        try:
            fresh = self._build(current, self._report)
        except Exception as exc:  # whatever failed, the previous generation keeps serving and the reason is shown
            if isinstance(exc, ClauseQAError):
                error = str(exc)
                log.warning("rebuild failed, still serving %s: %s", previous, error)
            else:
                error = f"{type(exc).__name__}: {exc}"
                log.exception("rebuild failed, still serving %s", previous)
            return RebuildResult(False, changes, previous, previous, _seconds(started), error)
        self._swap(fresh)
        log.info("rebuilt: now serving %s (was %s)", fresh.retriever.generation, previous)
        return RebuildResult(
            True, changes, previous, fresh.retriever.generation, _seconds(started), None,
            len(fresh.corpus.documents), len(fresh.corpus.clauses),
        )


def _seconds(since: float) -> float:
    return round(time.perf_counter() - since, 2)
