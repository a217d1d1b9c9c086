"""Errors raised while reading the corpus; the CLI and API turn them into messages."""

from __future__ import annotations


class ClauseQAError(Exception):
    """Base of the errors a user can cause; the edges turn them into messages, never tracebacks."""


class CorpusError(ClauseQAError, ValueError):
    """The corpus cannot be used at all (an empty or missing folder); the message names it."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source, self.line, self.problem = source, line, problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class UnreadableFile(CorpusError):
    """A file that cannot be read at all: not text in a known encoding, a corrupt .docx or .pdf.

    The only reason a document is refused; the rest of the corpus still loads.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(source, None, problem)


class UnknownDocument(ClauseQAError, LookupError):
    """No document has the requested id, title or short name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"no document has the id, title or short name {name!r}; known: {', '.join(known)}")


class UnknownClause(ClauseQAError, KeyError):
    """No clause has the requested id."""

    def __init__(self, clause_id: str) -> None:
        self.clause_id = clause_id
        super().__init__(clause_id)

    def __str__(self) -> str:
        return f"no clause has the id {self.clause_id!r}"
