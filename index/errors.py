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
    """The output path exists and is not an index folder: building there would delete what it holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists and is not an index folder; choose another --out")
