"""The backend the settings ask for (duck-typed like ``embedder_from_settings``: index never imports qa)."""

from __future__ import annotations

from typing import Any

from index.backends.base import IndexBackend
from index.backends.faiss_local import FaissBackend

KINDS = ("faiss", "milvus")


def backend_from_settings(settings: Any) -> IndexBackend:
    """FAISS files in ``settings.index_dir``, or the Milvus alias ``settings.milvus_collection``.

    The Milvus backend connects here: an unreachable server raises IndexUnavailable naming the URI.
    """
    if settings.index_backend == "faiss":
        return FaissBackend(settings.index_dir)
    if settings.index_backend == "milvus":
        # Imported only when asked for: pymilvus and grpc cost start-up time a FAISS install need not pay.
        from index.backends.milvus import MilvusBackend
        from index.backends.milvus_client import MilvusConnection

        connection = MilvusConnection(
            settings.milvus_uri,
            settings.milvus_token.get_secret_value(),
            settings.milvus_database,
            settings.milvus_timeout_s,
        )
        return MilvusBackend(connection, settings.milvus_collection)
    raise ValueError(f"unknown index backend {settings.index_backend!r}; expected one of {', '.join(KINDS)}")
