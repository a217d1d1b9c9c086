"""Lines of the extracted text, each with what it looks like: numbered, a label, a table row, prose.

What a line *is* (a task, a heading, part of the notice) depends on where it sits; that is the
parser's job.  This module only describes each line once, so no rule looks at raw text twice.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from corpus import lexicon
from corpus.numbering import Numbered, Style, chinese_numeral, classify, strip_decoration
from corpus.tables import Cell, split_cells
from corpus.text import repair_layout

# Only line feeds and carriage returns end a line, as in an editor: a form feed (the page break
# pdftotext and the PDF reader write) must not shift the line numbers that messages give.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_RULE = re.compile(r"^[-*_=|:~+—－─━\s]*$")
_TERMINAL = "。！？；!?;"
_MAX_TITLE = 80


class Kind(Enum):
    NUMBERED = "numbered"
    LABEL = "label"  # starts with a responsibility label: 牵头单位：…
    CELLS = "cells"  # tab- or pipe-separated cells
    RULE = "rule"  # no words at all ("---", "|---|---|") or page furniture ("— 3 —")
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, for messages
    start: int  # offset of the line's first character in the extracted text
    raw: str  # the line without its line break
    content: str  # decoration stripped
    content_start: int  # offset of content in the extracted text
    kind: Kind
    numbered: Numbered | None = None
    label: lexicon.Role | None = None
    cells: tuple[Cell, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.raw.rstrip())

    @property
    def text(self) -> str:
        """The content as a reader reads it: layout repaired."""
        return repair_layout(self.content).text

    @property
    def ends_sentence(self) -> bool:
        return self.text.rstrip("”’」）)").endswith(tuple(_TERMINAL))

    @property
    def date(self) -> str | None:
        """An ISO date when the whole line is one ("2023 年 6 月 29 日")."""
        text = self.text
        match = lexicon.DATE.search(text)
        if match and len(text) <= len(match.group()) + 4:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
        match = lexicon.DATE_HANZI.search(text)
        if match and len(text) <= len(match.group()) + 4:
            digits = "".join(
                str("〇○零一二三四五六七八九".index(c) - 2 if c not in "〇○零" else 0) for c in match.group(1)
            )
            month, day = (chinese_numeral(g) for g in match.groups()[1:])
            return f"{int(digits):04d}-{month:02d}-{day:02d}"
        return None

    def is_title_like(self) -> bool:
        """Short, unpunctuated, not numbered: what a title or a wrapped title's first line looks like."""
        text = self.text
        return (
            self.kind is Kind.TEXT
            and 2 <= len(text) <= _MAX_TITLE
            and not text.endswith(("。", "，", "、", "；", "：", ":", ";", ",", "！", "？"))
            and not self.date
            and not lexicon.DOCUMENT_NUMBER.search(text)
            and not lexicon.END_MATTER.search(text)
            and not lexicon.ATTACHMENT_LINE.match(text)
            and not lexicon.ATTACHMENT_LIST.match(text)
        )


def split_lines(text: str) -> list[Line]:
    """Every line that has words, described; blank lines are skipped.

    A line that runs several numbered points together ("一是…。二是…；三是…", or a list flattened onto
    one line when a page was copied: "…。 1.… 2.…") is split into one line per point, each keeping its
    offsets (and its line number, for messages).
    """
    found = [(number, match.start(), match.group().rstrip("\r\n"))
             for number, match in enumerate(_LINE.finditer(text), start=1)]
    found = [line for line in found if line[2].strip(" \t\u3000\f")]
    running = _running_lines(found)
    lines: list[Line] = []
    for at, (number, start, raw) in enumerate(found):
        if at in running:
            content, offset = strip_decoration(raw)
            lines.append(Line(number, start, raw, content, start + offset, Kind.RULE))
        else:
            lines.extend(_points(_next_item(describe(number, start, raw), lines)))
    return lines


# "5.65岁以上老年人…": an item number run into a figure, which a decimal (2.5万元) would be too.
_NUMBER_THEN_FIGURE = re.compile(r"^(?P<num>\d{1,3})[.．](?=\d)")


