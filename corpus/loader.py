"""Load every document of a corpus folder into one searchable Corpus."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from corpus.errors import CorpusError, UnknownClause, UnknownDocument
from corpus.models import Clause, Document, SourceFile
from corpus.parser import parse_file
from corpus.related import link_related
from corpus.units import UnitEntry, merge_spellings, unit_directory

PATTERN = "*.txt"


@dataclass(frozen=True)
class Corpus:
    files: tuple[SourceFile, ...]
    clauses: tuple[Clause, ...]
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.clause_id: c for c in self.clauses})

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(d for f in self.files for d in f.documents)

    @cached_property
    def units(self) -> dict[str, UnitEntry]:
        return unit_directory(self.clauses)

    @property
    def fingerprint(self) -> str:
        """sha256 over the names and contents of every corpus file."""
        digest = hashlib.sha256()
        for source in self.files:
            digest.update(f"{source.name}\0{source.sha256}\n".encode())
        return digest.hexdigest()

    def clause(self, clause_id: str) -> Clause:
        try:
            return self._by_id[clause_id]
        except KeyError:
            raise UnknownClause(clause_id) from None

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def document(self, name: str) -> Document:
        """The document with this full title or short name."""
        for document in self.documents:
            if name in (document.title, document.short_name):
                return document
        raise UnknownDocument(name, [d.short_name for d in self.documents])

    def select(self, units: Iterable[str] | None = None, document: str | None = None) -> list[Clause]:
        """Clauses of a document (title or short name; unknown raises) and of units, in document order.

        With ``units``, only the clauses one of them leads or shares, the led ones first.
        """
        chosen = list(self.clauses)
        if document is not None:
            title = self.document(document).title
            chosen = [c for c in chosen if c.document == title]
        if units is None:
            return chosen
        names = set(units)
        lead = [c for c in chosen if names & set(c.lead_units)]
        return lead + [c for c in chosen if c not in lead and names & set(c.units)]

    def for_unit(self, unit: str) -> list[Clause]:
        """Every clause the unit leads or shares, lead ones first; [] for an unknown unit."""
        return self.select((unit,))

    def neighbours(self, clause_id: str) -> tuple[str | None, str | None]:
        """Ids of the previous and next clause of the same document."""
        clause = self.clause(clause_id)
        siblings = next(d.clause_ids for d in self.documents if d.title == clause.document)
        index = siblings.index(clause_id)
        before = siblings[index - 1] if index > 0 else None
        after = siblings[index + 1] if index + 1 < len(siblings) else None
        return before, after


def read_source(path: Path) -> str:
    """Read a corpus file (read-only), with a clear error for non-UTF-8 bytes."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise CorpusError(path.name, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def load_corpus(directory: Path) -> Corpus:
    """Parse every ``*.txt`` file of ``directory``; clause ids must be unique across them."""
    paths = sorted(directory.glob(PATTERN))
    if not paths:
        raise CorpusError(str(directory), None, f"no {PATTERN} documents in the corpus folder")
    files: list[SourceFile] = []
    clauses: list[Clause] = []
    owner: dict[str, str] = {}
    for path in paths:
        source, parsed = parse_file(path.name, read_source(path))
        for document in source.documents:
            if document.short_name in owner:
                raise CorpusError(
                    path.name,
                    None,
                    f"document 《{document.title}》 has the short name {document.short_name!r} "
                    f"of a document in {owner[document.short_name]}: clause ids would collide",
                )
            owner[document.short_name] = path.name
        files.append(source)
        clauses.extend(parsed)
    return Corpus(tuple(files), tuple(link_related(merge_spellings(clauses))))
