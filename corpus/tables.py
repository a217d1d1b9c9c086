"""Tables in the extracted text: pipe tables, tab-separated rows, space-aligned columns.

A table starts at a header row whose cells name its columns (序号, 重点工作任务, 牵头单位, 责任单位,
分管领导, 完成时限, 落实进展情况 …, see ``corpus.lexicon``); responsibility then comes from the column
a cell is in, never from a keyword inside it.  Rows may wrap: a line with an empty 序号 cell continues
the row above it, cell by cell, and in a space-aligned table a cell's text is assigned to the column it
sits under.  A category column that names the category only on its first row carries it down.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from corpus import lexicon
from corpus.lexicon import Role
from corpus.numbering import number_value

_PIPE = re.compile(r"[|｜]")
_SPACED = re.compile(r"(?:[ \u3000]{2,}|\u3000|\t)+")
_BRACKETED = re.compile(r"[（(].*?[）)]")
# Header words matched inside a longer header ("民生实事项目"); 分工 (a note's label) is no column.
_COLUMN_WORDS = tuple(
    (r, w) for r, w in (*lexicon.LABELS.items(), *lexicon.COLUMN_WORDS.items()) if r is not Role.NOTE
)


_UNIT_COLUMNS = (Role.LEAD, Role.UNITS)
# How well a cell of a kind fits a column of a role (what is not listed: 0).
_FIT = {
    **{("office", r): 2 for r in _UNIT_COLUMNS}, ("office", Role.DEADLINE): -2, ("office", Role.TASK): -1,
    ("time", Role.DEADLINE): 2, **{("time", r): -2 for r in (*_UNIT_COLUMNS, Role.LEADERS)}, ("time", Role.TASK): -1,
    **{("wording", r): -1 for r in (*_UNIT_COLUMNS, Role.DEADLINE, Role.LEADERS)}, ("wording", Role.TASK): 1,
}
_OFFICE_ENDS = tuple(sorted({*lexicon.UNIT_SUFFIXES, *lexicon.DEPARTMENT_ENDS, *lexicon.OFFICE_CELL_ENDS},
                            key=len, reverse=True))
_SHORT_CELL = 40  # characters: a longer cell is a task's wording, whatever it ends with


def _cell_kind(text: str) -> str:
    """"time" (a deadline: 2021年8月前, 长期推进), "office" (units: 疾控处, 宣传处会同办公室), else "wording"."""
    form = text.strip().rstrip("。；;，,")
    if len(form) > _SHORT_CELL:
        return "wording"
    if lexicon.TIME_START.match(form):
        return "time"
    names = [n for n in re.split(r"[、，,；;\s]+", re.sub(r"[（(][^）)]*[）)]", "", form)) if n]
    if names and all(n.endswith(_OFFICE_ENDS) for n in names):
        return "office"
    return "wording"


@dataclass(frozen=True)
class Cell:
    start: int  # offsets of the cell's text (stripped) in the extracted text
    end: int
    text: str
    column: int = 0  # display column of its first character (space-aligned tables)


def split_cells(raw: str, start: int) -> tuple[Cell, ...]:
    """The cells of a pipe- or tab-separated line, or () when the line is not one."""
    body = raw.strip(" \u3000\f")
    if not body:
        return ()
    if "\t" in body:
        return _split(raw, start, re.compile(r"\t"))
    if body[0] in "|｜" or len(_PIPE.findall(body)) >= 2:
        cells = _split(raw, start, _PIPE)
        return cells if len(cells) >= 2 else ()
    return ()


def split_spaced(raw: str, start: int) -> tuple[Cell, ...]:
    """The segments of a line split at runs of two or more spaces (or one full-width space)."""
    cells = []
    position = 0
    for match in [*_SPACED.finditer(raw), None]:
        end = match.start() if match else len(raw)
        piece = raw[position:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            offset = position + lead
            cells.append(Cell(start + offset, start + offset + len(text), text, display_width(raw[:offset])))
        if match:
            position = match.end()
    return tuple(cells)


def _split(raw: str, start: int, separator: re.Pattern[str]) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    position = 0
    pieces = [*separator.finditer(raw), None]
    for match in pieces:
        end = match.start() if match else len(raw)
        piece = raw[position:end]
        lead = len(piece) - len(piece.lstrip(" \u3000\f"))
        text = piece.strip(" \u3000\f")
        cells.append(Cell(start + position + lead, start + position + lead + len(text), text))
        if match:
            position = match.end()
    # A pipe table's outer pipes leave an empty first and last cell.
    if separator.pattern != r"\t":
        if cells and not cells[0].text:
            cells.pop(0)
        if cells and not cells[-1].text:
            cells.pop()
    return tuple(cells)


def display_width(text: str) -> int:
    """Columns a monospaced editor gives ``text``: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_role(header: str) -> Role | None:
    """The role a header cell names: "序 号" → NUMBER, "完成时限（年内）" → DEADLINE, "备注" → PROGRESS."""
    word = re.sub(r"[\s\u3000]", "", header)
    role = lexicon.label_role(word) or lexicon.label_role(_BRACKETED.sub("", word))
    if role is None and 2 < len(word) <= 12:
        # "民生实事项目", "责任单位及责任人": the longest column word inside the header names it.
        found = [(len(w), r) for r, words in _COLUMN_WORDS for w in words if len(w) >= 2 and w in word]
        role = max(found, key=lambda f: f[0])[1] if found else None
    return role


