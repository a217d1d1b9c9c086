"""Find the quantities, frequencies and deadlines a clause commits to (words from ``corpus.lexicon``)."""

from __future__ import annotations

import re

from corpus import lexicon
from corpus.models import Target
from corpus.text import reading_form

_MEASURE = lexicon.alternation(lexicon.MEASURE_WORDS)
# A number followed by a measure word, 万 / 亿 taking theirs along ("1.5亿元", "5 万人");
# a bare year ("2023 年") is not a commitment, so a four-digit number before 年 is excluded below.
_QUANTITY = re.compile(
    rf"(?:不少于|不低于|不超过|至少|超过|达到|约)?\s*\d+(?:\.\d+)?\s*"
    rf"(?:[万亿](?:{_MEASURE})?|{_MEASURE})(?:左右|以上|以下|{lexicon.alternation(lexicon.TIME_LIMIT_ENDS)})?"
)
# Only these worded measures: "一批", "三次产业", "二期" are not commitments to a number.
_WORDED = re.compile(rf"[一二两三四五六七八九十]+(?:{'|'.join(lexicon.WORDED_COUNT_WORDS)})|\d+\+\d+")
_FREQUENCY = re.compile(
    rf"每(?:{lexicon.alternation(lexicon.FREQUENCY_WORDS)})|"
    rf"按(?:{lexicon.alternation(lexicon.FREQUENCY_BY_WORDS)})"
)
_YEAR = re.compile(r"^\s*\d{4}\s*年")


def find_targets(text: str, base: int = 0, offsets: tuple[int, ...] = ()) -> tuple[Target, ...]:
    """Every quantity ("不少于 2 次", "32个"), frequency ("每学年") and deadline ("6月底前") in ``text``.

    ``offsets`` (the clause's source offset of each character) fills in each target's source span.
    The words are looked for in the text's reading form (a copy in traditional script: 146項 is 146项),
    the targets keep the text as printed.
    """
    printed, text = text, reading_form(text)
    found: list[tuple[int, int, str]] = []
    for match in lexicon.DEADLINE_PATTERN.finditer(text):
        found.append((match.start(), match.end(), "deadline"))
    taken = [(s, e) for s, e, _ in found]
    for match in _QUANTITY.finditer(text):
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        if not _YEAR.match(match.group()) and not any(s <= start < e for s, e in taken):
            found.append((start, match.end(), "quantity"))
    found += [(m.start(), m.end(), "quantity") for m in _WORDED.finditer(text)]
    found += [(m.start(), m.end(), "frequency") for m in _FREQUENCY.finditer(text)]
    targets = []
    for start, end, kind in sorted(found):
        source = (offsets[start], offsets[end - 1] + 1) if offsets else (base + start, base + end)
        targets.append(Target(printed[start:end].strip(), start, end, kind, *source))  # type: ignore[arg-type]
    return tuple(targets)
