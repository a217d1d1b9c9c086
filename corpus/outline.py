"""One plan's body as items (its tasks) and passages (everything else), with the warnings met on the way.

The body is read line by line.  Numbered lines build a tree by their style's rank (``一、`` above
``（一）`` above ``1.``); the leaves are the items, the inner nodes the headings of the items below them.
An item runs across wrapped lines and page breaks until a responsibility note closes it (a trailing
bracket, or labelled lines such as ``牵头单位：``), or until the next numbered line.  A heading's own note
(labelled lines under it, an official named in it) is inherited by the items below.  A header row whose
cells name columns starts a table; each row is then an item.  Prose that belongs to no item is kept as
a passage, and where the numbering or a note is irregular a warning says so — nothing stops the parse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from corpus import lexicon
from corpus.items import Item, Passage, Piece
from corpus.lexicon import Role
from corpus.lines import Kind, Line, describe
from corpus.numbering import Style, strip_decoration
from corpus.responsibility import (
    PlaceContext,
    Responsibility,
    by_phrase,
    find_inline_labels,
    find_trailing_note,
    heading_responsibility,
    parse_note,
)
from corpus.rows import TableState, row_item
from corpus.tables import Row, Table, header_roles, split_spaced
from corpus.text import repair_layout, without_pinyin
from corpus.vertical import feed, vertical_header
from corpus.vertical import heading as vertical_heading

_STYLE_NAMES = {
    Style.PART: "part",
    Style.CHINESE: "section",
    Style.CHINESE_PAREN: "subsection",
    Style.ARABIC: "item",
    Style.ARABIC_PAREN: "sub-item",
    Style.CIRCLED: "sub-item",
    Style.CHINESE_SHI: "point",
}


_NOBODY = Responsibility()


@dataclass
class _Node:
    line: Line | None
    style: Style | None
    number: int
    start: int
    end: int
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    note_lines: list[Line] = field(default_factory=list)
    closed: bool = False
    heading: str = ""
    heading_note: Responsibility = field(default_factory=Responsibility)  # who its heading says leads it
    first_leads: bool = False  # a 下同 rule was in force when it was read
    extra_lines: list[Line] = field(default_factory=list)  # lines after a heading's first line
    holds_table: bool = False  # a heading whose items are the rows of a table below it
    wrapped: set[int] = field(default_factory=set)  # note lines that continue the line above them
    heading_lines: list[Line] = field(default_factory=list)  # a heading wrapped onto the next line
    skips: list[tuple[int, int]] = field(default_factory=list)  # page furniture inside its span
    content: list[Piece] = field(default_factory=list)  # its wording on 任务内容： lines after its labels

    @property
    def has_note(self) -> bool:
        return self.closed or bool(self.note_lines)

    @property
    def title(self) -> str:
        """The heading as a section is named: without the note that closes its line ("（一）推动制造业提质增效。
        （牵头单位：区工信局）" is the section 推动制造业提质增效; its note is its items')."""
        trailing = find_trailing_note(self.heading)
        if trailing is None or not self.heading[: trailing[0]].strip():
            return self.heading
        return self.heading[: trailing[0]].rstrip().rstrip("。")

    def path(self) -> list[_Node]:
        nodes, node = [], self
        while node is not None and node.style is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]


@dataclass
class BodyResult:
    items: list[Item] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)


