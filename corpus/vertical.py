"""Tables copied out of a web page one cell per line.

A web table pasted as text often loses its rows and columns: every cell lands on a line of its own,
sometimes ending with " |", sometimes with blank lines between them.  The header still names the
columns, one per line (序号 / 民生实事 / 责任单位 / 完成时限), and the rows follow.  When every cell line
ends with " |", empty cells included, the cells are read by position.  Otherwise a cell's kind says its
column: a bare number starts a row, a list of units goes to a unit column, a deadline to the 完成时限
column, a person to the 分管领导 column, prose to the task column — always moving rightwards, so that a
cell of three unit lines stays one cell; prose after the last column is an unnumbered sub-row, merged
into its row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus import lexicon
from corpus.lexicon import Role
from corpus.lines import Kind, Line
from corpus.numbering import Style, number_value
from corpus.responsibility import is_unit_list
from corpus.tables import Cell, Row, Table, column_role, header_roles

_BAR = re.compile(r"\s*[|｜]\s*$")
_MAX_HEADER_CELL = 12
_MIN_COLUMNS = 3
_SHORT_DEADLINE = 16
_MONTH_FIRST = re.compile(r"^(?:(?:19|20)\d\d年)?\d{1,2}月")


def cell_text(line: Line) -> str:
    """The line's cell: its text without the trailing " |" a copied table leaves."""
    return _BAR.sub("", line.content).strip()


def _cell(line: Line) -> Cell:
    text = cell_text(line)
    return Cell(line.content_start, line.content_start + len(text), text)


def vertical_header(lines: Sequence[Line], index: int) -> tuple[Table, int] | None:
    """A header written one column per line at ``index``: the table and how many lines it takes."""
    if index < len(lines) and _BAR.search(lines[index].content):
        return _barred_header(lines, index)
    cells: list[Cell] = []
    position = index
    while position < len(lines):
        line = lines[position]
        text = cell_text(line)
        if (
            line.kind not in (Kind.TEXT, Kind.CELLS)
            or not text
            or len(re.sub(r"\s", "", text)) > _MAX_HEADER_CELL
        ):
            break
        if column_role(text) is None and cells and column_role(cells[-1].text) is None:
            break  # two unknown words in a row: not a header any more
        if number_value(text) is not None:
            break  # the first row's 序号
        cells.append(_cell(line))
        position += 1
    while cells and column_role(cells[-1].text) is None and len(cells) > _MIN_COLUMNS:
        cells.pop()
        position -= 1
    if len(cells) < _MIN_COLUMNS:
        return None
    roles = header_roles(cells)
    if roles is None:
        return None
    table = Table(roles, spaced=False, headers=tuple(c.text for c in cells), vertical=True)
    return table, position - index


def _barred_header(lines: Sequence[Line], index: int) -> tuple[Table, int] | None:
    """A header whose cells end with " |": every cell up to the first row's 序号 is a column, named or not."""
    cells: list[Cell] = []
    position = index
    while position < len(lines) and _BAR.search(lines[position].content):
        text = cell_text(lines[position])
        if number_value(text) is not None or len(re.sub(r"\s", "", text)) > _MAX_HEADER_CELL:
            break
        cells.append(_cell(lines[position]))
        position += 1
    if (
        len(cells) < _MIN_COLUMNS
        or position >= len(lines)
        or number_value(cell_text(lines[position])) is None
    ):
        return None
    roles = header_roles(cells, lenient=True)
    if roles is None:
        return None
    return Table(
        roles, spaced=False, headers=tuple(c.text for c in cells), vertical=True, positional=True
    ), len(cells)


def _kind(text: str) -> Role:
    """The column a cell's text belongs to, judged by the text alone."""
    if lexicon.is_person(text):
        return Role.LEADERS
    dated = (
        lexicon.DEADLINE_PATTERN.search(text) or _MONTH_FIRST.match(text) or text in lexicon.OPEN_DEADLINES
    )
    if len(text) <= _SHORT_DEADLINE and dated:
        return Role.DEADLINE  # "12月底前", "9月投入使用", "全年"
    names = [n for n in re.split(r"[、，,]", text) if n]
    if is_unit_list(text) or (
        names and all(len(n) <= 20 and n.endswith(lexicon.UNIT_SUFFIXES) for n in names)
    ):
        return Role.UNITS
    if len(text) <= 60 and "。" not in text and any(v in text for v in lexicon.RESPONSIBILITY_MARKERS):
        return Role.UNITS  # "市政府办公室牵头落实"
    return Role.TASK


def _accepts(role: Role | None, kind: Role) -> bool:
    if kind is Role.UNITS:
        return role in (Role.LEAD, Role.UNITS)
    return role is kind


def feed(table: Table, line: Line) -> bool:
    """Put one line of a vertical table into its rows; False when the line is no part of the table."""
    text = cell_text(line)
    number_column = table.index(Role.NUMBER)
    starts = number_column is not None and number_value(text) is not None and len(text) <= 4
    if table.positional:
        if not _BAR.search(line.content) and line.content.strip() not in ("|", "｜"):
            return False
        if starts or not table.rows:
            table.rows.append(Row(line.number, line.start, [[] for _ in table.roles]))
            table.filled = 0
        row = table.rows[-1]
        if table.filled < len(table.roles) and text:
            row.cells[table.filled].append(_cell(line))
        table.filled += 1
        return True
    if starts:
        table.rows.append(Row(line.number, line.start, [[] for _ in table.roles]))
        row = table.rows[-1]
        row.cells[number_column].append(_cell(line))  # type: ignore[index]
        table.filled = number_column  # type: ignore[assignment]
        return True
    kind = _kind(text)
    task_columns = [i for i, r in enumerate(table.roles) if r is Role.TASK]
    columns = (
        [task_columns[-1]]
        if kind is Role.TASK and task_columns
        else [i for i, r in enumerate(table.roles) if _accepts(r, kind)]
    )
    if not columns:
        return False
    forward = [i for i in columns if i >= table.filled]
    if not table.rows or (
        number_column is None and kind is Role.TASK and not forward and table.rows[-1].text(columns[0])
    ):
        if number_column is not None and table.rows:
            return False
        table.rows.append(Row(line.number, line.start, [[] for _ in table.roles]))
        table.filled = 0
        forward = columns
    column = forward[0] if forward else columns[0]  # an unnumbered sub-row merges into its row
    table.rows[-1].cells[column].append(_cell(line))
    table.filled = column
    return True


def heading(line: Line) -> bool:
    """A numbered heading between a vertical table's rows ("一、…", "（一）…"): the rows' section."""
    return (
        line.kind is Kind.NUMBERED
        and line.numbered is not None
        and line.numbered.style <= Style.CHINESE_PAREN
    )
