"""The layout test documents of tests/data/layouts parse as their expected files say (issue 10).

Each ``<stem>.expected.json`` pins a document's title, issuers, 文号, date and year, and per item its
number, section path, first words, lead units, units, open list, leaders and deadlines.  Compared as
tests/data/layouts/README.md says: section strings, ``text_starts``, titles and deadlines after NFKC and
whitespace removal; unit lists exactly, in order.

Then, for every clause and passage of every layout document (and the seed): each character of
``clause.text`` comes from the extracted source text at ``clause.offsets[i]``, and ``clause.location``
points to the right table cell of a .docx and the right page of a .pdf, checked against the data
build.py writes the files from.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from corpus import Clause, Corpus, lexicon, load_corpus
from corpus.lexicon import COLUMN_WORDS, LABELS, label_at
from corpus.lines import split_lines
from corpus.readers import read_file
from corpus.textmodel import Region
from corpus.vertical import vertical_header

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
EXPECTED = sorted(LAYOUTS.glob("*.expected.json"))

# Stems of documents whose expectation describes a parser gap not closed yet (none today).  Only these may
# be xfail, and strictly: closing the gap makes the test fail until the stem is removed here.  Never weaken
# an expectation instead.
KNOWN_GAPS: frozenset[str] = frozenset()

# The half-width punctuation the repair writes full-width next to Chinese (corpus/text.py).
FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
LINE_BREAKS = "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"


def norm(text: str | None) -> str:
    """The comparison form of tests/data/layouts/README.md: NFKC, no whitespace."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def _stem(path: Path) -> str:
    return path.name.removesuffix(".expected.json")


def _expectation_params() -> list[Any]:
    params = []
    for path in EXPECTED:
        marks = (
            [pytest.mark.xfail(strict=True, reason="known parser gap (KNOWN_GAPS)")]
            if _stem(path) in KNOWN_GAPS
            else []
        )
        params.append(pytest.param(path, id=_stem(path), marks=marks))
    return params


def _expected_files() -> list[str]:
    return [json.loads(p.read_text(encoding="utf-8"))["file"] for p in EXPECTED]


# --- the catalogue is consistent -------------------------------------------------------------------


def test_every_layout_document_has_an_expectation_and_every_expectation_a_document(layout_dir: Path) -> None:
    documents = sorted(p.name for p in layout_dir.iterdir())
    assert sorted(_expected_files()) == documents
    # An expected file sits under the stem of the document it describes.
    for path in EXPECTED:
        assert Path(json.loads(path.read_text(encoding="utf-8"))["file"]).stem == _stem(path)
    assert len(documents) >= 22  # 20 committed + the built .docx and .pdf


def test_the_built_documents_are_the_ones_the_expectations_name(layout_builder: ModuleType) -> None:
    built_by = {
        e["file"]: e["built_by"]
        for e in (json.loads(p.read_text(encoding="utf-8")) for p in EXPECTED)
        if "built_by" in e
    }
    assert built_by == {
        "shiwan-2024-table.docx": "build.py:build_docx",
        "daishan-2023-trailing.pdf": "build.py:build_pdf",
    }
    assert {
        name: f"build.py:{builder.__name__}" for name, builder in layout_builder.BUILDERS.items()
    } == built_by


# --- each document parses as expected ------------------------------------------------------------


def _document_facts(corpus: Corpus, document_id: str) -> dict[str, Any]:
    document = next(d for d in corpus.documents if d.document_id == document_id)
    return {
        "title": norm(document.title),
        "title_source": document.report.title_source,
        "issuers": list(document.issuers),
        "number": document.number,
        "date": document.date,
        "year": document.year,
    }


def _item_facts(clause: Clause, expected_start: str) -> dict[str, Any]:
    return {
        "number": clause.number,
        "section": [norm(s) for s in clause.section],
        "text_starts": norm(clause.text)[: len(norm(expected_start))],
        "lead_units": list(clause.lead_units),
        "units": list(clause.units),
        "open_units": clause.open_units,
        "leaders": list(clause.leaders),
        "deadlines": [norm(t.text) for t in clause.deadlines],
    }


def _expected_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": item["number"],
        "section": [norm(s) for s in item["section"]],
        "text_starts": norm(item["text_starts"]),
        "lead_units": item["lead_units"],
        "units": item["units"],
        "open_units": item["open_units"],
        "leaders": item["leaders"],
        "deadlines": [norm(d) for d in item["deadlines"]],
    }


