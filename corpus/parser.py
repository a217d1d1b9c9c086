"""Parse one file's text model into its plans: documents, their tasks and their passages.

A file is a notice (optional) and one or more plans.  A plan starts at its title ("…分工方案",
"…2023年工作要点", a title wrapped over two lines); the lines before the first title are the notice,
whose issuers, 文号 and date apply to every plan in the file.  A file without a recognisable title is one
plan, titled from its notice's 《…》 or, failing that, from the file name (the report says which).
Ids are given later, by the loader, because they must be unique across the whole corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from corpus import lexicon
from corpus.header import (
    Header,
    is_metadata,
    is_notice_title,
    is_plan_title,
    issuer_of_title,
    issuers_of,
    read_header,
    title_place,
)
from corpus.ids import short_name
from corpus.items import Item, Passage
from corpus.lines import Kind, Line, split_lines
from corpus.models import ParseWarning
from corpus.numbering import strip_decoration
from corpus.outline import BodyParser
from corpus.responsibility import PlaceContext
from corpus.tables import header_roles, split_spaced
from corpus.text import reading_form, repair_layout, without_pinyin
from corpus.textmodel import TextModel
from corpus.vertical import vertical_header

_WRAPPED_TITLE_LINE = 30  # one part of a title wrapped over two lines is short
_MAX_TITLE_PART = 60


@dataclass(frozen=True)
class ParsedDocument:
    """A plan as parsed, before the loader gives it an id."""

    title: str
    title_source: str  # "document" | "notice" | "file_name"
    title_start: int
    title_end: int
    short_name: str
    year: int | None
    header: Header
    places: tuple[str, ...]
    items: tuple[Item, ...]
    passages: tuple[Passage, ...]
    warnings: tuple[ParseWarning, ...]
    layout: str


@dataclass(frozen=True)
class ParsedFile:
    model: TextModel
    sha256: str
    documents: tuple[ParsedDocument, ...]


def parse_model(model: TextModel, sha256: str | None = None) -> ParsedFile:
    """The plans of a file; never raises for an irregular document (warnings say what was odd)."""
    original = model
    reading = reading_form(model.text)
    if reading != model.text:  # traditional script or pinyin: read the reading form, cite the original
        model = TextModel(model.name, model.format, reading, model.encoding, model.regions)
    lines = split_lines(model.text)
    titles = _titles(lines)
    head_end = titles[0][0] if titles else _notice_end(lines)
    plans: list[tuple[Sequence[Line] | None, list[Line]]] = []
    if not titles:
        plans.append((None, list(lines[head_end:])))
    for index, (first, last) in enumerate(titles):
        end = titles[index + 1][0] if index + 1 < len(titles) else len(lines)
        plans.append((lines[first : last + 1], list(lines[last + 1 : end])))
    # Issuers and dates also stand under a title ("某某县人民政府办公室　2023年3月20日") or at the very end
    # (the signature after the plan): they are the notice's facts, not the plan's prose.
    metadata = list(lines[:head_end])
    kept: list[list[Line]] = []  # each plan's metadata lines: kept as its passages too
    for position, (_, body) in enumerate(plans):
        own: list[Line] = []
        while body and is_metadata(body[0]):
            own.append(body.pop(0))
        if position == len(plans) - 1:
            tail: list[Line] = []
            while body and is_metadata(body[-1]):
                tail.insert(0, body.pop())
            own.extend(tail)
        metadata.extend(own)
        kept.append(own)
    header = read_header(metadata)
    drafts = [
        _document(
            model,
            original.text,
            header,
            title_lines,
            body,
            [*(lines[:head_end] if index == 0 else []), *kept[index]],
        )
        for index, (title_lines, body) in enumerate(plans)
    ]
    digest = sha256 or hashlib.sha256(original.text.encode("utf-8")).hexdigest()
    return ParsedFile(original, digest, tuple(drafts))


# --- finding the plans ------------------------------------------------------------------------
def _titles(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """(first, last) line index of every plan title, wrapped titles included, in order."""
    found: list[tuple[int, int]] = []
    for index in range(len(lines)):
        if found and index <= found[-1][1]:
            continue
        span = _title_span(lines, index, found[-1][1] if found else -1)
        if span is None:
            continue
        if found and _subtitle(lines, found[-1], span):
            continue
        found.append(span)
    valid: list[tuple[int, int]] = []
    for position, (first, last) in enumerate(found):
        end = found[position + 1][0] if position + 1 < len(found) else len(lines)
        if not any(_opens_plan(lines, i) for i in range(last + 1, end)):
            continue
        text = _title_text(lines[first : last + 1])
        if valid and not (any(w in text for w in lexicon.PLAN_TITLE_WORDS) or lexicon.YEAR.search(text)):
            continue
        valid.append((first, last))
    return valid


def _names_plan_kind(text: str) -> bool:
    """The title says what kind of plan it is at its end (…规划责任分解, …实施方案（2025—2027年）)."""
    return lexicon.TITLE_TAIL_END.sub("", text).rstrip().endswith(lexicon.PLAN_KINDS)


def _subtitle(lines: Sequence[Line], title: tuple[int, int], span: tuple[int, int]) -> bool:
    """A title-like line right after a plan's title, before any of its body, that names no kind of plan
    ("“十三五”应急体系9个具体建设任务" under "…规划责任分解"): a heading of that plan, not a plan of its own."""
    return (
        not any(_opens_plan(lines, i) for i in range(title[1] + 1, span[0]))
        and _names_plan_kind(_title_text(lines[title[0] : title[1] + 1]))
        and not _names_plan_kind(_title_text(lines[span[0] : span[1] + 1]))
    )


def _title_span(lines: Sequence[Line], index: int, taken: int) -> tuple[int, int] | None:
    """The title lines around line ``index`` when it is (part of) a plan title: a title may wrap over
    two lines ("…2023年重点工作任务" / "分工方案"), and a "（2024—2026年）" line may follow it."""
    line = lines[index]
    if not line.is_title_like():
        return None

    def joinable(other: Line) -> bool:
        return (
            other.is_title_like()
            and len(other.text) <= _WRAPPED_TITLE_LINE
            and not is_notice_title(other.text)
            and not issuers_of(other.content)
            and abs(other.number - line.number) <= 2
            and not other.text.startswith(("（", "("))
            # "实施方案（2025-2027年）": the last part of a wrapped title may carry its tail
            and not lexicon.TITLE_TAIL_END.sub("", other.text).endswith(("）", ")"))
            and lexicon.label_role(other.text) is None  # a table's first header cell is not part of the title
            and not lexicon.DATE.search(other.text)  # a masthead "某某日报 2024年7月18日"
            and not lexicon.META_LINE.match(other.text)  # a web page's 发布机构：… above its 名称：…
        )

    spans = [(index, index)]
    wraps = (
        not line.text.startswith(("（", "("))
        and not line.text.endswith(("）", ")"))
        and not lexicon.DATE.search(line.text)
    )
    if (
        wraps
        and index + 1 < len(lines)
        and joinable(lines[index + 1])
        and len(line.text) <= _MAX_TITLE_PART
        and vertical_header(lines, index + 1) is None  # a table's header, one cell per line, follows
        # two titles in a row (a page heading, then the plan's); not a wrapped title's tail that names no place
        # or year of its own ("…2025年政府工作报告重点任务" / "责任分工方案")
        and not (is_plan_title(lines[index + 1].text) and _stands_alone(lines[index + 1].text))
    ):
        spans.append((index, index + 1))
    if (
        wraps
        and index - 1 > taken
        and joinable(lines[index - 1])
        and not is_plan_title(lines[index - 1].text)
    ):
        spans.append((index - 1, index))
    fitting = [(first, last) for first, last in spans if is_plan_title(_title_text(lines[first : last + 1]))]
    if not fitting:
        return None
    first, last = max(fitting, key=lambda span: (span[1] - span[0], -span[0]))
    if first > 0 and _mid_sentence(lines[first - 1]):
        return None  # "…协作区产业" / "发展规划及实施方案": a page break inside an item, not a title
    if last + 1 < len(lines) and lexicon.TITLE_TAIL.match(lines[last + 1].text):
        last += 1
    return first, last


def _stands_alone(title: str) -> bool:
    """A plan title that says whose or of which year it is: a title of its own, not the last line of one."""
    return bool(lexicon.YEAR.search(title) or title_place(title))


def _mid_sentence(line: Line) -> bool:
    """A long line of prose or an item that stops in the middle of its sentence."""
    text = line.text
    return (
        line.kind in (Kind.NUMBERED, Kind.TEXT)
        and len(text) > _WRAPPED_TITLE_LINE
        and not line.ends_sentence
        and not text.endswith(("）", ")", "：", ":", "]", "】"))
        and not is_metadata(line)
    )


def _opens_plan(lines: Sequence[Line], index: int) -> bool:
    """A line that a plan's body has: a numbered item, a labelled line, a table row or header."""
    line = lines[index]
    if line.kind in (Kind.NUMBERED, Kind.CELLS, Kind.LABEL):
        return True
    return line.kind is Kind.TEXT and (
        header_roles(split_spaced(line.raw, line.start)) is not None
        or vertical_header(lines, index) is not None
    )


