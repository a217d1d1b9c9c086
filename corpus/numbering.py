"""Recognise the numbering that structures a plan.

Official documents number their levels in a conventional order (GB/T 9704): ``一、`` then ``（一）``
then ``1.`` then ``（1）``; plans add ``第一部分``, circled numbers and ``一是``.  Sources write the same
mark many ways: half- or full-width brackets, ``1.`` / ``1、`` / ``1．`` / ``1﹒``, ``(一)`` with or without a
full stop, markdown heading marks or bold around it.  The parser relies on the numbering, never on the
marks around it; a style's rank is its depth in that conventional order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMERAL = "[一二三四五六七八九十百零〇]+"
CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Markdown decoration around a line: heading marks, bold, list bullets, indentation (ASCII or full-width).
_DECORATION = re.compile(r"^[\s\u3000\f]*(?:#{1,6}[ \t]*)?(?:[-*+][ \t]+)?(?:\*\*|__)?[\s\u3000]*")
_TRAILING_DECORATION = re.compile(r"[\s\u3000]*(?:\*\*|__)?[\s\u3000]*$")


class Style(IntEnum):
    """A numbering style; its value is its rank (smaller = higher level)."""

    PART = 0  # 第一部分
    CHINESE = 1  # 一、
    CHINESE_PAREN = 2  # （一）
    ARABIC = 3  # 1.  1、  1．  1﹒
    ARABIC_PAREN = 4  # （1）
    CIRCLED = 5  # ①
    CHINESE_SHI = 6  # 一是


_PATTERNS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    (Style.PART, re.compile(rf"^第\s*(?P<num>{_NUMERAL})\s*(?:部分|章|篇)[、：:\s]*(?P<title>\S.*)$")),
    (Style.CHINESE, re.compile(rf"^(?P<num>{_NUMERAL})\s*[、．.]\s*(?P<title>\S.*)$")),
    (Style.CHINESE_PAREN, re.compile(rf"^[（(]\s*(?P<num>{_NUMERAL})\s*[）)]\s*[、.．]?\s*(?P<title>\S.*)$")),
    # "1.5亿元" at the start of a wrapped line is not item 1: the mark must not be followed by a digit.
    (Style.ARABIC, re.compile(r"^(?P<num>\d{1,3})\s*[.．、﹒](?!\d)\s*(?P<title>\S.*)$")),
    (Style.ARABIC_PAREN, re.compile(r"^[（(]\s*(?P<num>\d{1,3})\s*[）)]\s*[、.．]?\s*(?P<title>\S.*)$")),
    (Style.CIRCLED, re.compile(rf"^(?P<num>[{CIRCLED_NUMBERS}])\s*(?P<title>\S.*)$")),
    (Style.CHINESE_SHI, re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})是(?P<title>[^，,。；;\s].*)$")),
)


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


def number_value(raw: str) -> int | None:
    """The value of a number as a table's 序号 cell writes it: "3", "３", "三", "（3）", "3." → 3."""
    core = raw.strip().strip("（()）.．、﹒ ")
    if core and core in CIRCLED_NUMBERS:
        return CIRCLED_NUMBERS.index(core) + 1
    if core.isdecimal():
        return int(core)
    try:
        return chinese_numeral(core) if core else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Numbered:
    """A line that starts with a number of some style."""

    style: Style
    number: int
    body_offset: int  # offset, within the line, of the first character after the number mark


def strip_decoration(line: str) -> tuple[str, int]:
    """The line without markdown marks and indentation, and the offset where that content starts."""
    head = _DECORATION.match(line)
    start = head.end() if head else 0
    content = line[start:]
    tail = _TRAILING_DECORATION.search(content)
    return (content[: tail.start()] if tail else content), start


def classify(line: str) -> Numbered | None:
    """The numbering a line starts with, or None for running text."""
    content, start = strip_decoration(line)
    for style, pattern in _PATTERNS:
        match = pattern.match(content)
        if match:
            raw = match.group("num")
            if raw in CIRCLED_NUMBERS:
                number = CIRCLED_NUMBERS.index(raw) + 1
            elif raw.isdecimal():
                number = int(raw)
            else:
                number = chinese_numeral(raw)
            return Numbered(style, number, start + match.start("title"))
    return None
