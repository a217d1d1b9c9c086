"""Parse one corpus file into documents and clauses, by its numbering alone.

A file is a sequence of documents.  A document starts where section numbering
restarts at ``一、``; the lines before it (since the previous document's last
item) are its head: anything first (the notice), then its title, then an
optional preamble ending in ``。``.  An item runs from its number to the
parenthesis that names the responsible units, across page breaks; wrapped
lines that follow a closed item are an error unless a new document starts, so
no text is ever dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from corpus.errors import BrokenNumbering, CorpusError
from corpus.models import Clause, Document, SourceFile
from corpus.numbering import Level, Numbered, classify, strip_decoration
from corpus.responsibility import ResponsibilityError, find_responsibility, parse_responsibility
from corpus.targets import find_targets
from corpus.text import repair_layout

_MAX_TITLE = 100
_BOOK_TITLE = re.compile(r"《[^》]*》|〈[^〉]*〉")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LEVEL_NAMES = {Level.SECTION: "section", Level.SUBSECTION: "subsection", Level.ITEM: "item"}
# Only line feeds and carriage returns end a line, as in an editor: a form feed (the page break
# pdftotext writes) must not shift the line numbers that error messages give.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based line number, for messages
    start: int  # source offset of the first character
    text: str  # without the line break

    @property
    def end(self) -> int:
        return self.start + len(self.text.rstrip())


@dataclass
class _Item:
    line: _Line
    number: int
    start: int
    end: int
    section: tuple[str, ...]
    closed: bool = False


@dataclass
class _DocumentDraft:
    title_line: _Line
    title: str
    short_name: str
    preface: list[_Line]
    preamble: list[_Line]
    items: list[_Item] = field(default_factory=list)
    last: dict[Level, int] = field(default_factory=dict)  # last number seen at each level
    subsection_parent: int = 0  # section number under which the last subsection was seen
    section: str | None = None
    subsection: str | None = None


def short_name(title: str) -> str:
    """The last four Han characters of a title, quoted titles left out: 《…》重点任务分工方案 → 分工方案.

    A title that is all quotation (《…工作要点》) keeps its quoted characters; "" if it has no Han at all.
    """
    han = _HAN.findall(_BOOK_TITLE.sub("", title)) or _HAN.findall(title)
    return "".join(han[-4:])


def _heading(line: _Line) -> str:
    """A heading keeps its number and loses its marks: "五、强化产业务实合作"."""
    return repair_layout(strip_decoration(line.text)[0]).text.rstrip("。")


def _lines(text: str) -> list[_Line]:
    matches = _LINE.finditer(text)
    return [_Line(number, m.start(), m.group().rstrip("\r\n")) for number, m in enumerate(matches, start=1)]


def _closes(raw: str) -> bool:
    """True when ``raw`` ends with the responsibility parenthesis.

    Judged on the repaired wording, as the clause will be: a parenthesis split
    by a page break ("（责任" / blank line / "单位：两市教育局)") or wrapped in
    bold marks closes the item too, so the text after it cannot be swallowed.
    """
    return find_responsibility(repair_layout(raw).text) is not None


class _FileParser:
    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text
        self.documents: list[_DocumentDraft] = []
        self.pending: list[_Line] = []
        self.item: _Item | None = None

    def error(self, line: _Line | None, problem: str) -> CorpusError:
        return CorpusError(self.name, line.number if line else None, problem)

    def run(self) -> tuple[SourceFile, list[Clause]]:
        for line in _lines(self.text):
            if not line.text.strip():
                continue
            numbered = classify(line.text)
            if numbered is None:
                self._running_text(line)
            else:
                self._numbered(line, numbered)
        self._close_item()
        if not self.documents:
            raise self.error(None, "no numbered document found (a document starts with a title and a section 一、)")
        if self.pending:
            raise self.error(self.pending[0], "text after the last item belongs to no numbered item")
        return self._build()

    def _running_text(self, line: _Line) -> None:
        item = self.item
        if item is not None and not item.closed:
            item.end = line.end
            item.closed = _closes(self.text[item.start : item.end])
        else:
            self.pending.append(line)

    def _numbered(self, line: _Line, numbered: Numbered) -> None:
        self._close_item()
        if numbered.level is Level.SECTION and numbered.number == 1 and self.pending:
            self._start_document()
        if not self.documents:
            raise self.error(line, "numbered line before any document title")
        if self.pending:
            raise self.error(self.pending[0], "text between numbered items belongs to no item")
        document = self.documents[-1]
        self._check_number(document, line, numbered)
        if numbered.level is Level.SECTION:
            document.section, document.subsection = _heading(line), None
        elif numbered.level is Level.SUBSECTION:
            document.subsection = _heading(line)
        else:
            section = tuple(h for h in (document.section, document.subsection) if h)
            start = line.start + numbered.body_offset
            self.item = _Item(line, numbered.number, start, line.end, section)
            self.item.closed = _closes(self.text[start : line.end])

    def _check_number(self, document: _DocumentDraft, line: _Line, numbered: Numbered) -> None:
        level, found = numbered.level, numbered.number
        previous = document.last.get(level, 0)
        section = document.last.get(Level.SECTION, 0)
        allowed = {previous + 1}
        # Subsections may restart under each section; items are numbered through the document.
        if level is Level.SUBSECTION and document.subsection_parent != section:
            allowed.add(1)
        if found not in allowed:
            kind = "repeated" if found <= previous else "missing"
            expected = " or ".join(str(n) for n in sorted(allowed))
            raise BrokenNumbering(
                self.name,
                line.number,
                f"{_LEVEL_NAMES[level]} number {found} where {expected} was expected "
                f"({kind} number in 《{document.title}》)",
            )
        document.last[level] = found
        if level is Level.SUBSECTION:
            document.subsection_parent = section

    def _start_document(self) -> None:
        head, self.pending = self.pending, []
        preamble: list[_Line] = []
        if len(head) > 1 and head[-1].text.rstrip().endswith("。"):
            preamble = [head.pop()]
        title_line = head.pop()
        title = repair_layout(strip_decoration(title_line.text)[0]).text
        name = short_name(title)
        if title.endswith("。") or len(title) > _MAX_TITLE or not name:
            raise self.error(title_line, f"expected a document title before section 一、, found {title[:40]!r}")
        self.documents.append(_DocumentDraft(title_line, title, name, head, preamble))

    def _close_item(self) -> None:
        if self.item is not None:
            self.documents[-1].items.append(self.item)
            self.item = None

    def _clause(self, document: _DocumentDraft, item: _Item) -> Clause:
        repaired = repair_layout(self.text[item.start : item.end], base=item.start)
        text = repaired.text
        found = find_responsibility(text)
        raw, lead, units = "", (), ()
        if found is not None:
            bracket, inner = found
            raw = text[bracket:]
            try:
                parsed = parse_responsibility(inner)
            except ResponsibilityError as exc:
                raise self.error(item.line, str(exc)) from exc
            lead, units = parsed.lead_units, parsed.units
        return Clause(
            clause_id=f"{document.short_name}-{item.number}",
            document=document.title,
            short_name=document.short_name,
            number=item.number,
            section=item.section,
            text=text,
            start=item.start,
            end=item.end,
            source=self.name,
            offsets=repaired.offsets,
            responsibility_raw=raw,
            lead_units=lead,
            units=units,
            targets=find_targets(text),
        )

    def _build(self) -> tuple[SourceFile, list[Clause]]:
        clauses: list[Clause] = []
        documents: list[Document] = []
        for draft in self.documents:
            built = [self._clause(draft, item) for item in draft.items]
            if not built:
                raise self.error(draft.title_line, f"document 《{draft.title}》 has no numbered items")
            clauses.extend(built)
            documents.append(
                Document(
                    title=draft.title,
                    short_name=draft.short_name,
                    source=self.name,
                    title_start=draft.title_line.start,
                    title_end=draft.title_line.end,
                    preface=self._join(draft.preface),
                    preamble=self._join(draft.preamble),
                    clause_ids=tuple(c.clause_id for c in built),
                )
            )
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        return SourceFile(self.name, digest, self.text, tuple(documents)), clauses

    def _join(self, lines: list[_Line]) -> str:
        if not lines:
            return ""
        return repair_layout(self.text[lines[0].start : lines[-1].end]).text


def parse_file(name: str, text: str) -> tuple[SourceFile, list[Clause]]:
    """Parse the text of corpus file ``name``; raises CorpusError naming file and line."""
    return _FileParser(name, text).run()
