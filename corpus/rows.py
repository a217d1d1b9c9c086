"""A table's rows as items: the task column's wording, responsibility from the other columns.

Which column says what comes from the header (corpus.tables); here each row becomes an item: its
number (the 序号, else its position), its section (the headings above the table, numbered rows inside it,
the category column carried down), its responsibility cell by cell, its 完成时限 values, and every other
cell kept as a field (a progress column's figures are not targets), but for the wording of a column no
header word names (建设内容及目标), which joins the task's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus import lexicon
from corpus.items import Item, Piece
from corpus.lexicon import Role
from corpus.numbering import Style, number_value
from corpus.responsibility import PlaceContext, leader_names, merge_cells
from corpus.tables import Row, Table
from corpus.text import repair_layout

_SPACE_RUN = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


@dataclass
class TableState:
    table: Table
    anchor_path: tuple[tuple[int, str], ...]  # (number, heading) of the headings the table sits under
    anchor_style: Style | None  # the numbering style of the heading right above it (None: the plan itself)
    headings: list[tuple[Style, int, str]] = field(default_factory=list)  # numbered rows inside the table
    category: str = ""
    categories: int = 0  # category values seen, for the rows' number paths
    count: int = 0


def row_item(
    state: TableState, row: Row, context: PlaceContext, first_leads: bool
) -> tuple[Item | None, list[tuple[int, str]]]:
    """A table row as an item (None for a row without task text), and the warnings it gives."""
    warnings: list[tuple[int, str]] = []
    table = state.table
    roles = table.roles
    task_columns = [i for i, r in enumerate(roles) if r is Role.TASK]
    # Of two task-like columns ("重点工作" | "具体任务"), the first groups the rows, like a category.
    category_columns = [i for i, r in enumerate(roles) if r is Role.CATEGORY] + task_columns[:-1]
    categories = [row.text(i) for i in category_columns if row.text(i)]
    if categories and repair_layout("".join(categories)).text != state.category:
        state.category = repair_layout("".join(categories)).text
        state.categories += 1
    pieces = tuple(Piece(c.start, c.end) for c in row.cells[task_columns[-1]] if c.text)
    unnamed = [i for i, r in enumerate(roles) if r is None and table.headers[i].strip() and row.text(i)]
    if not pieces and unnamed:  # its 工作任务 cell merged with the row above: its 具体要求 is what it asks
        pieces = tuple(Piece(c.start, c.end) for c in row.cells[unnamed[0]] if c.text)
        task_columns = [*task_columns, unnamed[0]]
    if not pieces:
        if any(row.text(i) for i in range(len(roles))):
            warnings.append((row.line_number, "a table row without task text; skipped"))
        return None, warnings
    number_column = table.index(Role.NUMBER)
    number = number_value(row.text(number_column)) if number_column is not None else None
    if number is None:
        number = state.count + 1
    state.count += 1
    section = [heading for _, heading in state.anchor_path] + [h for _, _, h in state.headings]
    path = [number for number, _ in state.anchor_path] + [n for _, n, _ in state.headings]
    if state.category:
        section.append(state.category)
        path.append(state.categories)
    cells: list[tuple[Role, str, str]] = []
    deadlines: list[tuple[Piece, ...]] = []
    for index, role in enumerate(roles):
        if role not in (Role.LEAD, Role.UNITS, Role.LEADERS, Role.DEADLINE) or not row.text(index):
            continue
        filled = [c for c in row.cells[index] if c.text and not lexicon.EMPTY_CELL.match(c.text)]
        if not filled:
            continue
        if role is Role.DEADLINE and table.vertical:
            # One deadline per line: an unnumbered sub-row brings its own.
            for cell in filled:
                cells.append((role, table.headers[index], repair_layout(cell.text).text))
                deadlines.append((Piece(cell.start, cell.end),))
            continue
        # Within one cell a space separates names (a .docx cell's paragraphs); a cell wrapped onto
        # the next line continues the name it cut, while a vertical table's lines are names of their own.
        joiner = "、" if table.vertical else ""
        text = repair_layout(joiner.join(_SPACE_RUN.sub("、", c.text) for c in filled)).text
        if role is Role.LEADERS:  # a padded name (俞 悦) is one name, and names run together are paired
            text = "、".join(name for c in filled for name in leader_names(c.text))
        cells.append((role, table.headers[index], text))
        if role is Role.DEADLINE:
            deadlines.append(tuple(Piece(c.start, c.end) for c in filled))
    responsibility = merge_cells(cells, context)
    if first_leads:
        responsibility = responsibility.first_leads()
    warnings.extend((row.line_number, problem) for problem in responsibility.problems)
    detail_columns = [i for i in unnamed if i != task_columns[-1]]
    detail = tuple(Piece(c.start, c.end) for i in detail_columns for c in row.cells[i] if c.text)
    skipped = {task_columns[-1], number_column, *detail_columns}
    joiner = "、" if table.vertical else ""
    fields = tuple(
        (
            table.headers[i],
            repair_layout(joiner.join(c.text for c in row.cells[i] if c.text)).text,
            row.cells[i][0].start,
            row.cells[i][-1].end,
        )
        for i in range(len(roles))
        if i not in skipped and row.text(i)
    )
    item = Item(
        number,
        (*path, number),
        tuple(section),
        pieces,
        row.line_number,
        None,
        responsibility,
        tuple(deadlines),
        fields=fields,
        detail=detail,
    )
    return item, warnings
