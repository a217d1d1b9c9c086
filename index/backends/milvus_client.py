"""A pymilvus client that fails in our words: every error becomes IndexUnavailable naming the URI.

The same client serves Milvus Lite (a ``.db`` path: an embedded engine, one process per file), a
``milvus-lite server`` and a Milvus standalone or distributed cluster (``http://host:19530``).
Every call carries a deadline (``timeout_s`` for requests; builds pass their own), so a slow or
frozen Milvus costs a request at most that long; a connection failure is retried within the deadline
(a restarted server, or a connection the server closed, is back in well under a second).  A collection found released (Milvus Lite forgets
what was loaded when it restarts) is loaded again, within the same deadline, and the call retried once.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import grpc
from pymilvus import MilvusClient, MilvusException

from index.errors import IndexUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)

_NOT_LOADED = 101  # Milvus's CollectionNotLoaded
_CONNECT_FAILED = 2  # pymilvus: the channel is not ready (server down, restarting, or a closed connection)
_RETRY_PAUSE_S = 0.2  # between attempts at a transient connection failure, within the call's deadline
# No keepalive pings on an idle connection: gRPC servers with default policy (milvus-lite server) answer
# pymilvus's 10 s idle pings with GOAWAY "too_many_pings"; calls carry their own deadlines anyway.
_GRPC_OPTIONS = {"grpc.keepalive_permit_without_calls": False}
# pymilvus logs every failed call with a traceback at ERROR; our own error says what happened, once.
logging.getLogger("pymilvus").setLevel(logging.CRITICAL)


def is_lite_file(uri: str) -> bool:
    """A Milvus Lite file (embedded) rather than a server address."""
    return uri.endswith(".db")


def _lite_file_in_use(path: Path) -> bool:
    """True when another process holds the Milvus Lite file (its engine's LOCK is taken)."""
    lock = path / "LOCK"
    if not lock.exists():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            return exc.errno in (errno.EAGAIN, errno.EACCES)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _problem(exc: Exception, timeout: float | None) -> str:
    if isinstance(exc, grpc.RpcError):
        code = exc.code()
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            return f"no answer within {timeout} s (CLAUSE_QA_MILVUS_TIMEOUT_S)"
        return f"{code.name}: {exc.details()}"
    if isinstance(exc, MilvusException):
        return exc.message
    return str(exc)


class MilvusConnection:
    """One MilvusClient (thread-safe), its location in words, and error translation."""

    def __init__(self, uri: str, token: str = "", database: str = "", timeout_s: float = 2.0) -> None:
        self.uri, self.database, self.timeout_s = uri, database, timeout_s
        self._in_database = False
        self.location = f"Milvus at {uri}" + (f", database {database}" if database else "")
        if is_lite_file(uri):
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        retry_until = time.monotonic() + timeout_s
        while True:
            try:
                # The database is chosen after connecting: the builder may have to create it first.
                self.client = MilvusClient(
                    uri=uri, token=token, timeout=timeout_s, grpc_options=_GRPC_OPTIONS
                )
                return
            except (MilvusException, grpc.RpcError) as exc:
                if is_lite_file(uri) and _lite_file_in_use(Path(uri)):
                    raise IndexUnavailable(
                        self.location,
                        "another process holds this Milvus Lite file (it serves one process); for several "
                        "processes run `milvus-lite server` or a Milvus server and set CLAUSE_QA_MILVUS_URI to it",
                    ) from None
                if time.monotonic() + _RETRY_PAUSE_S > retry_until:
                    raise IndexUnavailable(
                        self.location, f"cannot connect ({_problem(exc, timeout_s)})"
                    ) from None
            time.sleep(_RETRY_PAUSE_S)

    def use_database(self, create: bool) -> bool:
        """Switch to the configured database; create it when asked.  False when it does not exist.

        Once switched, the client stays there (pymilvus sends the database with every call).
        """
        if not self.database or self._in_database:
            return True
        if self.database not in self.call(self.client.list_databases):
            if not create:
                return False
            self.call(self.client.create_database, self.database)
        self.call(self.client.use_database, self.database)
        self._in_database = True
        return True

    def call(
        self,
        method: Callable[..., T],
        *args: Any,
        timeout: float | None = -1.0,
        reload: str | None = None,
        **kwargs: Any,
    ) -> T:
        """``method(*args, **kwargs, timeout=…)``; ``reload``: the collection to load and retry on if released.

        ``timeout`` defaults to the request timeout; None waits as long as the call takes (builds).
        """
        deadline = self.timeout_s if timeout == -1.0 else timeout
        # Connection failures are retried for the request timeout at most, also within a long build step.
        retry_until = time.monotonic() + min(deadline or 0.0, self.timeout_s)
        while True:
            try:
                return method(*args, timeout=deadline, **kwargs)
            except MilvusException as exc:
                if reload is not None and exc.code == _NOT_LOADED:
                    log.warning("%s: collection %s was released; loading it again", self.location, reload)
                    self.call(self.client.load_collection, reload, timeout=deadline)
                    return self.call(method, *args, timeout=timeout, **kwargs)
                if exc.code != _CONNECT_FAILED or time.monotonic() + _RETRY_PAUSE_S > retry_until:
                    raise IndexUnavailable(self.location, _problem(exc, deadline)) from None
            except grpc.RpcError as exc:
                if (
                    exc.code() != grpc.StatusCode.UNAVAILABLE
                    or time.monotonic() + _RETRY_PAUSE_S > retry_until
                ):
                    raise IndexUnavailable(self.location, _problem(exc, deadline)) from None
            # A channel that was just closed (a restart, a GOAWAY) reconnects in well under a second.
            time.sleep(_RETRY_PAUSE_S)

    def close(self) -> None:
        self.client.close()
