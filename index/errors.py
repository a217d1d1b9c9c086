"""Errors of the index layer; the CLI and API turn them into messages."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import ClauseQAError


class StaleIndex(ClauseQAError):
    """The index on disk is missing, damaged, or was built from another corpus or embedder."""

    def __init__(self, index_dir: Path, problem: str) -> None:
        self.index_dir, self.problem = index_dir, problem
        super().__init__(
            f"the index at {index_dir} cannot be used: {problem}. "
            "Run `clause-qa index build` (or set CLAUSE_QA_REBUILD_STALE_INDEX=true to rebuild at start)"
        )


class EmbedderUnavailable(ClauseQAError):
    """The configured embedder cannot be created (unknown kind, missing extra, model not on disk)."""


class NotAnIndexDir(ClauseQAError):
    """The output folder exists and holds something else: building there would delete it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is a folder that holds no index; choose another --out")
