"""Search an opened index: keyword (BM25), dense (cosine) or both fused by reciprocal rank.

The retriever tokenises and embeds the query and fuses the channels; the backend snapshot under it
(FAISS files or a Milvus collection) only ranks, so every backend fuses and scores alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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

    def words(self, form: str) -> tuple[tuple[int, int], ...]:
        """Word spans of a normalised text, by the keyword channel's own segmenter (unit names whole)."""
        return self._tokenizer.words(form)

    def known(self, word: str) -> bool:
        """Whether the keyword channel's segmenter knows ``word`` as a word of its dictionary."""
        return self._tokenizer.known(word)

    def search(
        self, query: str, k: int = 10, mode: str = "hybrid", filters: Filters = NO_FILTERS,
        expansion: Sequence[str] = (), expansion_weight: float = 0.5, keyword_query: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best clauses for ``query`` among those ``filters`` keep; [] for a blank query.

        ``expansion``: extra keyword terms (the QA layer's synonyms of the question's words, in the
        documents' words).  The keyword channel then scores BM25(question) + ``expansion_weight`` ×
        BM25(expansion terms the question lacks): the terms count, below the question's own (summed over
        each list's ``depth`` best, which is every clause of a small corpus).  A hit's ranks then name
        its rank by the expansion terms alone as "expansion".  Dense mode ignores them.
        ``keyword_query``: the keyword channel's own text, when it should not be the query's (the QA
        layer leaves out the place that picked the plan); the dense channel embeds ``query``.
        """
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {', '.join(MODES)}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        query = query.strip()
        if not query:
            return []
        depth = k if mode != "hybrid" else max(k, FUSION_DEPTH)
        rankings: dict[str, Ranking] = {}
        expanded: Ranking = []
        if mode in ("hybrid", "keyword"):
            tokens = self.tokenize(keyword_query if keyword_query and keyword_query.strip() else query)
            rankings["keyword"] = self._snapshot.keyword(tokens, depth, filters)
            extra = [t for t in dict.fromkeys(self.tokenize(" ".join(expansion))) if t not in set(tokens)]
            if extra:
                expanded = self._snapshot.keyword(extra, depth, filters)
                rankings["keyword"] = _weighted_sum(rankings["keyword"], expanded, expansion_weight)[:depth]
        if mode in ("hybrid", "dense"):
            rankings["dense"] = self._snapshot.dense(self.embedder.embed_queries([query])[0], depth, filters)
        if mode == "hybrid":
            ranked = reciprocal_rank_fusion(rankings, self._rrf_k, self._weights)[:k]
        else:
            ranked = [
                Fused(doc, score, {mode: rank}, {mode: score})
                for rank, (doc, score) in enumerate(rankings[mode], 1)
            ]
        by_expansion = {doc: rank for rank, (doc, _) in enumerate(expanded, 1)}
        return [self._hit(fused, by_expansion) for fused in ranked]

    def _hit(self, fused: Fused, by_expansion: dict[int, int]) -> Hit:
        ranks = {channel: fused.ranks.get(channel) for channel in CHANNELS}
        scores = {channel: fused.scores.get(channel) for channel in CHANNELS}
        if by_expansion:
            ranks["expansion"] = by_expansion.get(fused.doc)
        return Hit(self._clauses[fused.doc], fused.score, ranks, scores)

    def stored_vectors(self) -> Iterator[tuple[Clause, np.ndarray]]:
        """Each indexed clause with the vector this generation stores for it (a rebuild reuses them).

        One backend call per clause: in memory for FAISS, a round trip each for Milvus.
        """
        for position, clause in enumerate(self._clauses):
            yield clause, self._snapshot.vector(position)

    def close(self) -> None:
        """Release the backend's connection (a Milvus client); the retriever is unusable after."""
        self.backend.close()


def _weighted_sum(ranking: Ranking, extra: Ranking, weight: float) -> Ranking:
    """Two BM25 rankings of one corpus as one: score + weight × extra score, best first, ties by document."""
    total = dict(ranking)
    for doc, score in extra:
        total[doc] = total.get(doc, 0.0) + weight * score
    return sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