def header_roles(cells: Sequence[Cell], lenient: bool = False) -> tuple[Role | None, ...] | None:
    """The columns' roles when ``cells`` are a table's header row; None when they are not one.

    All but two cells must name a known column; ``lenient`` (a header whose cells are marked as such,
    " |" after each) asks only half of them to.
    """
    if len(cells) < 2:
        return None
    roles = tuple(column_role(c.text) for c in cells)
    responsibility = {Role.LEAD, Role.UNITS, Role.LEADERS, Role.DEADLINE}
    unknown = [i for i, r in enumerate(roles) if r is None]
    if Role.TASK not in roles and len(unknown) == 1 and responsibility & set(roles):
        # 序号 | 2022年预期目标 | 责任单位: the one column no word names is what the rows are about.
        roles = tuple(Role.TASK if i == unknown[0] else r for i, r in enumerate(roles))
    named = [r for r in roles if r is not None]
    if Role.TASK not in named or not ({Role.NUMBER} | responsibility) & set(named):
        return None
    if len(named) < (max(2, len(cells) // 2) if lenient else max(2, len(cells) - 2)):
        return None
    return roles


@dataclass
class Row:
    """One task row being assembled; cells by column, each a list of pieces (wrapped lines)."""

    line_number: int
    start: int
    cells: list[list[Cell]] = field(default_factory=list)

    def text(self, column: int) -> str:
        return "".join(c.text for c in self.cells[column]) if column < len(self.cells) else ""


@dataclass
class Table:
    """A table under construction: its columns' roles and the rows seen so far."""

    roles: tuple[Role | None, ...]
    spaced: bool  # columns are aligned with spaces, not separated by tabs or pipes
    columns: tuple[int, ...] = ()  # display column where each header cell starts (spaced tables)
    headers: tuple[str, ...] = ()  # the header cells as printed: the document's own words for its columns
    vertical: bool = False  # one cell per line (corpus.vertical)
    positional: bool = False  # vertical, and every cell line ends with " |": cells go by position
    rows: list[Row] = field(default_factory=list)
    filled: int = 0  # vertical tables: the column the last cell went to

    def index(self, role: Role) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r is role), None)

    def assign(self, cells: Sequence[Cell]) -> list[list[Cell]]:
        """Cells of a data line by column: in order for separated tables, by position for spaced ones;
        in order too for a spaced line with a cell for every column (a web table pasted with unaligned
        runs of spaces between its cells)."""
        if not self.spaced:
            self._number_column(cells)
        slots: list[list[Cell]] = [[] for _ in self.roles]
        if not self.spaced and 2 <= len(cells) < len(self.roles) and number_value(cells[0].text) is not None:
            for cell, column in zip(cells, self._by_content(cells), strict=True):
                if cell.text:
                    slots[column].append(cell)
            return slots
        if not self.spaced or len(cells) == len(self.roles):
            for i, cell in enumerate(cells):
                if cell.text:
                    slots[min(i, len(slots) - 1)].append(cell)
            return slots
        for cell in cells:
            fitting = [i for i, col in enumerate(self.columns) if col <= cell.column + 1]
            slots[fitting[-1] if fitting else 0].append(cell)
        return slots

    def _number_column(self, cells: Sequence[Cell]) -> None:
        """A header without a 序号 cell over rows that have one ("工作任务 | 具体要求 | 责任科室 | 时限要求" over
        "强化… | 1 | 对…清理 | 办公室 | 年底前"): the column is added where the rows print their number."""
        if Role.NUMBER in self.roles or len(cells) != len(self.roles) + 1:
            return
        numbers = [i for i, c in enumerate(cells) if number_value(c.text) is not None]
        if len(numbers) == 1:
            at = numbers[0]
            self.roles = (*self.roles[:at], Role.NUMBER, *self.roles[at:])
            self.headers = (*self.headers[:at], "", *self.headers[at:])

    def _by_content(self, cells: Sequence[Cell]) -> tuple[int, ...]:
        """Columns for a row with fewer cells than the header (a cell merged over rows or columns), in order:
        the one placing offices under unit columns and times under the deadline column best; of equals, the
        one furthest left (cells in order, as a full row's)."""
        kinds = [_cell_kind(c.text) for c in cells]

        def fit(columns: tuple[int, ...]) -> int:
            return sum(_FIT.get((kind, self.roles[column]), 0) for kind, column in zip(kinds, columns, strict=True))

        first = self.index(Role.NUMBER) or 0
        options = (c for c in itertools.combinations(range(len(self.roles)), len(cells)) if c[0] == first)
        return max(options, key=lambda columns: (fit(columns), [-c for c in columns]))

    def starts_row(self, slots: list[list[Cell]]) -> bool:
        """A line starts a new row when its 序号 cell holds a number (or the table has no 序号 column)."""
        number = self.index(Role.NUMBER)
        if number is None:
            return True
        return bool(slots[number]) and number_value(slots[number][0].text) is not None
