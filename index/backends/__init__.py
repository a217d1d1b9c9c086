"""Index backends: FAISS files on disk (the default) and Milvus (a shared index for several replicas)."""

from index.backends.base import NO_FILTERS, ClauseRecord, Filters, IndexBackend, IndexBuild, IndexSnapshot
from index.backends.factory import backend_from_settings
from index.backends.faiss_local import FaissBackend

__all__ = [
    "NO_FILTERS",
    "ClauseRecord",
    "FaissBackend",
    "Filters",
    "IndexBackend",
    "IndexBuild",
    "IndexSnapshot",
    "backend_from_settings",
]
