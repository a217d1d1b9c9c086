"""Recognise the numbering that structures a policy document.

The parser relies on numbering, never on markdown heading marks: the source
writes the same level as ``##``, ``###``, ``####``, bold, or plain text, with
half- or full-width brackets.  Three levels exist:

* section:    ``一、弘扬传承红色文化``
* subsection: ``（一）传承践行红色精神。`` / ``(十四) 强化“双创”协同合作。``
* item:       ``12. 加快推动两市政务服务……``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = "[一二三四五六七八九十百零〇]+"

# Markdown decoration around a line: heading marks, bold, list indentation.
_DECORATION = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*|\s*(?:\*\*|__)?\s*$")
_SECTION = re.compile(rf"^(?P<num>{_NUMERAL})、\s*(?P<title>\S.*)$")
_SUBSECTION = re.compile(rf"^[（(]\s*(?P<num>{_NUMERAL})\s*[）)]\s*(?P<title>\S.*)$")
# "1.5亿元" at the start of a wrapped line is not item 1: the mark must not be followed by a digit.
_ITEM = re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)\s*(?P<title>\S.*)$")


def chinese_numeral(numeral: str) -> int:
    """Value of a Chinese numeral below 1000 (``二十二`` → 22, ``十四`` → 14)."""
    total, current = 0, 0
    for char in numeral:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


class Level(Enum):
    SECTION = 1
    SUBSECTION = 2
    ITEM = 3


@dataclass(frozen=True)
class Numbered:
    """A line that starts with a number of some level."""

    level: Level
    number: int
    body_offset: int  # offset, within the line, of the first character after the number mark


def strip_decoration(line: str) -> tuple[str, int]:
    """The line without markdown marks, and the offset where that content starts."""
    head = _DECORATION.match(line)
    start = head.end() if head else 0
    content = line[start:]
    tail = re.search(r"\s*(?:\*\*|__)?\s*$", content)
    return content[: tail.start()] if tail else content, start


def classify(line: str) -> Numbered | None:
    """The numbering a line starts with, or None for running text."""
    content, start = strip_decoration(line)
    for level, pattern in ((Level.SECTION, _SECTION), (Level.SUBSECTION, _SUBSECTION), (Level.ITEM, _ITEM)):
        match = pattern.match(content)
        if match:
            raw = match.group("num")
            number = int(raw) if raw.isdigit() else chinese_numeral(raw)
            return Numbered(level, number, start + match.start("title"))
    return None