def _next_item(line: Line, before: list[Line]) -> Line:
    """A line of text that opens with the next item's number run into a figure (5.65岁…, after item 4 and a line
    that closed its sentence or its note) is that item: a decimal would not open a line after a finished one."""
    match = _NUMBER_THEN_FIGURE.match(line.content)
    if line.kind is not Kind.TEXT or match is None or not before:
        return line
    last = next((b.numbered for b in reversed(before) if b.numbered is not None), None)
    closed = before[-1].text.endswith((*_TERMINAL, "）", ")"))
    if last is None or last.style is not Style.ARABIC or int(match.group("num")) != last.number + 1 or not closed:
        return line
    offset = line.content_start - line.start + match.end()
    numbered = Numbered(Style.ARABIC, last.number + 1, offset)
    return Line(line.number, line.start, line.raw, line.content, line.content_start, Kind.NUMBERED, numbered=numbered)


def _running_lines(found: list[tuple[int, int, str]]) -> set[int]:
    """Which lines are a running header or footer of a paginated text (a PDF's pages, cut by form feeds): a line
    that opens or closes two pages or more word for word ("柘政办发〔2025〕7号" atop every page but the first).
    Only those places are page furniture: the same words elsewhere (the 文号 under the title) are the document's."""
    def key(raw: str) -> str:
        return re.sub(r"[\s\f\u3000]", "", raw)

    opening = [at for at, (_, _, raw) in enumerate(found) if raw.lstrip(" \t\u3000").startswith("\f")]
    edges = {*opening, *(at - 1 for at in opening if at > 0)}
    counts = Counter(key(found[at][2]) for at in edges)
    return {at for at in edges if counts[key(found[at][2])] >= 2}


# A point that starts inside a line, after a sentence: "…。二是…", "…。 2.…".
_INLINE_SHI = re.compile(r"(?<=[。；;！])[\s\u3000]*(?P<num>[一二三四五六七八九十]{1,3})是(?=[^，,。；;\s])")
_INLINE_ARABIC = re.compile(r"(?<=[。；;！])[\s\u3000]+(?P<num>\d{1,3})[.．、](?!\d)(?=\S)")


def _points(line: Line) -> list[Line]:
    if line.kind is Kind.CELLS:
        return [line]
    shi = line.numbered is not None and line.numbered.style is Style.CHINESE_SHI
    pattern = _INLINE_SHI if shi else _INLINE_ARABIC
    cuts: list[int] = []
    expected = line.numbered.number + 1 if line.numbered is not None else None
    for match in pattern.finditer(line.raw):
        raw_number = match.group("num")
        found = int(raw_number) if raw_number.isdecimal() else chinese_numeral(raw_number)
        if expected is None or found == expected:
            cuts.append(match.start("num"))
            expected = found + 1
    # One inline "2." after a sentence is too little to be a list: a run of at least two, or points
    # continuing the line's own "一是".
    if not cuts or (not shi and len(cuts) < 2 and line.numbered is None):
        return [line]
    bounds = [0, *cuts, len(line.raw)]
    return [
        describe(line.number, line.start + start, line.raw[start:end].rstrip())
        for start, end in itertools.pairwise(bounds)
        if line.raw[start:end].strip()
    ]


def describe(number: int, start: int, raw: str) -> Line:
    content, offset = strip_decoration(raw)
    content_start = start + offset
    cells = split_cells(raw, start)
    if _RULE.match(content) or lexicon.PAGE_NUMBER.match(content) or lexicon.PAGE_CHROME.match(content):
        return Line(number, start, raw, content, content_start, Kind.RULE)
    if cells:
        return Line(number, start, raw, content, content_start, Kind.CELLS, cells=cells)
    numbered = classify(raw)
    if numbered is not None:
        return Line(number, start, raw, content, content_start, Kind.NUMBERED, numbered=numbered)
    label = lexicon.label_at(content)
    if label is not None:
        role = lexicon.label_role(label.group("label"))
        return Line(number, start, raw, content, content_start, Kind.LABEL, label=role)
    return Line(number, start, raw, content, content_start, Kind.TEXT)
