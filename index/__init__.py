"""Rank the corpus's clauses for a question: BM25 and dense vectors, fused by reciprocal rank."""

from index.build import build_index, load_index
from index.embedders import Embedder, embedder_from_settings, make_embedder
from index.errors import EmbedderUnavailable, NotAnIndexDir, StaleIndex
from index.retriever import Hit, Retriever
from index.store import IndexSpec, Manifest

__all__ = [
    "Embedder",
    "EmbedderUnavailable",
    "Hit",
    "IndexSpec",
    "Manifest",
    "NotAnIndexDir",
    "Retriever",
    "StaleIndex",
    "build_index",
    "embedder_from_settings",
    "load_index",
    "make_embedder",
]
