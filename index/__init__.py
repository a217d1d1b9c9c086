"""Rank the corpus's clauses for a question: BM25 and dense vectors, fused by reciprocal rank."""

from index.backends import NO_FILTERS, FaissBackend, Filters, IndexBackend, backend_from_settings
from index.build import build_index, load_index, open_index, publish_index
from index.embedders import Embedder, embedder_from_settings, make_embedder
from index.errors import EmbedderUnavailable, IndexUnavailable, NotAnIndexDir, StaleIndex
from index.manifest import IndexSpec, Manifest
from index.retriever import Hit, Retriever

__all__ = [
    "NO_FILTERS",
    "Embedder",
    "EmbedderUnavailable",
    "FaissBackend",
    "Filters",
    "Hit",
    "IndexBackend",
    "IndexSpec",
    "IndexUnavailable",
    "Manifest",
    "NotAnIndexDir",
    "Retriever",
    "StaleIndex",
    "backend_from_settings",
    "build_index",
    "embedder_from_settings",
    "load_index",
    "make_embedder",
    "open_index",
    "publish_index",
]
