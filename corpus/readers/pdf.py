"""PDF files with a text layer, through pypdf.

pypdf is pure Python with no dependencies, reads CJK fonts' ToUnicode maps, and gives text page by
page, so a citation keeps its page.  Pages are separated by a form feed, as pdftotext does; the parser
treats it as a page break inside an item.  A PDF without a text layer (a scan) is refused as unreadable:
it needs OCR first.
"""

from __future__ import annotations

import io
import logging

from corpus.errors import UnreadableFile
from corpus.textmodel import Region, TextModel


def read(name: str, data: bytes) -> TextModel:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about harmless oddities of real files
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not any(page.strip() for page in pages):
        raise UnreadableFile(name, "the PDF has no text layer (a scanned image?); run OCR on it first")
    parts: list[str] = []
    regions: list[Region] = []
    offset = 0
    for number, page in enumerate(pages, start=1):
        text = page if page.endswith("\n") else page + "\n"
        if number > 1:
            text = "\f" + text
        regions.append(Region(offset, offset + len(text), page=number))
        parts.append(text)
        offset += len(text)
    return TextModel(name, "pdf", "".join(parts), None, tuple(regions))
