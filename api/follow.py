"""Keep a server on the current build of a shared index: a replica sees a rebuild made elsewhere.

With the Milvus backend any process may publish a build (``clause-qa index build`` on one replica, or
a job).  Every ``CLAUSE_QA_INDEX_REFRESH_S`` a background thread asks the backend which generation it
publishes; when that is not the one served, it loads the service again (corpus, index; the loaded
embedder and the vectors it made are reused) and swaps it in.  Requests in flight finish on the old
service, whose collection the builder keeps until the next build.  A generation that does not fit this server's corpus (a
shared corpus folder not yet in sync) is logged and retried at the next check; the old one keeps
serving.  The FAISS backend is not shared, so a FAISS server keeps what it loaded until restarted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from corpus.errors import ClauseQAError
from qa.factory import build_service
from qa.service import QAService
from qa.settings import Settings
from qa.vector_reuse import ReusingEmbedder

log = logging.getLogger(__name__)


class IndexFollower:
    def __init__(
        self,
        settings: Settings,
        current: Callable[[], QAService],
        swap: Callable[[QAService], None],
        build: Callable[..., QAService] = build_service,
    ) -> None:
        self._settings, self._current, self._swap, self._build = settings, current, swap, build
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)

    def check(self) -> bool:
        """Follow a rebuild if there was one: True when a new service was swapped in."""
        service = self._current()
        serving = service.retriever.serving_generation()
        if serving is None or serving == service.retriever.generation:
            return False
        log.info("the index was rebuilt (%s -> %s): loading it", service.retriever.generation, serving)
        # The running service's vectors are reused: only the texts the rebuild changed are embedded.
        embedder = ReusingEmbedder.around(service)
        fresh = self._build(self._settings, embedder=embedder, rebuild=False)
        embedder.keep_used()
        self._swap(fresh)
        log.info("now serving %s", fresh.retriever.generation)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self._settings.index_refresh_s):
            try:
                self.check()
            except ClauseQAError as exc:  # Milvus down, or a build that does not fit: retry at the next check
                log.warning("could not follow the index: %s", exc)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
