"""Web pages saved from a government site: the main text only, through trafilatura.

trafilatura finds the article among headers, navigation, breadcrumbs and footers (a page's "无障碍浏览"
and "版权所有" lines are not the document) and keeps its paragraphs and tables.  Each paragraph or
heading becomes a line, each table row a line of tab-separated cells.  trafilatura leaves the rows
below a cell merged down (``rowspan``: one 牵头单位 for two tasks, one 责任领导 for six) an empty cell: the cell is
first copied into each row it spans, as the .docx reader reads a vertically merged cell.
"""

from __future__ import annotations

from corpus import lexicon
from corpus.errors import UnreadableFile
from corpus.readers.plain import decode
from corpus.textmodel import Region, TextModel


def read(name: str, data: bytes) -> TextModel:
    import trafilatura
    from lxml import etree

    html, _ = _decoded(name, data)
    xml = trafilatura.extract(
        _rows_filled(html),
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=True,
    )
    if not xml:
        raise UnreadableFile(name, "no main text found in the web page")
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    parts: list[str] = []
    regions: list[Region] = []
    offset = paragraph_no = table_no = 0

    def emit(text: str, region: Region) -> None:
        nonlocal offset
        regions.append(region)
        parts.append(text + "\n")
        offset += len(text) + 1

    # trafilatura keeps the page's headline as metadata, not as text: it is the document's title line.
    title = (root.get("title") or "").strip()
    body_text = "".join(main.itertext()) if main is not None else ""
    if title and title not in body_text:
        paragraph_no += 1
        emit(title, Region(offset, offset + len(title), paragraph=paragraph_no))
    for element in main if main is not None else ():
        if element.tag == "table":
            table_no += 1
            for row_no, row in enumerate(element.iter("row"), start=1):
                cells = [" ".join("".join(cell.itertext()).split()) for cell in row.iter("cell")]
                start = offset
                for cell_no, text in enumerate(cells, start=1):
                    regions.append(Region(start, start + len(text), table=table_no, row=row_no, cell=cell_no))
                    start += len(text) + 1
                parts.append("\t".join(cells) + "\n")
                offset += len(parts[-1])
        else:
            for line in "".join(element.itertext()).splitlines():
                if line.strip() and not lexicon.PAGE_CHROME.match(line.strip()):
                    paragraph_no += 1
                    emit(line.strip(), Region(offset, offset + len(line.strip()), paragraph=paragraph_no))
    if not parts:
        raise UnreadableFile(name, "no main text found in the web page")
    return TextModel(name, "html", "".join(parts), None, tuple(regions))


def _rows_filled(html: str) -> str:
    """The page with each cell of ``rowspan`` N copied into the N-1 rows below it, at its column."""
    import copy

    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):  # nothing to parse: trafilatura says so
        return html
    if not tree.xpath("//td[@rowspan] | //th[@rowspan]"):
        return html
    for table in tree.iter("table"):
        pending: dict[int, tuple[int, etree._Element]] = {}  # column → (rows still to fill, the merged cell)
        for row in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
            cells = [c for c in row if c.tag in ("td", "th")]
            column = 0
            for cell in [*cells, None]:  # None: the columns still pending after the row's last cell
                while column in pending:
                    left, merged = pending[column]
                    filler = copy.deepcopy(merged)
                    filler.attrib.pop("rowspan", None)
                    filler.tail = None
                    if cell is None:
                        row.append(filler)
                    else:
                        cell.addprevious(filler)
                    if left > 1:
                        pending[column] = (left - 1, merged)
                    else:
                        del pending[column]
                    column += _span(filler, "colspan")
                if cell is None:
                    break
                rows = _span(cell, "rowspan")
                cell.attrib.pop("rowspan", None)  # trafilatura would leave the rows below an empty cell
                if rows > 1:
                    pending[column] = (rows - 1, cell)
                column += _span(cell, "colspan")
    return lxml.html.tostring(tree, encoding="unicode")


def _span(cell, attribute: str) -> int:
    value = (cell.get(attribute) or "1").strip()
    return max(1, min(int(value), 100)) if value.isdecimal() else 1


def _decoded(name: str, data: bytes) -> tuple[str, str]:
    """Pages declare their charset; GBK pages are common on older government sites."""
    head = data[:2048].lower()
    for label in (b"gb2312", b"gbk", b"gb18030"):
        if label in head:
            try:
                return data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                break
    return decode(name, data)