class BodyParser:
    """Parses the lines of one plan's body (after its title)."""

    def __init__(
        self, text: str, context: PlaceContext, first_unit_leads: bool = False, original: str | None = None
    ) -> None:
        self.text = text  # what the parser reads (corpus.text.reading_form of the file)
        self.original = original if original is not None else text  # what headings are printed from
        self.context = context
        self.first_leads = first_unit_leads
        self.root = _Node(None, None, 0, 0, 0)
        self.current = self.root
        self.last_of_style: dict[Style, int] = {}
        self.prose: list[Line] = []
        self.rows: TableState | None = None
        self.item_style: Style | None = None
        self.last_roles: Table | None = None  # the columns of the table before the current heading
        self.result = BodyResult()

    # --- driving ------------------------------------------------------------------------------
    def parse(self, lines: Sequence[Line]) -> BodyResult:
        points = list(lines)
        index = 0
        while index < len(points):
            line = points[index]
            index += 1
            if line.kind is Kind.RULE:
                if self.current.style is not None and not self.current.children:
                    self.current.skips.append((line.start, line.start + len(line.raw)))
                continue
            if lexicon.FIRST_UNIT_LEADS.search(line.text):
                self.first_leads = self.current.first_leads = True  # from here on, the current item included
            vertical = self.rows is not None and self.rows.table.vertical
            if not vertical:
                found = vertical_header(points, index - 1)
                if found is not None:
                    self._end_table()
                    self._flush_prose()
                    self._start_table(found[0])
                    index += found[1] - 1
                    continue
            if vertical:
                assert self.rows is not None
                if vertical_heading(line):
                    self._table_heading(line)
                    continue
                if feed(self.rows.table, line):
                    continue
                self._end_table()
            if self._table_header(line):
                continue
            if self.rows is not None and self._table_line(line):
                continue
            if line.kind is Kind.CELLS and self._reopen_table(line):
                continue
            self._line(line if line.kind is not Kind.CELLS else _plain(line))
        self._end_table()
        self._flush_prose()
        self.item_style = _item_style(self.root)
        self._emit(self.root)
        self.result.items.sort(key=lambda item: item.pieces[0].start)
        self.result.passages.sort(key=lambda passage: passage.start)
        return self.result

    def _line(self, line: Line) -> None:
        if line.kind is Kind.NUMBERED:
            self._numbered(line)
        elif line.kind is Kind.LABEL:
            self._label(line)
        else:
            self._prose_line(line)

    # --- outline ------------------------------------------------------------------------------
    def _numbered(self, line: Line) -> None:
        assert line.numbered is not None
        self._flush_prose()
        numbered = line.numbered
        if self._milestone(line):
            self.current.extra_lines.append(line)  # the task's wording goes on: its steps, then its note
            self.current.end = line.end
            return
        parent = self.current
        while parent.style is not None and parent.style >= numbered.style:
            parent = parent.parent  # type: ignore[assignment]
        start = line.start + numbered.body_offset
        node = _Node(line, numbered.style, numbered.number, start, line.end, parent)
        node.heading = self._printed(line)
        node.heading_note = heading_responsibility(
            repair_layout(line.raw[numbered.body_offset :]).text, self.context
        )
        self._check_number(parent, node, line)
        parent.children.append(node)
        node.first_leads = self.first_leads
        node.closed = self._closes(node)
        self.current = node
        self.result.layouts.add("outline")

    def _milestone(self, line: Line) -> bool:
        """①②③ steps naming no one under a task that has no note yet, the first opening with a time."""
        assert line.numbered is not None
        node, title = self.current, line.raw[line.numbered.body_offset :].strip()
        after_step = any(extra.numbered is not None for extra in node.extra_lines)  # "②同步推进…" follows ①
        return (
            line.numbered.style is Style.CIRCLED
            and node.style is not None
            and node.style < Style.CIRCLED
            and not node.children
            and not node.has_note
            and (after_step or bool(lexicon.DEADLINE_PATTERN.match(title))
                 or title.startswith(lexicon.MILESTONE_STARTS))
            and find_trailing_note(title) is None
            and find_inline_labels(title) is None
        )

    def _field(self, line: Line) -> tuple[str, str, int, int]:
        """A label line as a field: its label ("完成时限"), its value as printed, the value's span."""
        label = lexicon.label_at(self.text, line.content_start)
        start = label.end() if label else line.content_start
        end = start + len(self.text[start : line.end].rstrip())
        return (label.group("label") if label else "", self.text[start:end], start, end)

    def _printed(self, line: Line) -> str:
        """A heading line as printed in the file, marks dropped: "一、扩大有效投资"."""
        raw = self.original[line.start : line.start + len(line.raw)]
        return without_pinyin(repair_layout(strip_decoration(raw)[0]).text).rstrip("。")

    def _check_number(self, parent: _Node, node: _Node, line: Line) -> None:
        style, found = node.style, node.number
        assert style is not None
        siblings = [c for c in parent.children if c.style == style]
        name = _STYLE_NAMES[style]
        if siblings:
            expected = siblings[-1].number + 1
            if found != expected:
                kind = "repeated" if found <= siblings[-1].number else "missing"
                self.result.warnings.append(
                    (line.number, f"{name} number {found} where {expected} was expected ({kind} number)")
                )
        else:
            previous = self.last_of_style.get(style)
            if previous is not None and found not in (1, previous + 1):
                self.result.warnings.append(
                    (line.number, f"{name} number {found} where 1 or {previous + 1} was expected")
                )
        self.last_of_style[style] = found

    def _closes(self, node: _Node) -> bool:
        """An item ends at its note: a bracket that closes it, or labels written inline after its wording."""
        text = repair_layout(self.text[node.start : node.end]).text
        return find_trailing_note(text) is not None or find_inline_labels(text) is not None

    def _label(self, line: Line) -> None:
        node = self.current
        if (
            node.style is not None
            and not node.note_lines
            and _open_bracket(repair_layout(self.text[node.start : node.end]).text)
        ):
            self._prose_line(
                line
            )  # "（" + page break + "责任单位：…）": the note goes on, it is not a line of its own
            return
        self._flush_prose()
        if self._covers_group(node):
            self._group_note(node, line, line.text)
            return
        node.closed = True
        node.note_lines.append(line)
        if node.style is not None:
            node.end = line.end

    def _covers_group(self, node: _Node) -> bool:
        """A note after a run of items none of which names anyone ("1.完善预案体系", (1) (2) (3), then
        "（责任单位：…）" on a line of its own) is the group's: their parent's, which each of them inherits,
        not the last item's alone."""
        parent = node.parent
        return (
            parent is not None
            and parent.style is not None
            and not parent.note_lines
            and parent.heading_note.empty
            and node.style is not None
            and len(parent.children) >= 2
            and not any(c.has_note or c.children or not c.heading_note.empty for c in parent.children)
        )

    def _group_note(self, node: _Node, line: Line, note_text: str) -> None:
        """``note_text`` (a label line, or the inside of a bracketed one) becomes the note of ``node``'s parent,
        and the line a passage under the group's heading; ``node`` is closed."""
        node.closed = True
        group = node.parent
        assert group is not None
        note = parse_note(note_text, self.context)
        self.result.warnings.extend((line.number, problem) for problem in note.problems)
        group.heading_note = group.heading_note.merged(note)
        self.prose.append(line)

    def _prose_line(self, line: Line) -> None:
        node = self.current
        if node.style is None or node.holds_table:
            self.prose.append(line)  # before the first item, or after a table: not an item's text
        elif node.note_lines and (label := lexicon.CONTENT_LABEL.match(self.text, line.content_start, line.end)):
            node.content.append(Piece(label.end(), line.end))
        elif node.note_lines:
            last, text = node.note_lines[-1].text, line.text
            wrapped = last.endswith(("、", "，", ",")) or (
                len(text) <= 20
                and not last.endswith(("。", "；", ";", "）", ")"))
                and not line.ends_sentence
                and not text.startswith(("（", "(", "[", "【"))
                and not self.prose
            )
            if wrapped:
                node.note_lines.append(line)  # a list of units wrapped onto the next line
                node.wrapped.add(line.number)
                node.end = line.end
            else:
                self._stray(line, node)
        elif not node.closed and (inner := _whole_note(line)) is not None and self._covers_group(node):
            self._group_note(node, line, inner)
        elif not node.closed:
            if not node.extra_lines and not node.heading_lines and _continues_heading(node, line):
                node.heading_lines.append(line)  # "…统筹协调" / "作用": one heading, wrapped
                node.heading += self._printed(line)
            else:
                node.extra_lines.append(line)
            node.end = line.end
            node.closed = self._closes(node)
        else:
            self._stray(line, node)

    def _stray(self, line: Line, node: _Node) -> None:
        if not self.prose:
            self.result.warnings.append(
                (
                    line.number,
                    f"text after {node.heading[:16]}… belongs to no numbered item; kept as a passage",
                )
            )
        self.prose.append(line)

    def _flush_prose(self) -> None:
        """Consecutive prose lines become passages, one per paragraph."""
        if not self.prose:
            return
        section = tuple(n.title for n in self.current.path() if n.children or n is not self.current)
        if self.current.style is not None and not self.current.children:
            section = tuple(n.title for n in self.current.path()[:-1])
        paragraph: list[Line] = []
        for line in self.prose:
            paragraph.append(line)
            if line.ends_sentence:
                self._passage(paragraph, section)
                paragraph = []
        if paragraph:
            self._passage(paragraph, section)
        self.prose = []

    def _passage(self, lines: list[Line], section: tuple[str, ...]) -> None:
        start = lines[0].content_start
        self.result.passages.append(Passage(start, lines[-1].end, lines[0].number, section))

    def _emit(self, node: _Node, inherited: Responsibility = _NOBODY) -> None:
        own = self._heading_note(node) if node.style is not None else self._note(node.note_lines)
        here = own.inheriting(inherited) if node.style is not None else own
        for child in node.children:
            if child.holds_table and not child.children:
                continue  # its items were emitted as table rows
            heading_only = (
                not child.children
                and not child.has_note
                and self.item_style is not None
                and child.style is not None
                and child.style < self.item_style
            )
            if heading_only:
                # "三、保障措施" and a paragraph, among items numbered 1. 2. 3.: a heading, not a task.
                section = tuple(n.title for n in child.path())
                if child.extra_lines:
                    start = child.extra_lines[0].content_start
                    self.result.passages.append(
                        Passage(start, child.extra_lines[-1].end, child.extra_lines[0].number, section)
                    )
                elif child.line is not None:  # a heading with nothing under it (an excerpt's last): kept
                    self.result.passages.append(Passage(child.start, child.end, child.line.number, section[:-1]))
                continue
            if self._safeguards(child):
                section = tuple(n.title for n in child.path())
                for paragraph in child.children:
                    assert paragraph.line is not None
                    self.result.passages.append(Passage(paragraph.start, paragraph.end, paragraph.line.number, section))
                continue
            if child.children:
                if child.extra_lines:
                    start = child.extra_lines[0].content_start
                    section = tuple(n.title for n in child.path())
                    self.result.passages.append(
                        Passage(start, child.extra_lines[-1].end, child.extra_lines[0].number, section)
                    )
                self._emit(child, here)
            else:
                self._item(child, here)

    def _heading_note(self, node: _Node) -> Responsibility:
        """A heading's note lines, who its words say lead it, and a note closing its line ("（一）推动制造业提质
        增效。（牵头领导：王建平；牵头单位：区工信局）"): all inherited by the items below it."""
        trailing = self._own_note(node)[0] if node.line is not None else Responsibility()
        return self._note(node.note_lines, node.wrapped).merged(node.heading_note).merged(trailing)

    def _note(self, lines: list[Line], wrapped: set[int] | None = None) -> Responsibility:
        if not lines:
            return Responsibility()
        parts: list[str] = []
        for line in lines:
            if parts and line.number in (wrapped or set()):
                parts[-1] += line.text  # "开发区党工" / "委": a name cut by the line's end
            else:
                parts.append(line.text)
        raw = "；".join(parts)
        note = parse_note(raw, self.context)
        for problem in note.problems:
            self.result.warnings.append((lines[0].number, problem))
        return note

    def _own_note(self, node: _Node) -> tuple[Responsibility, int | None, tuple[tuple[int, int], ...]]:
        """What a leaf's own wording says about responsibility (a trailing note, inline labels), where that
        note starts, and the page furniture inside it; its note lines are not read here."""
        note_start = node.note_lines[0].content_start if node.note_lines else None
        body_end = note_start if note_start is not None else node.end
        skips = tuple(span for span in node.skips if node.start <= span[0] < node.end)
        body = repair_layout(self.text[node.start : body_end], base=node.start, skip=skips)
        trailing = find_trailing_note(body.text)
        if trailing is not None:
            bracket, inner = trailing
            return parse_note(inner, self.context), body.offsets[bracket], skips
        inline = find_inline_labels(body.text)
        if inline is not None:
            return parse_note(body.text[inline:], self.context), body.offsets[inline], skips
        phrase = by_phrase(body.text, self.context)  # part of the task's wording: its text goes on
        if phrase is not None:
            return phrase, note_start, skips
        return Responsibility(), note_start, skips

    def _safeguards(self, node: _Node) -> bool:
        """A 保障措施 section of paragraphs numbered like the tasks, none naming anyone: not tasks."""
        return (
            bool(node.children)
            and lexicon.is_safeguards_heading(node.heading)
            and node.heading_note.empty
            and not node.has_note
            and all(not c.children and not c.has_note and self._own_note(c)[0].empty for c in node.children)
        )

    def _item(self, node: _Node, inherited: Responsibility) -> None:
        assert node.line is not None
        own, note_start, skips = self._own_note(node)
        for problem in own.problems:
            self.result.warnings.append((node.line.number, problem))
        if node.note_lines:
            own = own.merged(self._note(node.note_lines, node.wrapped))
        responsibility = own.inheriting(inherited)
        if node.first_leads:
            responsibility = responsibility.first_leads()
        path = tuple(n.number for n in node.path())
        section = tuple(n.title for n in node.path()[:-1])
        pieces, fields, deadlines = (Piece(node.start, node.end),), (), ()
        if node.content and note_start is not None:
            # Labels between the task's name and its wording (任务内容：…): the wording follows the name, the
            # label lines are kept as the task's fields (完成时限 as its deadline), as a table row's cells are.
            pieces, note_start = (Piece(node.start, note_start),), None
            fields = tuple(self._field(line) for line in node.note_lines)
            deadlines = tuple((Piece(start, end),) for name, _, start, end in fields
                              if lexicon.label_role(name) is Role.DEADLINE)
        self.result.items.append(
            Item(
                node.number,
                path,
                section,
                pieces,
                node.line.number,
                note_start,
                responsibility,
                cell_deadlines=deadlines,
                skips=skips,
                fields=fields,
                detail=tuple(node.content),
            )
        )

    # --- tables -------------------------------------------------------------------------------
    def _table_header(self, line: Line) -> bool:
        cells, spaced = line.cells, False
        if not cells and line.kind in (Kind.TEXT, Kind.LABEL):
            cells, spaced = split_spaced(line.raw, line.start), True
        roles = header_roles(cells) if cells else None
        if roles is None:
            return False
        self._end_table()
        self._flush_prose()
        # The rows sit under the headings read so far; an item left open above the table ends here.
        self._start_table(Table(roles, spaced, tuple(c.column for c in cells), tuple(c.text for c in cells)))
        return True

    def _start_table(self, table: Table) -> None:
        node = self.current
        if (
            node.style is not None
            and not node.children
            and not (node.closed or node.note_lines or node.extra_lines)
        ):
            node.holds_table = True  # a bare heading line right above the table: the rows' section
        anchor = (
            node if node.children or node.holds_table or node.style is None else node.parent
        ) or self.root
        self.rows = TableState(table, tuple((n.number, n.heading) for n in anchor.path()), anchor.style)
        self.result.layouts.add("table")

    def _table_line(self, line: Line) -> bool:
        """Consume a line of the open table; False (and the table ends) when the line is not part of it."""
        state = self.rows
        assert state is not None
        table = state.table
        if (
            line.kind is Kind.NUMBERED
            and line.numbered is not None
            and line.numbered.style <= Style.CHINESE_PAREN
        ):
            if state.anchor_style is not None and line.numbered.style <= state.anchor_style:
                # A heading of the table's own level ("二、民生保障" after "一、经济发展"): a new part.
                self.last_roles = state.table
                self._end_table()
                return False
            if not table.spaced or len(split_spaced(line.raw, line.start)) == 1:
                self._table_heading(line)
                return True
        cells = split_spaced(line.raw, line.start) if table.spaced else line.cells
        if not cells:
            self._end_table()
            return False
        filled = [c for c in cells if c.text]
        if (
            len(filled) == 1
            and len(table.roles) > 2
            or (len(filled) > 1 and len({c.text for c in filled}) == 1)
        ):
            heading = describe(line.number, filled[0].start, filled[0].text)
            if (
                heading.kind is Kind.NUMBERED or len(filled) > 1
            ):  # "一、稳增长" alone on a row, or a merged row
                self._table_heading(heading)
                return True
        slots = table.assign(cells)
        number = table.index(Role.NUMBER)
        if table.spaced and number is not None and slots[number] and not table.starts_row(slots):
            # Text under the 序号 column that is not a number ("注：…"): the table has ended.
            self._end_table()
            return False
        if table.starts_row(slots) or not table.rows:
            table.rows.append(Row(line.number, line.start, slots))
        else:
            for column, pieces in enumerate(slots):
                table.rows[-1].cells[column].extend(pieces)
        return True

    def _reopen_table(self, line: Line) -> bool:
        """Rows under a new heading that do not repeat the header: the previous table's columns go on."""
        previous = self.last_roles
        if previous is None or len(line.cells) != len(previous.roles):
            return False
        node = self.current
        if node.style is not None and (node.children or node.closed or node.note_lines or node.extra_lines):
            return False
        self._start_table(Table(previous.roles, False, (), previous.headers))
        return self._table_line(line)

    def _table_heading(self, line: Line) -> None:
        state = self.rows
        assert state is not None
        self._end_rows()
        style = line.numbered.style if line.numbered else Style.CHINESE
        number = line.numbered.number if line.numbered else len(state.headings) + 1
        while state.headings and state.headings[-1][0] >= style:
            state.headings.pop()
        state.headings.append((style, number, self._printed(line)))
        state.category = ""

    def _end_rows(self) -> None:
        if self.rows is not None:
            for row in self.rows.table.rows:
                item, warnings = row_item(self.rows, row, self.context, self.first_leads)
                self.result.warnings.extend(warnings)
                if item is not None:
                    self.result.items.append(item)
            self.rows.table.rows.clear()

    def _end_table(self) -> None:
        if self.rows is not None:
            self.last_roles = self.rows.table
        self._end_rows()
        self.rows = None


