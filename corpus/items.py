"""What the body parser finds, before ids are given: items (tasks) and passages, as spans of the text."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.responsibility import Responsibility


@dataclass(frozen=True)
class Piece:
    """A span of the extracted text that is part of an item's wording."""

    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """A task as found: its wording's pieces, where it sits, what it says about responsibility."""

    number: int
    path: tuple[int, ...]  # the numbers of its headings, then its own
    section: tuple[str, ...]
    pieces: tuple[Piece, ...]
    line: int
    note_start: int | None  # source offset where its responsibility note starts, if inside its text
    responsibility: Responsibility
    cell_deadlines: tuple[tuple[Piece, ...], ...] = ()  # a table row's 完成时限 values, each in its pieces
    skips: tuple[tuple[int, int], ...] = ()  # page furniture inside its pieces, left out of its text
    fields: tuple[tuple[str, str, int, int], ...] = ()  # a table row's other cells: header, text, span
    # A table row's wording in columns no header word names (建设内容及目标 beside 项目名称): it says
    # what the task commits to, so it follows the task's wording as a sentence of its own.
    detail: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    line: int
    section: tuple[str, ...]
