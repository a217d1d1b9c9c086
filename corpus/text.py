"""The one place where Chinese text is repaired and normalised.

Two different jobs, kept side by side so their rules cannot drift apart:

* ``repair_layout`` turns a raw span of the source file into the clause's
  readable wording: page breaks that split a word or a line are closed,
  markdown marks dropped, half-width brackets and punctuation next to Chinese
  made full-width.  It returns, for every character it keeps, the offset of
  that character in the source, so citations point into the real file.
* ``normalise`` turns any text (clause, question, keyword) into the form used
  for *matching*: NFKC (full-width letters/digits/punctuation become
  half-width), lower case, no whitespace.  It is never shown to a user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.lexicon import label_at

# Half-width punctuation that Chinese typesetting writes full-width.
_TO_FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_MARKDOWN_MARK = re.compile(r"\*\*|__|^#{1,6}[ \t]*", re.MULTILINE)
_WHITESPACE = re.compile(r"\s+")
_OPENING = "（([【［：:、，,"  # a label right after these is inside a note, not on a line of its own


def is_cjk(char: str) -> bool:
    """True for Han characters and CJK / full-width punctuation."""
    if not char:
        return False
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0x3400 <= code <= 0x9FFF  # Han
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or code in (0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B7)  # — ‘ ’ “ ” … ·
    )


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Repaired:
    """Repaired text plus the source offset of each of its characters."""

    text: str
    offsets: tuple[int, ...]  # offsets[i] is the source offset of text[i]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``text`` to a span of the source."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside a text of {len(self.text)} characters")
        return self.offsets[start], self.offsets[end - 1] + 1


def repair_layout(raw: str, base: int = 0, skip: Sequence[tuple[int, int]] = ()) -> Repaired:
    """Repair the layout artefacts of ``raw`` (which starts at source offset ``base``).

    ``skip`` lists source spans to leave out, like page furniture ("— 2 —") inside an item.

    Whitespace that contains a line break is a page or line break of the
    layout, not of the words: it is removed (kept as one space only between two
    Latin words, or before a responsibility label that starts a line, so
    "…。\n牵头单位：…" reads "…。 牵头单位：…"; two digits it falls between are one
    number wrapped: "20\n00个" reads "2000个").  Whitespace inside a line is
    removed between two Chinese characters and collapsed to one space elsewhere
    ("不少于 2 次").
    """
    kept: list[tuple[int, str]] = []
    # Blank out markdown marks first so they count as removed characters.
    masked = _MARKDOWN_MARK.sub(lambda m: "\0" * len(m.group()), raw)
    for start, end in skip:
        lo, hi = max(start - base, 0), min(end - base, len(raw))
        if lo < hi:
            masked = masked[:lo] + " " * (hi - lo) + masked[hi:]
    chars = [(i, c) for i, c in enumerate(masked) if c != "\0"]
    n = len(chars)
    i = 0
    while i < n:
        pos, char = chars[i]
        if not char.isspace():
            kept.append((pos, _TO_FULL_WIDTH.get(char, char)))
            i += 1
            continue
        j = i
        while j < n and chars[j][1].isspace():
            j += 1
        run = "".join(c for _, c in chars[i:j])
        # Both neighbours as they will read: a half-width bracket next to the space counts as the
        # full-width one it becomes, or "。 (两市…负责)" would keep a space between two Chinese marks.
        before = kept[-1][1] if kept else ""
        after = _TO_FULL_WIDTH.get(chars[j][1], chars[j][1]) if j < n else ""
        if before and after:
            if "\n" in run:
                keep_space = (_is_ascii_word(before) and _is_ascii_word(after)
                              and not (before.isdigit() and after.isdigit())) or (
                    before not in _OPENING and bool(label_at(raw, chars[j][0]))
                )
            else:
                keep_space = not (is_cjk(before) and is_cjk(after))
            if keep_space:
                kept.append((pos, " "))
        i = j
    # Half-width punctuation was only meant to become full-width next to Chinese.
    fixed: list[tuple[int, str]] = []
    for k, (pos, char) in enumerate(kept):
        if char in _TO_FULL_WIDTH.values() and raw[pos] in _TO_FULL_WIDTH:
            neighbours = [kept[m][1] for m in (k - 1, k + 1) if 0 <= m < len(kept)]
            if not any(is_cjk(c) for c in neighbours):
                char = raw[pos]
        fixed.append((pos, char))
    return Repaired("".join(c for _, c in fixed), tuple(base + p for p, _ in fixed))


def normalise(text: str) -> str:
    """The matching form of ``text``: NFKC, lower case, no whitespace, simplified script, no pinyin.

    A plan copied from a mirror site in traditional script (霽川市…工作任務) is matched by a question in
    simplified script (工作任务), and the pinyin such a site adds after characters ("產（chǎn）業") does not
    cut the word it annotates.  Characters are simplified one by one (``_simplified_characters``): text
    in simplified script keeps its characters but for a rare few that are also traditional forms (乾 → 干),
    the same on both sides of a match.
    """
    form = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    if "(" in form:
        form = _PINYIN.sub("", form)  # before lower case: an acronym (GEP) stays
    form = form.lower()
    table, traditional = _simplified_characters()
    return form.translate(table) if traditional.search(form) else form


_PINYIN = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[）)]")
# A text is read in traditional script when at least this share of its Han characters changes.
_TRADITIONAL_SHARE = 0.02
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _to_simplified():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _simplified_characters() -> tuple[dict[int, str], re.Pattern[str]]:
    """OpenCC's t2s for single characters, as a ``str.translate`` table (4,221 entries, ~0.1 s once), and a
    pattern that finds any of them (a text in simplified script, the usual case, is then left as it is:
    translating costs more than normalising).  Only traditional forms change: in the seed plan and its
    356 gold questions, only 東 of the Japanese one."""
    convert = _to_simplified().convert
    table = {}
    for start, end in _HAN_RANGES:
        for code in range(start, end):
            simplified = convert(chr(code))
            if len(simplified) == 1 and simplified != chr(code):
                table[code] = simplified
    return table, re.compile("[" + "".join(map(chr, sorted(table))) + "]")


def without_pinyin(text: str) -> str:
    """``text`` without the pinyin a mirror site adds after characters: "優（yōu）化" → "優化"."""
    return _PINYIN.sub("", text)


def reading_form(text: str) -> str:
    """The text as the parser reads it, character for character (same length, same offsets).

    A page copied from a mirror site may be in traditional script and may carry pinyin after
    characters ("部門（mén）"): the reading form is simplified (OpenCC's t2s, character by character
    where a phrase would change the length) and the pinyin is blanked out.  Citations keep the
    original text; only the words the parser looks for (labels, units, issuers) are read here.
    """
    text = _PINYIN.sub(lambda m: " " * len(m.group()), text)
    converter = _to_simplified()
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    converted = converter.convert(text)
    if len(converted) != len(text):
        converted = "".join(c if len(d := converter.convert(c)) != 1 else d for c in text)
    changed = sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    return converted if han and changed >= _TRADITIONAL_SHARE * han else text


@lru_cache(maxsize=4096)  # a question's topic is scored against every candidate clause
def char_bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the matching form, within each space-separated piece (a lone character alone).

    Bigrams match sub-words without a dictionary (机场 inside 飞机场) and the
    spaces let a caller cut text into pieces no bigram may span.
    """
    grams: set[str] = set()
    for piece in text.split():
        form = normalise(piece)
        grams.update({form[i : i + 2] for i in range(len(form) - 1)} or {form})
    return frozenset(grams)


def in_order(chars: str, text: str) -> bool:
    """Every character of ``chars`` occurs in ``text``, in that order (文旅局 in 文化和旅游局)."""
    rest = iter(text)
    return all(char in rest for char in chars)
