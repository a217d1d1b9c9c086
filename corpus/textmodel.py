"""The one text model every reader hands the parser.

A reader turns a file (.txt, .md, .docx, .pdf, .html) into plain, line-oriented text: paragraphs on
their own lines, a table row on one line with its cells separated by tabs.  Citations point into this
text (for a .txt file it *is* the file), and ``regions`` remember where each span sits in the original:
the page of a PDF, the paragraph or table cell of a .docx or a web page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("txt", "md", "docx", "pdf", "html")


@dataclass(frozen=True)
class Region:
    """A span of the extracted text and where it sits in the original file."""

    start: int
    end: int
    page: int | None = None  # 1-based PDF page
    paragraph: int | None = None  # 1-based paragraph of the body (.docx, .html)
    table: int | None = None  # 1-based table of the body
    row: int | None = None  # 1-based row of that table
    cell: int | None = None  # 1-based cell of that row


@dataclass(frozen=True)
class Location:
    """Where a clause starts: its line in the extracted text and its place in the original."""

    line: int
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def describe(self) -> str:
        """In the words a reader checks a citation with: "第2页", "表1第3行第2列", "第14行"."""
        if self.table is not None:
            return f"表{self.table}第{self.row}行第{self.cell}列"
        if self.page is not None:
            return f"第{self.page}页"
        if self.paragraph is not None:
            return f"第{self.paragraph}段"
        return f"第{self.line}行"

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if v is not None}
        data["text"] = self.describe()
        return data


@dataclass(frozen=True)
class TextModel:
    """A readable file: its extracted text, the format it came from, and its regions."""

    name: str  # file name inside the corpus folder
    format: str  # one of FORMATS
    text: str
    encoding: str | None = None  # for .txt / .md: the detected encoding
    regions: tuple[Region, ...] = ()  # sorted by start, not overlapping
    _line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        text = self.text
        for index, char in enumerate(text):
            if char == "\n" or (char == "\r" and not text.startswith("\n", index + 1)):
                starts.append(index + 1)
        object.__setattr__(self, "_line_starts", tuple(starts))

    def line_of(self, offset: int) -> int:
        """1-based line number of a text offset (line feeds and lone carriage returns end a line)."""
        return bisect.bisect_right(self._line_starts, offset)

    def locate(self, offset: int) -> Location:
        """The line of ``offset`` and, for structured formats, the region around it."""
        line = self.line_of(offset)
        index = bisect.bisect_right([r.start for r in self.regions], offset) - 1
        if index >= 0 and self.regions[index].start <= offset < max(self.regions[index].end, offset + 1):
            region = self.regions[index]
            return Location(line, region.page, region.paragraph, region.table, region.row, region.cell)
        return Location(line)
