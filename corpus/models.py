"""The records the parser produces: documents and their citable clauses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.text import Repaired


@dataclass(frozen=True)
class Target:
    """A quantity or frequency a clause commits to ("20名左右", "每年")."""

    text: str
    start: int  # offsets within Clause.text
    end: int
    kind: str  # "quantity" | "frequency"


@dataclass(frozen=True)
class Clause:
    """One numbered item of a document: the unit a citation points to."""

    clause_id: str
    document: str  # the attachment's full title
    short_name: str  # "分工方案": used in citation markers
    number: int
    section: tuple[str, ...]
    text: str  # repaired wording, responsibility parenthesis included
    start: int  # [start, end) of the clause in the source file
    end: int
    source: str  # file name inside the corpus folder
    offsets: tuple[int, ...] = field(repr=False)  # source offset of every character of text
    responsibility_raw: str = ""  # the parenthesis as printed (repaired), "" if none
    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # every responsible unit, lead units first
    targets: tuple[Target, ...] = ()
    related: tuple[str, ...] = ()  # clause ids in other documents that continue this one

    @property
    def body(self) -> str:
        """The wording without the responsibility parenthesis."""
        if not self.responsibility_raw:
            return self.text
        return self.text[: len(self.text) - len(self.responsibility_raw)]

    @property
    def citation(self) -> str:
        """The marker used in answer text, e.g. 〔分工方案第12条〕."""
        return f"〔{self.short_name}第{self.number}条〕"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (the per-character offset map left out)."""
        data = asdict(self)
        del data["offsets"]
        data["section"] = list(self.section)
        return data

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source-file offsets of the [start, end) span of ``text`` (a highlight, say)."""
        return Repaired(self.text, self.offsets).source_span(start, end)


@dataclass(frozen=True)
class Document:
    """An attachment: a titled list of numbered items."""

    title: str
    short_name: str
    source: str
    title_start: int
    title_end: int
    preface: str  # text between the previous document (or the file start) and the title: the notice
    preamble: str  # the paragraph between the title and the first section, "" if none
    clause_ids: tuple[str, ...]


@dataclass(frozen=True)
class SourceFile:
    """A corpus file and the documents it holds."""

    name: str
    sha256: str
    text: str = field(repr=False)
    documents: tuple[Document, ...]
