"""Plain text and Markdown, in UTF-8 or GB18030 (which covers GBK and GB2312)."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import UnreadableFile
from corpus.textmodel import TextModel

# Tried in order: UTF-8 is strict enough that GB18030 bytes essentially never decode as it.
ENCODINGS = ("utf-8-sig", "gb18030")


def decode(name: str, data: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in; UnreadableFile when it is neither."""
    if b"\0" in data[:4096]:
        raise UnreadableFile(name, "binary data, not text (it contains NUL bytes)")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(name, f"not UTF-8 or GB18030 text ({exc.reason} at byte {exc.start})") from None
    raise AssertionError("unreachable")  # pragma: no cover


def read(name: str, data: bytes) -> TextModel:
    text, encoding = decode(name, data)
    return TextModel(name, Path(name).suffix.lower().lstrip(".") or "txt", text, encoding)
