"""The index backend interface: publish a build as a new generation, open one, search it.

Two implementations: ``faiss_local`` (files on disk: FAISS plus the local BM25, the default) and
``milvus`` (a collection behind an alias in a Milvus server or Milvus Lite).  The retriever above
them embeds, tokenises and fuses; a backend only stores and ranks.  Rankings are lists of
(position, score), best first, where a position is the clause's place in the build's clause list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.manifest import Manifest

Ranking = list[tuple[int, float]]


@dataclass(frozen=True)
class ClauseRecord:
    """A clause as the index stores it: its position, its id and the fields searches filter on."""

    position: int
    clause_id: str
    document_id: str
    year: int | None
    units: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    """Keep only clauses of these documents, years and units: any of each kind given, every kind given."""

    documents: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    units: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.documents or self.years or self.units)

    def matches(self, record: ClauseRecord) -> bool:
        return (
            (not self.documents or record.document_id in self.documents)
            and (not self.years or record.year in self.years)
            and (not self.units or not set(self.units).isdisjoint(record.units))
        )


NO_FILTERS = Filters()


@dataclass(frozen=True)
class IndexBuild:
    """What a backend publishes: row i of ``vectors`` and ``tokens[i]`` belong to ``records[i]``."""

    manifest: Manifest  # without the backend's own fields (files, backend, keyword_kind)
    records: Sequence[ClauseRecord]
    vectors: np.ndarray  # float32, unit rows
    tokens: Sequence[Sequence[str]]


class IndexSnapshot(Protocol):
    """One published generation, opened: read-only, safe to share between threads."""

    generation: str  # the generation directory or collection it reads
    size: int
    dim: int

    def clause_ids(self) -> Sequence[str]:
        """The clause id at each position."""
        ...

    def keyword(self, tokens: Sequence[str], k: int, filters: Filters = NO_FILTERS) -> Ranking:
        """BM25 ranking for distinct query tokens; only clauses with a positive score."""
        ...

    def dense(self, vector: np.ndarray, k: int, filters: Filters = NO_FILTERS) -> Ranking:
        """Cosine ranking of the stored unit vectors against a query vector."""
        ...

    def vector(self, position: int) -> np.ndarray:
        """The stored vector at a position (to check that the embedder still reproduces it)."""
        ...


class IndexBackend(Protocol):
    kind: str  # "faiss" | "milvus": /healthz says which
    location: str  # where, in words, for messages: "var/index", "Milvus at http://…, alias clause_qa"
    # True when other processes may publish a build this process should follow (a shared index).
    follows_rebuilds: bool

    def publish(self, build: IndexBuild) -> Manifest:
        """Write a new generation and make it the current one atomically; older ones are pruned."""
        ...

    def current(self) -> tuple[str, Manifest]:
        """The current generation and its manifest; StaleIndex when there is none or it is unreadable."""
        ...

    def open(self, generation: str, manifest: Manifest, records: Sequence[ClauseRecord]) -> IndexSnapshot:
        """Open a generation returned by ``current``; ``records`` are the corpus's clauses in build order."""
        ...

    def serving(self) -> str | None:
        """The generation published now, cheaply (for followers); None when none is."""
        ...

    def close(self) -> None: ...
