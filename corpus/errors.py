"""Errors raised while reading the corpus; the CLI and API turn them into messages."""

from __future__ import annotations


class ClauseQAError(Exception):
    """Base of the errors a user can cause; the edges turn them into messages, never tracebacks."""


class CorpusError(ClauseQAError, ValueError):
    """A corpus file cannot be parsed; the message names the file and line."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class BrokenNumbering(CorpusError):
    """A number is missing or repeated at one level of a document."""


class UnknownDocument(ClauseQAError, LookupError):
    """No document has the requested title or short name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"no document is titled or short-named {name!r}; known: {', '.join(known)}")


class UnknownClause(ClauseQAError, KeyError):
    """No clause has the requested id."""

    def __init__(self, clause_id: str) -> None:
        self.clause_id = clause_id
        super().__init__(clause_id)

    def __str__(self) -> str:
        return f"no clause has the id {self.clause_id!r}"
