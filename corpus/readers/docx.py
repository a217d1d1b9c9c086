"""Word documents (.docx) through python-docx: paragraphs and tables in body order.

Each paragraph becomes a line; each table row one line whose cells are separated by tabs (a cell's own
paragraphs are joined with a space, so a row stays on one line).  Horizontally merged cells appear
once; a vertically merged cell repeats its text in every row it spans, as a reader of the table sees it.
"""

from __future__ import annotations

import io
import zipfile

from corpus.errors import UnreadableFile
from corpus.textmodel import Region, TextModel

# A .docx is a zip; a "zip bomb" expands a small upload into gigabytes.  Real plans are far below this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def _check_zip(name: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(name, f"not a valid .docx (not a zip archive: {exc})") from None
    with archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES or total > MAX_RATIO * max(len(data), 1):
            raise UnreadableFile(
                name, f"refused: it would expand to {total} bytes (a compression bomb, or far too large)"
            )
        if "word/document.xml" not in archive.namelist():
            raise UnreadableFile(name, "not a valid .docx (word/document.xml is missing)")


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def read(name: str, data: bytes) -> TextModel:
    _check_zip(name, data)
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises lxml, KeyError and zipfile errors for broken parts
        raise UnreadableFile(name, f"not a valid .docx ({type(exc).__name__}: {exc})") from None
    parts: list[str] = []
    regions: list[Region] = []
    offset = paragraph_no = table_no = 0

    def emit(text: str, **where: int) -> None:
        nonlocal offset
        regions.append(Region(offset, offset + len(text), **where))
        parts.append(text + "\n")
        offset += len(text) + 1

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_no += 1
            emit(Paragraph(child, document).text, paragraph=paragraph_no)
        elif child.tag == qn("w:tbl"):
            table_no += 1
            for row_no, row in enumerate(Table(child, document).rows, start=1):
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(_cell_text(cell))
                for cell_no, text in enumerate(cells, start=1):
                    regions.append(
                        Region(offset, offset + len(text), table=table_no, row=row_no, cell=cell_no)
                    )
                    offset += len(text) + 1  # the tab or the line feed after it
                parts.append("\t".join(cells) + "\n")
    return TextModel(name, "docx", "".join(parts), None, tuple(regions))
