"""The records the parser produces: documents, their citable clauses, and what was found on the way."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from corpus.textmodel import Location

# What Clause.citation writes: 〔2023分工方案第18条〕, 〔2024青禾区分工方案第2.3条〕, 〔2023分工方案·说明3〕.
MARKER = re.compile(
    r"〔(?P<document>[^〔〕\s]{1,60}?)(?:第(?P<ordinal>[\d.]+(?:_\d+)?)条|·说明(?P<passage>\d+))〕"
)

TargetKind = Literal["quantity", "frequency", "deadline"]
ClauseKind = Literal["task", "passage"]


@dataclass(frozen=True)
class Target:
    """A quantity, frequency or deadline a clause commits to ("20名左右", "每年", "6月底前").

    ``start`` / ``end`` are offsets within ``Clause.text``; a deadline that sits in a table's 完成时限
    cell, outside the task's wording, has them None and its source offsets only.
    """

    text: str
    start: int | None
    end: int | None
    kind: TargetKind
    source_start: int = -1  # [source_start, source_end) in the file's extracted text
    source_end: int = -1


@dataclass(frozen=True)
class Field:
    """A table row's cell besides the task's wording: "牵头单位" → "区发改局", "落实进展情况" → "已完成…"."""

    name: str  # the column's header as printed
    text: str
    source_start: int
    source_end: int


@dataclass(frozen=True)
class Clause:
    """A numbered item of a document (a task), or a passage outside the items: what a citation points to."""

    clause_id: str  # "2023分工方案-18": unique across the corpus
    document_id: str  # "2023分工方案"
    document: str  # the document's full title
    short_name: str  # the document's short name (分工方案): what it calls itself; ids use document_id
    kind: ClauseKind
    number: int  # the printed number (0 for a passage)
    ordinal: str  # unique within the document: "18", or "2.3" where numbering restarts per section
    section: tuple[str, ...]  # headings above it, each with its own number: ("一、…", "（一）…")
    text: str  # repaired wording; for an outline item the responsibility note is included
    start: int  # [start, end) of the clause in the file's extracted text
    end: int
    source: str  # file name inside its corpus folder
    offsets: tuple[int, ...] = field(repr=False)  # source offset of every character of text
    body_end: int = -1  # text[:body_end] is the task's wording without its responsibility note
    location: Location | None = None  # page / paragraph / table cell / line in the original
    responsibility_raw: str = ""  # the note as printed (repaired), "" if none
    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # every responsible unit, lead units first
    open_units: bool = False  # the note ends its list with 等: more units may share the task
    leaders: tuple[str, ...] = ()  # people named as responsible (责任领导, 分管领导, a section's official)
    unit_label: str = ""  # the document's own word for the sharing units: 分工负责 / 责任单位 / 配合 …
    targets: tuple[Target, ...] = ()
    related: tuple[str, ...] = ()  # clause ids in other documents that continue this one
    fields: tuple[Field, ...] = ()  # a table row's other cells, as printed (progress columns included)

    @property
    def body(self) -> str:
        """The wording without the responsibility note."""
        return self.text if self.body_end < 0 else self.text[: self.body_end]

    @property
    def is_task(self) -> bool:
        return self.kind == "task"

    @property
    def citation(self) -> str:
        """The marker used in answer text: 〔2023分工方案第12条〕, or 〔2023分工方案·说明2〕 for a passage."""
        if self.kind == "passage":
            return f"〔{self.document_id}·说明{self.ordinal.removeprefix('p')}〕"
        return f"〔{self.document_id}第{self.ordinal}条〕"

    @property
    def deadlines(self) -> tuple[Target, ...]:
        """Its deadlines, each value once (a label may repeat what the wording says)."""
        seen: dict[str, Target] = {}
        for target in self.targets:
            if target.kind == "deadline":
                seen.setdefault(target.text, target)
        return tuple(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (the per-character offset map left out).

        Field by field rather than ``dataclasses.asdict``, which deep-copies the offset map only to drop
        it: this runs for every citation of every answer.
        """
        data: dict[str, Any] = {name: getattr(self, name) for name in _PLAIN_FIELDS}
        data["section"] = list(self.section)
        data["lead_units"], data["units"], data["leaders"] = (
            list(self.lead_units),
            list(self.units),
            list(self.leaders),
        )
        data["related"] = list(self.related)
        data["targets"] = [t.__dict__.copy() for t in self.targets]
        data["fields"] = [f.__dict__.copy() for f in self.fields]
        data["location"] = self.location.to_dict() if self.location else None
        data["marker"] = self.citation
        return data

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the [start, end) span of ``text`` (a highlight, say)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside a text of {len(self.text)} characters")
        return self.offsets[start], self.offsets[end - 1] + 1


_PLAIN_FIELDS = (
    "clause_id",
    "document_id",
    "document",
    "short_name",
    "kind",
    "number",
    "ordinal",
    "text",
    "start",
    "end",
    "source",
    "body_end",
    "responsibility_raw",
    "open_units",
    "unit_label",
)


@dataclass(frozen=True)
class ParseWarning:
    """An irregularity the parser worked around: the document still loads."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class ParseReport:
    """What the parser found in one document, for `clause-qa corpus check` and GET /api/documents."""

    items: int
    items_without_responsibility: int
    passages: int
    title_source: Literal["document", "notice", "file_name"]
    layout: str  # "outline" | "table" | "outline+table"
    warnings: tuple[ParseWarning, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = [asdict(w) for w in self.warnings]
        return data


@dataclass(frozen=True)
class Document:
    """A plan: a titled list of numbered items, with what its notice says about it."""

    document_id: str  # "2023分工方案": year + short name (+ the issuers' short name where two collide)
    title: str
    short_name: str  # the last characters of the title that name its kind: 分工方案, 工作要点
    source: str  # file name
    format: str  # txt | md | docx | pdf | html
    issuers: tuple[str, ...]  # "济南市人民政府办公厅", "临沂市人民政府办公室"
    places: tuple[str, ...]  # the issuers' places: "济南市", "临沂市" (what 两市 means)
    number: str | None  # 文号, where printed: "济政办字〔2023〕28号"
    date: str | None  # ISO date, where printed
    year: int | None  # the plan's year: from the title, else the date or 文号
    title_start: int
    title_end: int
    clause_ids: tuple[str, ...]  # its tasks, in order
    passage_ids: tuple[str, ...]  # its passages (notice paragraphs, preamble, notes), in order
    unit_label: str  # the word its notes use most for sharing units
    report: ParseReport

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "short_name": self.short_name,
            "issuers": list(self.issuers),
            "places": list(self.places),
            "number": self.number,
            "date": self.date,
            "year": self.year,
            "clause_count": len(self.clause_ids),
            "passage_count": len(self.passage_ids),
            "source": {"file": self.source, "format": self.format},
            "unit_label": self.unit_label,
            "report": self.report.to_dict(),
        }


@dataclass(frozen=True)
class SourceFile:
    """A corpus file and the documents it holds."""

    name: str
    sha256: str
    format: str
    text: str = field(repr=False)  # the extracted text clause offsets point into
    documents: tuple[Document, ...]