def _notice_end(lines: Sequence[Line]) -> int:
    """Where a notice without a separate plan title ends: after its signature's date."""
    notice = next((i for i, line in enumerate(lines[:20]) if is_notice_title(line.text)), None)
    if notice is None:
        return 0
    for index in range(notice + 1, len(lines)):
        if lines[index].date:
            end = index + 1
            while end < len(lines) and lexicon.END_MATTER.search(lines[end].text):
                end += 1
            return end
    return notice + 1


def _title_text(lines: Sequence[Line], original: str | None = None) -> str:
    """The title the lines hold; from ``original`` (the file as written) when the parser reads another."""
    if original is None:
        return lexicon.META_LINE.sub("", "".join(line.text for line in lines), count=1)  # 名称：<the title>
    printed = (strip_decoration(original[line.start : line.start + len(line.raw)])[0] for line in lines)
    return lexicon.META_LINE.sub("", without_pinyin("".join(repair_layout(text).text for text in printed)), count=1)


# --- one plan ---------------------------------------------------------------------------------
def _document(
    model: TextModel,
    original: str,
    header: Header,
    title_lines: Sequence[Line] | None,
    body: Sequence[Line],
    head: Sequence[Line],
) -> ParsedDocument:
    warnings: list[ParseWarning] = []
    if title_lines:
        title, source = _title_text(title_lines, original), "document"
        title_start, title_end = title_lines[0].content_start, title_lines[-1].end
    else:
        quoted = header.quoted_title()
        title, source = (quoted, "notice") if quoted else (Path(model.name).stem, "file_name")
        title_start = title_end = 0
        where = "the notice's title" if quoted else "the file name"
        warnings.append(
            ParseWarning(model.name, None, f"no plan title found; the title is taken from {where}")
        )
    issuer = None if header.issuers else issuer_of_title(title)
    if issuer:
        header = replace(header, issuers=(issuer,))
    places = header.places
    if not places:
        place = title_place(title)
        places = (place,) if place else ()
    context = PlaceContext(places)
    result = BodyParser(model.text, context, header.first_unit_leads, original).parse(body)
    warnings.extend(ParseWarning(model.name, line, message) for line, message in result.warnings)
    passages = [*_head_passages(head), *result.passages]
    if not result.items:
        warnings.append(ParseWarning(model.name, body[0].number if body else None, "no numbered items found"))
    bare = [item for item in result.items if item.responsibility.empty]
    if bare and len(bare) * 2 < len(result.items):
        warnings.extend(
            ParseWarning(model.name, item.line, f"item {item.number} names no responsible unit or person")
            for item in bare
        )
    year = _year(title, header)
    return ParsedDocument(
        title=title,
        title_source=source,
        title_start=title_start,
        title_end=title_end,
        short_name=short_name(reading_form(title)) or Path(model.name).stem,  # ids in simplified script
        year=year,
        header=header,
        places=places,
        items=tuple(result.items),
        passages=tuple(passages),
        warnings=tuple(warnings),
        layout="+".join(sorted(result.layouts, reverse=True)) or "none",
    )