def _continues_heading(node: _Node, line: Line) -> bool:
    """A short line right under a heading that stopped mid-phrase: the heading's wrapped end.  Not after a
    blank line: "（一）坚定不移做强增长引擎" / "" / "加强基础设施建设" is a heading and the title of its items."""
    assert node.line is not None
    first = node.line.text
    return (
        node.style is not None
        and line.number == node.line.number + 1
        and node.style <= Style.CHINESE_PAREN
        and len(first) >= 12
        and not node.line.ends_sentence
        and not first.endswith(("：", ":", "）", ")"))
        and len(line.text) <= 12
        and not line.ends_sentence
    )


def _whole_note(line: Line) -> str | None:
    """The inside of a line that is nothing but a bracketed responsibility note ("（责任单位：市应急局）")."""
    found = find_trailing_note(repair_layout(line.text).text)
    return found[1] if found is not None and found[0] == 0 else None


def _open_bracket(text: str) -> bool:
    """True when ``text`` ends inside a bracket it opened."""
    depth = 0
    for char in text:
        if char in "（([【〔":
            depth += 1
        elif char in "）)]】〕" and depth:
            depth -= 1
    return depth > 0


def _leaves(node: _Node) -> list[_Node]:
    if not node.children:
        return [] if node.style is None or node.holds_table else [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _item_style(root: _Node) -> Style | None:
    """The numbering style of the plan's tasks: that of the leaves with a note, else of all leaves."""
    leaves = _leaves(root)
    noted = [leaf.style for leaf in leaves if leaf.has_note and leaf.style is not None]
    styles = noted or [leaf.style for leaf in leaves if leaf.style is not None]
    return Counter(styles).most_common(1)[0][0] if styles else None


def _plain(line: Line) -> Line:
    """A cell-looking line outside any table, read as ordinary text."""
    described = describe(line.number, line.start, line.raw.replace("\t", " "))
    return (
        described
        if described.kind is not Kind.CELLS
        else Line(line.number, line.start, line.raw, line.content, line.content_start, Kind.TEXT)
    )