@pytest.mark.parametrize("expected_path", _expectation_params())
def test_the_parse_equals_the_expectation(expected_path: Path, load_layout, layout_dir: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    name = expected["file"]
    corpus = load_layout(name)
    assert corpus.unreadable == ()
    assert len(corpus.documents) == len(expected["documents"]), [d.title for d in corpus.documents]
    model = read_file(layout_dir / name)
    assert model.encoding == (expected.get("encoding", "utf-8") if model.format in ("txt", "md") else None)
    for document, want in zip(corpus.documents, expected["documents"], strict=True):
        assert document.format == Path(name).suffix.lstrip(".")
        assert document.source == name
        assert _document_facts(corpus, document.document_id) == {
            "title": norm(want["title"]),
            "title_source": want["title_source"],
            "issuers": want.get("issuers", []),
            "number": want.get("number"),
            "date": want.get("date"),
            "year": want.get("year"),
        }
        tasks = [corpus.clause(cid) for cid in document.clause_ids]
        wanted_items = want["items"]
        starts = [w["text_starts"] for w in wanted_items] + [""] * len(tasks)  # extra items compare too
        got = [_item_facts(c, start) for c, start in zip(tasks, starts)]
        assert got == [_expected_item(w) for w in wanted_items]
        assert document.report.items == len(wanted_items)
        assert len(document.passage_ids) >= want.get("passages_min", 0)
        assert document.report.passages == len(document.passage_ids)
        warnings = [str(w) for w in document.report.warnings]
        assert len(warnings) >= want.get("warnings_min", 0), warnings
        assert all(w.file == name for w in document.report.warnings)
        chrome = want.get("passages_must_not_contain", [])
        leaks = [
            (cid, s)
            for cid in (*document.clause_ids, *document.passage_ids)
            for s in chrome
            if s in corpus.clause(cid).text
        ]
        assert leaks == []
        assert [t for t in chrome if t in document.title] == []


# --- offsets: every character of a citation comes from the source ---------------------------------


def _offset_params() -> list[Any]:
    return [pytest.param(name, id=Path(name).stem) for name in sorted(_expected_files())]


def _repair_is_documented(clause: Clause, index: int, source: str) -> bool:
    """``clause.text[index]`` is ``source[clause.offsets[index]]`` up to one of corpus/text.py's repairs."""
    char, origin = clause.text[index], source[clause.offsets[index]]
    if char == origin or unicodedata.normalize("NFKC", char) == unicodedata.normalize("NFKC", origin):
        return True
    if FULL_WIDTH.get(origin) == char:
        return True
    if char == "。" and (origin.isspace() or origin in "|｜"):
        return True  # the stop between a table row's task cell and its detail cell, at the cell border
    if char == " " and origin.isspace() and origin not in LINE_BREAKS:
        return True  # whitespace inside a line collapsed to one space (not between two Chinese characters)
    if char == " " and origin in LINE_BREAKS:
        # A line break shown as one space: before a responsibility label that starts a line, or
        # between two Latin letters or digits.
        before, after = clause.text[index - 1 : index], clause.text[index + 1 : index + 2]
        latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        return latin or label_at(clause.text, index + 1) is not None
    return False


def _line_of(source: str, offset: int) -> int:
    return len(re.findall(r"\r\n|\r|\n", source[:offset])) + 1


def _check_offsets(corpus: Corpus) -> list[str]:
    problems: list[str] = []
    sources = {f.name: f.text for f in corpus.files}
    for clause in corpus.citable:
        source = sources[clause.source]
        tag = clause.clause_id
        if not clause.text:
            problems.append(f"{tag}: empty text")
            continue
        if len(clause.offsets) != len(clause.text):
            problems.append(f"{tag}: {len(clause.offsets)} offsets for {len(clause.text)} characters")
            continue
        if any(b <= a for a, b in zip(clause.offsets, clause.offsets[1:])):
            problems.append(f"{tag}: offsets not increasing")
        if not (0 <= clause.start <= clause.offsets[0] and clause.offsets[-1] < clause.end <= len(source)):
            problems.append(f"{tag}: [{clause.start}, {clause.end}) does not hold its offsets")
        bad = [i for i in range(len(clause.text)) if not _repair_is_documented(clause, i, source)]
        if bad:
            i = bad[0]
            problems.append(
                f"{tag}: text[{i}]={clause.text[i]!r} but source[{clause.offsets[i]}]={source[clause.offsets[i]]!r}"
                f" ({len(bad)} such characters)"
            )
        if clause.location is None or clause.location.line != _line_of(source, clause.offsets[0]):
            problems.append(
                f"{tag}: location {clause.location} is not line {_line_of(source, clause.offsets[0])}"
            )
        if 0 <= clause.body_end and not 0 < clause.body_end <= len(clause.text):
            problems.append(f"{tag}: body_end {clause.body_end} outside its text")
        for target in clause.targets:
            if target.start is not None:
                assert target.end is not None
                if (
                    clause.text[target.start : target.end] != target.text
                    or target.source_start != clause.offsets[target.start]
                    or target.source_end != clause.offsets[target.end - 1] + 1
                ):
                    problems.append(f"{tag}: target {target} does not map to its text and source")
            else:  # a deadline read from a table cell (which may wrap): its words, in order, span to span
                span = norm(source[target.source_start : target.source_end])
                words = norm(target.text)
                rest = iter(span)
                in_order = all(char in rest for char in words)
                if not (words and span[:1] == words[:1] and span[-1:] == words[-1:] and in_order):
                    problems.append(f"{tag}: cell target {target.text!r} is not at source {span!r}")
                if target.kind != "deadline" or target.end is not None:
                    problems.append(
                        f"{tag}: a target outside the text must be a deadline without text offsets"
                    )
    return problems


@pytest.mark.parametrize("name", _offset_params())
def test_every_character_of_a_layout_citation_comes_from_the_source(name: str, load_layout) -> None:
    corpus = load_layout(name)
    assert corpus.citable, "nothing to check"
    assert _check_offsets(corpus) == []


def test_every_character_of_a_seed_citation_comes_from_the_source(seed_corpus: Corpus) -> None:
    assert len(seed_corpus.clauses) == 96
    assert _check_offsets(seed_corpus) == []


def test_the_offset_check_catches_a_character_that_is_not_in_the_source(seed_corpus: Corpus) -> None:
    """The property above can fail: a clause whose text was changed after parsing is caught."""
    from dataclasses import replace

    clause = seed_corpus.clause("2023分工方案-18")
    tampered = replace(clause, text=clause.text[:5] + "假" + clause.text[6:])
    source = seed_corpus.files[0].text
    assert [i for i in range(len(tampered.text)) if not _repair_is_documented(tampered, i, source)] == [5]
    shifted = replace(clause, offsets=tuple(o + 1 for o in clause.offsets))
    assert any(not _repair_is_documented(shifted, i, source) for i in range(len(shifted.text)))


# --- no text is dropped ----------------------------------------------------------------------------

_HEADER_WORDS = {w for words in (*LABELS.values(), *COLUMN_WORDS.values()) for w in words}


def _is_header_row(line: str) -> bool:
    """序号 | 民生实事项目 | 牵头单位 …: every cell a short column name, all but two of them known ones
    (the parser's rule, corpus.tables.header_roles: 建设内容及目标 names no known column)."""
    cells = [c for c in (c.strip(" |｜\u3000") for c in re.split(r"\t|[|｜]|[ \u3000]{2,}", line.strip())) if c]
    known = sum(any(w in c for w in _HEADER_WORDS) for c in cells)
    return all(len(c) <= 8 for c in cells) and known >= max(2, len(cells) - 2)


def _vertical_header_lines(source: str) -> set[int]:
    """Line numbers of table headers written one cell per line (corpus.vertical)."""
    lines = split_lines(source)
    found: set[int] = set()
    for index in range(len(lines)):
        header = vertical_header(lines, index)
        if header is not None:
            found.update(line.number for line in lines[index : index + header[1]])
    return found


@pytest.mark.parametrize("name", _offset_params())
def test_no_line_of_a_layout_document_is_dropped(name: str, load_layout) -> None:
    """Every line with words is in a task, a passage, the title, a section heading or a table's header row
    (issue 10: "No text is dropped: text outside items is kept as citable passages")."""
    corpus = load_layout(name)
    source = corpus.files[0].text
    covered: set[int] = set()
    for clause in corpus.citable:
        covered.update(clause.offsets)
        for target in clause.targets:  # a table's 完成时限 cell
            covered.update(range(target.source_start, target.source_end))
        for cell in clause.fields:  # a table row's other cells (units, leaders, progress)
            covered.update(range(cell.source_start, cell.source_end))
    for document in corpus.documents:
        covered.update(range(document.title_start, document.title_end))
    headings = {norm(s).rstrip("。") for c in corpus.citable for s in c.section}
    dropped = []
    position = 0
    vertical = _vertical_header_lines(source)
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        han = [i for i in range(position, position + len(line)) if "\u4e00" <= source[i] <= "\u9fff"]
        text = norm(line).strip("#*").rstrip("。")
        chrome = lexicon.PAGE_CHROME.match(line.strip()) or lexicon.PAGE_NUMBER.match(line.strip())
        in_heading = any(text and text in heading for heading in headings)  # a heading wrapped over lines
        header = _is_header_row(line) or number in vertical
        if han and not covered.intersection(han) and not in_heading and not header and not chrome:
            dropped.append(line.strip())
        position += len(line)
    assert dropped == []


# --- where a citation sits in the original: .docx cells, .pdf pages -------------------------------


def _region_at(regions: tuple[Region, ...], offset: int) -> Region | None:
    return next((r for r in regions if r.start <= offset < r.end), None)


def _runs(clause: Clause, regions: tuple[Region, ...]) -> list[tuple[Region | None, str]]:
    """The clause's text cut where its characters' source region changes."""
    runs: list[tuple[Region | None, str]] = []
    for char, offset in zip(clause.text, clause.offsets, strict=True):
        region = _region_at(regions, offset)
        if runs and runs[-1][0] == region:
            runs[-1] = (region, runs[-1][1] + char)
        else:
            runs.append((region, char))
    return runs


def _docx_cells(build: ModuleType) -> dict[tuple[int, int, int], str]:
    """(table, row, cell) → the text build.py put there; a merged cell reads as the cell above."""
    cells: dict[tuple[int, int, int], str] = {}
    for table, (_, rows) in enumerate(build.SHIWAN_SECTIONS, start=1):
        for column, text in enumerate(build.SHIWAN_HEADER, start=1):
            cells[(table, 1, column)] = text
        for row, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                if value is None:
                    value = cells[(table, row - 1, column)]
                elif isinstance(value, tuple):
                    value = " ".join(value)
                cells[(table, row, column)] = str(value)
    return cells


def _docx_paragraphs(build: ModuleType) -> list[str]:
    """The body paragraphs in document order (tables do not count), as build.py writes them."""
    return [
        *build.SHIWAN_NOTICE,
        build.SHIWAN_TITLE,
        *(h for h, _ in build.SHIWAN_SECTIONS),
        build.SHIWAN_CLOSING,
    ]


def test_docx_citations_locate_their_table_cell(
    load_layout, layout_dir: Path, layout_builder: ModuleType
) -> None:
    corpus = load_layout("shiwan-2024-table.docx")
    regions = read_file(layout_dir / "shiwan-2024-table.docx").regions
    cells = _docx_cells(layout_builder)
    # Where each numbered row sits in build.py's data: item n is in table t, row r (row 1 is the header).
    rows = {
        int(values[0]): (table, row)
        for table, (_, section_rows) in enumerate(layout_builder.SHIWAN_SECTIONS, start=1)
        for row, values in enumerate(section_rows, start=2)
    }
    tasks = list(corpus.clauses)
    assert [c.number for c in tasks] == [1, 2, 3, 4, 5, 6]
    for clause in tasks:
        table, row = rows[clause.number]
        assert clause.location is not None
        assert (clause.location.table, clause.location.row, clause.location.cell) == (table, row, 2)
        assert clause.location.page is None and clause.location.paragraph is None
        assert clause.location.describe() == f"表{table}第{row}行第2列"
        assert clause.to_dict()["location"]["text"] == f"表{table}第{row}行第2列"
        for region, text in _runs(clause, regions):
            assert region is not None and region.table is not None, (clause.clause_id, text)
            assert norm(text) in norm(cells[(region.table, region.row, region.cell)]), (
                clause.clause_id,
                text,
            )
        # The task is the 重点工作任务 cell, all of it and nothing else.
        assert norm(clause.text) == norm(cells[(table, row, 2)])


def test_docx_passages_locate_their_paragraph(
    load_layout, layout_dir: Path, layout_builder: ModuleType
) -> None:
    corpus = load_layout("shiwan-2024-table.docx")
    regions = read_file(layout_dir / "shiwan-2024-table.docx").regions
    paragraphs = _docx_paragraphs(layout_builder)
    assert corpus.passages
    for passage in corpus.passages:
        assert passage.location is not None and passage.location.paragraph is not None
        assert passage.location.table is None
        assert norm(passage.text) in norm(paragraphs[passage.location.paragraph - 1]), passage.clause_id
        for region, text in _runs(passage, regions):
            assert region is not None and region.paragraph is not None
            assert norm(text) in norm(paragraphs[region.paragraph - 1])
    # The notice's issuer line is the first paragraph of the body.
    first = corpus.clause(corpus.documents[0].passage_ids[0])
    assert first.text == "石湾区人民政府办公室" and first.location.describe() == "第1段"


def _pdf_pages(build: ModuleType) -> list[str]:
    return [norm("".join(text for _, text in page)) for page in build.DAISHAN_PAGES]


def test_pdf_citations_locate_their_page(load_layout, layout_dir: Path, layout_builder: ModuleType) -> None:
    corpus = load_layout("daishan-2023-trailing.pdf")
    regions = read_file(layout_dir / "daishan-2023-trailing.pdf").regions
    pages = _pdf_pages(layout_builder)
    # The page each item starts on, from build.py's data ("１．" … "５．" open the items).
    starts = {
        unicodedata.digit(text[0]): page
        for page, lines in enumerate(layout_builder.DAISHAN_PAGES, start=1)
        for _, text in lines
        if text[:2] and text[1] == "．" and unicodedata.digit(text[0], None)
    }
    assert starts == {1: 2, 2: 2, 3: 2, 4: 3, 5: 3}
    tasks = list(corpus.clauses)
    assert [c.number for c in tasks] == [1, 2, 3, 4, 5]
    # No page footer ("— 2 —") is cited, not even inside the item that runs over the page break.
    assert [c.clause_id for c in corpus.citable if re.search(r"—\s*\d+\s*—", c.text)] == []
    for clause in corpus.citable:
        assert clause.location is not None and clause.location.page is not None
        assert clause.location.table is None
        runs = _runs(clause, regions)
        assert clause.location.page == runs[0][0].page
        if clause.is_task:
            assert clause.location.page == starts[clause.number]
            assert clause.location.describe() == f"第{starts[clause.number]}页"
        for region, text in runs:
            assert region is not None and region.page is not None
            assert norm(text) in pages[region.page - 1], (clause.clause_id, region.page, text)
    # Item 3 runs over the page break: its wording starts on page 2 and ends on page 3.
    item3 = next(c for c in tasks if c.number == 3)
    assert [r.page for r, _ in _runs(item3, regions)] == [2, 3]
    assert item3.units == ("市轨道交通建设指挥部", "市住房和城乡建设局", "市交通运输局", "各县区政府")
    # The notice's passages are on page 1.
    assert {p.location.page for p in corpus.passages} == {1}


def test_layout_documents_load_side_by_side(layout_dir: Path, load_layout) -> None:
    """All layout documents in one corpus folder: each parses as it does alone, ids are distinct and
    every marker resolves to its clause."""
    corpus = load_corpus(layout_dir)
    assert corpus.unreadable == ()
    assert sorted(f.name for f in corpus.files) == sorted(_expected_files())
    ids = [d.document_id for d in corpus.documents]
    assert len(set(ids)) == len(ids)
    for source in corpus.files:
        alone = load_layout(source.name)
        assert [d.title for d in source.documents] == [d.title for d in alone.documents]
        for document, single in zip(source.documents, alone.documents, strict=True):
            assert [(c.text, c.units, c.leaders) for c in map(corpus.clause, document.clause_ids)] == [
                (c.text, c.units, c.leaders) for c in map(alone.clause, single.clause_ids)
            ]
            assert len(document.passage_ids) == len(single.passage_ids)
    clause_ids = [c.clause_id for c in corpus.citable]
    assert len(set(clause_ids)) == len(clause_ids)
    for clause in corpus.citable:
        assert corpus.resolve_marker(f"见{clause.citation}。") == [clause.clause_id]
