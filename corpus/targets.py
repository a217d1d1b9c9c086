"""Find the quantities and frequencies a clause commits to."""

from __future__ import annotations

import re

from corpus.models import Target

_MEASURE = "名|个|次|家|项|所|人|%|％|条|场|批|处|座|公里|千米|元|户|期|届|天|年"
# A number followed by a measure word, 万 / 亿 taking theirs along ("1.5亿元", "5 万人");
# a bare year ("2023 年") is not a commitment, so a four-digit number before 年 is excluded below.
_QUANTITY = re.compile(
    rf"(?:不少于|不低于|不超过|至少|超过|达到|约)?\s*\d+(?:\.\d+)?\s*"
    rf"(?:[万亿](?:{_MEASURE})?|{_MEASURE})(?:左右|以上|以内|以下)?"
)
# Counts written in Chinese numerals or as a formula: "两日游", "五年行动", "四枢纽一园区", "3+2".
# Only these measure words: "一批", "三次产业", "二期" are not commitments to a number.
_WORDED = re.compile(r"[一二两三四五六七八九十]+(?:日游|年行动|枢纽|园区)|\d+\+\d+")
_FREQUENCY = re.compile(r"每(?:学年|年度|年|半年|季度|月|周)")
_YEAR = re.compile(r"^\s*\d{4}\s*年")


def find_targets(text: str) -> tuple[Target, ...]:
    """Every quantity ("不少于 2 次", "32个") and frequency ("每学年") in ``text``, in order."""
    found = [
        Target(m.group().strip(), m.start() + (len(m.group()) - len(m.group().lstrip())), m.end(), "quantity")
        for m in _QUANTITY.finditer(text)
        if not _YEAR.match(m.group())
    ]
    found += [Target(m.group(), m.start(), m.end(), "quantity") for m in _WORDED.finditer(text)]
    found += [Target(m.group(), m.start(), m.end(), "frequency") for m in _FREQUENCY.finditer(text)]
    return tuple(sorted(found, key=lambda t: t.start))
