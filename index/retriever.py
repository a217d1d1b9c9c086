"""Search an opened index: keyword (BM25), dense (cosine) or both fused by reciprocal rank.

The retriever tokenises and embeds the query and fuses the channels; the backend snapshot under it
(FAISS files or a Milvus collection) only ranks, so every backend fuses and scores alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus.loader import Corpus
from corpus.models import Clause
from index.backends.base import NO_FILTERS, Filters, IndexBackend, IndexSnapshot, Ranking
from index.embedders import Embedder
from index.fusion import KEYWORD_WEIGHT, RRF_K, Fused, reciprocal_rank_fusion
from index.manifest import Manifest
from index.tokenizer import ChineseTokenizer

MODES = ("hybrid", "keyword", "dense")
CHANNELS = ("keyword", "dense")
# Each channel's list fed to fusion: deep enough that a clause ranked well by one channel gets the other
# channel's rank too (the seed corpus has 96 clauses, so every clause is ranked by the dense channel).
FUSION_DEPTH = 100


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float  # fused RRF score; the channel's own score when a single channel is asked
    ranks: dict[str, int | None]  # {"keyword": 1-based rank or None, "dense": ...}
    scores: dict[str, float | None]  # {"keyword": BM25 score or None, "dense": cosine or None}


class Retriever:
    """Ranks clauses for a question; read-only after construction, so one instance serves all threads."""

    def __init__(
        self,
        corpus: Corpus,
        embedder: Embedder,
        tokenizer: ChineseTokenizer,
        backend: IndexBackend,
        snapshot: IndexSnapshot,
        manifest: Manifest,
        rrf_k: int = RRF_K,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> None:
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {rrf_k}")
        if keyword_weight <= 0:
            raise ValueError(f"keyword_weight must be positive, got {keyword_weight}")
        self.corpus, self.embedder, self.manifest = corpus, embedder, manifest
        self.backend, self._snapshot = backend, snapshot
        self._clauses = tuple(corpus.clause(cid) for cid in snapshot.clause_ids())  # in index order
        self._tokenizer, self._rrf_k = tokenizer, rrf_k
        self._weights = {"keyword": keyword_weight, "dense": 1.0}

    @property
    def generation(self) -> str:
        """The generation directory or Milvus collection this retriever reads."""
        return self._snapshot.generation

    def describe(self) -> dict[str, Any]:
        """What /healthz says about the index."""
        return {"index_backend": self.backend.kind, "index_generation": self.generation}

    def serving_generation(self) -> str | None:
        """The generation the backend publishes now: another than ``generation`` after a rebuild elsewhere."""
        return self.backend.serving()

    def tokenize(self, text: str) -> list[str]:
        """The keyword channel's tokens of ``text`` (normalised, unit names whole)."""
        return self._tokenizer.tokenize(text)

    def search(self, query: str, k: int = 10, mode: str = "hybrid", filters: Filters = NO_FILTERS) -> list[Hit]:
        """The ``k`` best clauses for ``query`` among those ``filters`` keep; [] for a blank query."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {', '.join(MODES)}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        query = query.strip()
        if not query:
            return []
        depth = k if mode != "hybrid" else max(k, FUSION_DEPTH)
        rankings: dict[str, Ranking] = {}
        if mode in ("hybrid", "keyword"):
            rankings["keyword"] = self._snapshot.keyword(self.tokenize(query), depth, filters)
        if mode in ("hybrid", "dense"):
            rankings["dense"] = self._snapshot.dense(self.embedder.embed_queries([query])[0], depth, filters)
        if mode == "hybrid":
            ranked = reciprocal_rank_fusion(rankings, self._rrf_k, self._weights)[:k]
        else:
            ranked = [
                Fused(doc, score, {mode: rank}, {mode: score})
                for rank, (doc, score) in enumerate(rankings[mode], 1)
            ]
        return [self._hit(fused) for fused in ranked]

    def _hit(self, fused: Fused) -> Hit:
        ranks = {channel: fused.ranks.get(channel) for channel in CHANNELS}
        scores = {channel: fused.scores.get(channel) for channel in CHANNELS}
        return Hit(self._clauses[fused.doc], fused.score, ranks, scores)

    def close(self) -> None:
        """Release the backend's connection (a Milvus client); the retriever is unusable after."""
        self.backend.close()
