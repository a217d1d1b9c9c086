"""Unique benchmark questions: the questions of evaluation/gold.jsonl, then worded variants of them.

A load test of unique questions must never hit the question-embedding cache, and 229 gold questions
are too few for 15 s at 80 requests/s.  Variants keep each gold question's content and change only its
framing (a polite opening, a closing particle), the way staff type the same question differently: the
pipeline does the same work for them (tokenising, both channels, support) as for the original.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent / "evaluation" / "gold.jsonl"

_OPENINGS = ("", "请问", "请问一下，", "想了解一下，", "麻烦查一下：", "我想知道", "帮忙看看", "咨询：", "你好，")
_CLOSINGS = ("", "呢", "，谢谢", "，请给出依据", "，文件怎么规定的", "，有依据吗")
_STOPS = "？?。！!"


def gold_questions(path: Path = GOLD) -> list[str]:
    """The "question" field of every gold line, in file order, without duplicates."""
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            seen.setdefault(json.loads(line)["question"].strip(), None)
    return list(seen)


def unique_questions(count: int, path: Path = GOLD) -> list[str]:
    """``count`` distinct questions: the gold questions first, then variants in a fixed order."""
    base = gold_questions(path)
    found: dict[str, None] = {}
    for opening, closing in itertools.product(_OPENINGS, _CLOSINGS):
        for question in base:
            core = question.rstrip(_STOPS)
            mark = question[len(core) :] or "？"
            found.setdefault(f"{opening}{core}{closing}{mark}" if (opening or closing) else question, None)
            if len(found) == count:
                return list(found)
    raise ValueError(f"only {len(found)} distinct questions can be made from {path}")