def _year(title: str, header: Header) -> int | None:
    for text in (repair_layout(title).text, header.date or "", header.number or ""):
        match = lexicon.YEAR.search(text.replace(" ", ""))
        if match:
            return int(match.group(1))
    return None


def _head_passages(head: Sequence[Line]) -> list[Passage]:
    """The notice's lines as passages: its issuers, 文号, title, addressees and paragraphs (numbered or not).

    A paragraph ends at a sentence's end; a short line without one (a headline, a masthead) stands alone,
    while a long one continues on the next line (a paragraph split by a page break).
    """
    passages: list[Passage] = []
    paragraph: list[Line] = []

    def close() -> None:
        if paragraph:
            passages.append(Passage(paragraph[0].content_start, paragraph[-1].end, paragraph[0].number, ()))
            paragraph.clear()

    for line in head:
        text = line.text
        if line.kind is Kind.RULE:
            close()
            continue
        if line.kind is Kind.NUMBERED or is_metadata(line) or is_notice_title(text):
            close()
        paragraph.append(line)
        if (
            line.ends_sentence
            or text.endswith(("：", ":"))
            or len(text) <= _WRAPPED_TITLE_LINE
            or is_metadata(line)
            or is_notice_title(text)
        ):
            close()
    close()
    return sorted(passages, key=lambda p: p.start)
