"""What the QA layer returns: answers and the citations they rest on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from corpus.models import Clause

Span = tuple[int, int]
Words = Callable[[str], Sequence[Span]]  # a segmenter's word spans of a normalised text
# Every refusal starts so: a follow-up reads it to know that the previous answer cited nothing.
REFUSAL = "文件中没有找到相关规定。"


@dataclass(frozen=True)
class Citation:
    """A clause an answer rests on, with the spans of its text that answer."""

    clause: Clause
    highlights: tuple[Span, ...]
    score: float  # support of this clause for the question, in [0, 1]
    ranks: dict[str, int | None] = field(default_factory=dict)  # rank in each retrieval channel


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, as the chat box or an OpenAI client sends it."""

    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    answerable: bool
    question_type: str
    citations: tuple[Citation, ...]
    see_also: tuple[Citation, ...]
    timings_ms: dict[str, float]
    support: float  # the judge's probability that the best clause answers (1 for a non-empty list)
    generated: bool = False  # phrased by a language model (verified) rather than extracted
    why: str = ""  # the judge's reasons for answering or refusing, one short line
