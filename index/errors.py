"""Errors of the index layer; the CLI and API turn them into messages."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import ClauseQAError


class StaleIndex(ClauseQAError):
    """The index is missing, damaged, or was built from another corpus or embedder.

    ``index_dir`` is the index folder, or the backend's location in words (Milvus URI and alias).
    """

    def __init__(self, index_dir: Path | str, problem: str) -> None:
        self.index_dir, self.problem = index_dir, problem
        super().__init__(
            f"the index at {index_dir} cannot be used: {problem}. "
            "Run `clause-qa index build` (or set CLAUSE_QA_REBUILD_STALE_INDEX=true to rebuild at start)"
        )


class EmbedderUnavailable(ClauseQAError):
    """The configured embedder cannot be created (unknown kind, missing extra, model not on disk)."""


class NotAnIndexDir(ClauseQAError):
    """The output path exists and is not an index folder: building there would delete what it holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists and is not an index folder; choose another --out")


class IndexUnavailable(ClauseQAError):
    """The index backend cannot be reached or did not answer in time (Milvus down, slow or locked).

    At start the CLI exits 2 with this message; during a request the API answers 503 index_unavailable.
    """

    def __init__(self, location: str, problem: str) -> None:
        self.location, self.problem = location, problem
        super().__init__(f"the index at {location} is unavailable: {problem}")


class NotAnIndexCollection(ClauseQAError):
    """The Milvus name clause-qa would publish under holds a collection clause-qa did not make."""

    def __init__(self, location: str, name: str) -> None:
        self.location, self.name = location, name
        super().__init__(
            f"{name} in {location} is a collection clause-qa did not build (it has no clause-qa manifest); "
            "it is left alone: set CLAUSE_QA_MILVUS_COLLECTION to another name"
        )
