"""Readers: one small module per format, each turning a file into the one text model.

``read_file`` picks the reader by the file's suffix; ``SUFFIXES`` lists what the corpus loads.
A file that cannot be read (undecodable text, a corrupt .docx or .pdf, a zip bomb) raises
``UnreadableFile`` naming the file and the problem; the loader reports it and loads the rest.
"""

from __future__ import annotations

from pathlib import Path

from corpus.errors import UnreadableFile
from corpus.readers import docx, html, pdf, plain
from corpus.textmodel import TextModel

_READERS = {
    ".txt": plain.read,
    ".md": plain.read,
    ".docx": docx.read,
    ".pdf": pdf.read,
    ".html": html.read,
    ".htm": html.read,
}
SUFFIXES = tuple(_READERS)


def read_bytes(name: str, data: bytes) -> TextModel:
    """The text model of a file's bytes; ``name`` (its file name) picks the reader."""
    reader = _READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise UnreadableFile(name, f"unsupported file type (supported: {', '.join(SUFFIXES)})")
    return reader(name, data)


def read_file(path: Path) -> TextModel:
    """Read a corpus file, opened read-only."""
    with path.open("rb") as handle:
        data = handle.read()
    return read_bytes(path.name, data)


__all__ = ["SUFFIXES", "UnreadableFile", "read_bytes", "read_file"]
