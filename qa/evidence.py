"""Find the span of a clause that answers a question.

Every span is a [start, end) range of ``Clause.text``, so the page can mark
it and the answer can quote it verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus.models import Clause, Target
from corpus.text import normalise
from qa.models import Span



_SENTENCE_END = re.compile(r"[。；！？]")
# The measure word a question asks about: 多少名 → 名, 几次 → 次.
_ASKED_MEASURE = re.compile(r"(?:多少|几)\s*(名|个|次|项|家|批|所|人|万|亿|条|场|处|座|期|年)")
_MEASURE_SYNONYMS = {"人": "名", "老师": "名", "教师": "名"}


def sentences(clause: Clause) -> list[Span]:
    """The sentences of the clause body (the responsibility parenthesis is not one)."""
    body_end = len(clause.body)
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(clause.text, 0, body_end):
        if clause.text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if clause.text[start:body_end].strip():
        spans.append((start, body_end))
    return spans


def responsibility_span(clause: Clause) -> Span | None:
    if not clause.responsibility_raw:
        return None
    return len(clause.text) - len(clause.responsibility_raw), len(clause.text)


def best_sentence(clause: Clause, topic: str, coverage: Callable[[str, str], float]) -> Span:
    """The sentence of the clause that covers most of the topic (the first one on a tie)."""
    spans = sentences(clause) or [(0, len(clause.text))]
    return max(spans, key=lambda span: (coverage(topic, clause.text[span[0]:span[1]]), -span[0]))


def asked_targets(clause: Clause, question: str) -> list[Target]:
    """The targets of the clause the question asks about (多少名 → the 名 quantity)."""
    form = normalise(question)
    measure = _ASKED_MEASURE.search(form)
    wanted = measure.group(1) if measure else None
    for word, unit in _MEASURE_SYNONYMS.items():
        if wanted is None and word in form and "多少" in form:
            wanted = unit
    quantities = [t for t in clause.targets if t.kind == "quantity"]
    if wanted:
        matching = [t for t in quantities if wanted in t.text]
        if matching:
            return matching
    if "每" in form or "频" in form:
        return [t for t in clause.targets if t.kind == "frequency"] or quantities
    return quantities or list(clause.targets)


def sentence_of(clause: Clause, span: Span) -> Span:
    """The sentence that contains ``span``."""
    for start, end in sentences(clause):
        if start <= span[0] < end:
            return start, end
    return span
