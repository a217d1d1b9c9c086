"""Per-client rate limiting: a token bucket per API key (or per address without one), in process.

A bucket holds up to ``per_minute`` tokens and refills at ``per_minute / 60`` a second; a request
takes one.  So a client may burst up to its minute's allowance, then gets ``per_minute`` a minute
on average, and ``Retry-After`` is exactly when its next token arrives.  State is O(1) per client,
and clients idle long enough to have a full bucket are forgotten (they would start full anyway).

In process is enough for one uvicorn worker, which is how the service runs (the model and the index
are loaded once per process); several workers or hosts would need a shared store (the ``limits``
package with Redis, or the proxy's limiter) and each worker here would allow its own quota.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response
from api.security import is_unlimited, route_path


class TokenBuckets:
    """Thread-safe token buckets keyed by client; ``take`` returns 0.0 or the seconds to wait."""

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 100_000
    ) -> None:
        if per_minute < 1:
            raise ValueError(f"per_minute must be at least 1, got {per_minute}")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self._clock, self._max_clients = clock, max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = (
            OrderedDict()
        )  # client -> (tokens, when), oldest first
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        with self._lock:
            now = self._clock()
            tokens, since = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - since) * self.rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            self._forget_idle(now)
            return wait

    def _forget_idle(self, now: float) -> None:
        refill = self.capacity / self.rate  # an untouched bucket is full again after this long
        while self._buckets:
            client, (_, since) = next(iter(self._buckets.items()))
            if now - since < refill and len(self._buckets) <= self._max_clients:
                break
            del self._buckets[client]

    def __len__(self) -> int:
        return len(self._buckets)


class RateLimit:
    """Pure ASGI middleware: 429 with a JSON error and ``Retry-After`` once a client's bucket is empty."""

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        client_id: Callable[[Scope], str],
        is_exempt: Callable[[str], bool] = is_unlimited,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app, self.per_minute, self.client_id, self.is_exempt = app, per_minute, client_id, is_exempt
        self.buckets = TokenBuckets(per_minute, clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.is_exempt(route_path(scope)):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(self.client_id(scope))
        if wait == 0.0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        response = error_response(
            429,
            "rate_limited",
            f"more than {self.per_minute} requests a minute from this client; retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)
