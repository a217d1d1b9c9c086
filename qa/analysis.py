"""Understand a question well enough to pick the right evidence.

Rules, not a model: the question types staff ask are few and their wording
is formulaic (谁牵头, 负责哪些任务, 多少名), and a rule that misfires is easy to
see and fix.  Anything that is not a responsibility, unit or target question
is a topic question.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum

from corpus.models import Document
from corpus.text import normalise
from corpus.unit_matcher import UnitMatcher


class QuestionType(StrEnum):
    RESPONSIBILITY = "responsibility"  # 谁牵头 / 哪个部门负责
    UNIT_LIST = "unit_list"  # 济南市教育局负责哪些任务
    TARGET = "target"  # 多少名 / 几次
    TOPIC = "topic"  # 关于X有什么安排


_RESPONSIBILITY = re.compile(
    r"谁|哪个部门|哪些部门|哪个单位|哪些单位|哪家|什么部门|什么单位|啥部门|啥单位|责任单位|牵头单位|负责单位|"
    r"归.{0,4}管|由.{0,12}负责|牵头|挑头|哪个局|哪些局|主管|归哪|的活"
)
_UNIT_TASKS = re.compile(
    r"负责.{0,3}(哪些|什么|啥|哪几)|(哪些|什么|啥|哪几)(任务|工作|事|项|条)|要(干|做|管)|干(啥|什么)|职责|承担|有什么任务|"
    r"牵头.{0,4}(哪些|什么|啥|哪几)|参与.{0,4}(哪些|什么|啥)|管(啥|什么|哪些)|涉及.{0,4}(哪些|什么|啥)"
)
_TARGET = re.compile(r"多少|几(?:名|个|次|项|家|批|所|人|年|日|加)|几次|人数|次数|频次|名额|多久|多大|多长")
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|其中|它|这|该|此|上述|刚才|再)")
_LEAD = re.compile(r"牵头")
_YEAR = re.compile(r"(20\d\d)")
_THIS_YEAR = re.compile(r"今年|本年度|年度工作|工作要点")
# Words that ask rather than say what about: cut out (leaving a break, so no bigram spans the cut)
# to measure the topic left.  Single characters only where they are never part of a content word.
_QUESTION_WORDS = re.compile(
    r"请问|你好|麻烦|哪一条|哪几条|哪条|哪一项|哪几项|哪项|哪些条|哪个|哪些|哪家|哪里|在哪|写在|什么|怎么|怎样|如何|是否|"
    r"有没有|是不是|多少|几条|几项|部门|单位|负责|牵头|挑头|任务|工作|安排|要求|规定|情况|具体|主要|关于|方面|一下|"
    r"告诉|我们|知道|文件|提到|条款|内容|有关|相关|这事|这件事|这块|这一块|那些|那个|这个|一共|都要|干些|谁来|"
    r"都有|有啥|干啥|是啥|是谁|由谁|归谁|的活|下面|里面|今年|本年度|年度|参与|分了|分到|清单|济临合作|对口合作|"
    r"合作任务|分工|几[个名次项条家所批年日天位]?|"
    r"[谁啥吗呢吧啊呀么的了?？!！,，。.、；;:：“”\"'《》\s]+"
)
# Function characters at the edges of what is left ("是哪条" → "", "有这方面" → "这方面"): one is cut
# from each edge unless it starts or ends a word of the corpus (要素保障, 有机).
_PIECE_HEAD = "是有在和与及把给那这要跟"
_PIECE_TAIL = "是有在里中上那这事呢"


@dataclass(frozen=True)
class Analysis:
    question: str
    type: QuestionType
    units: tuple[str, ...]  # units the question names, aliases resolved
    wants_lead: bool
    document: str | None  # short name of the document the question is about, when it says so
    topic: str  # what is left once question words are cut out (pieces joined by spaces)
    follow_up: bool  # reads as a continuation of the previous turn


def _trim(piece: str, known: Container[str]) -> str:
    if piece[:1] in _PIECE_HEAD and piece[:2] not in known:
        piece = piece[1:]
    if piece[-1:] in _PIECE_TAIL and piece[-2:] not in known:
        piece = piece[:-1]
    return piece


def _topic(text: str, known: Container[str]) -> str:
    """``text`` without years and question words, as space-separated pieces."""
    pieces = (_trim(p, known) for p in _QUESTION_WORDS.sub(" ", _YEAR.sub(" ", text)).split())
    # A lone character left between question words ("有", "县") says little about the topic.
    return " ".join(p for p in pieces if len(p) > 1)


def _document_hint(question: str, documents: tuple[Document, ...]) -> str | None:
    for document in documents:
        if document.short_name in question:
            return document.short_name
    years = set(_YEAR.findall(question))
    dated = [d for d in documents if years & set(_YEAR.findall(normalise(d.title)))]
    if len(dated) == 1:
        return dated[0].short_name
    if _THIS_YEAR.search(question):
        latest = max(documents, key=lambda d: max(_YEAR.findall(normalise(d.title)) or ["0"]))
        if _YEAR.search(normalise(latest.title)):
            return latest.short_name
    return None


def analyse(
    question: str, matcher: UnitMatcher, documents: tuple[Document, ...], has_history: bool,
    known_bigrams: Container[str] = frozenset(),
) -> Analysis:
    """Classify ``question`` and pull out the units, document and topic it names.

    ``known_bigrams`` (the corpus's character bigrams) keeps words like 要素 whole when trimming the topic.
    """
    form = normalise(question)
    mentions = matcher.find(form)
    units = tuple(dict.fromkeys(u for m in mentions for u in m.units))
    document = _document_hint(form, documents)
    topic = _topic(form.replace(normalise(document), " ") if document else form, known_bigrams)
    # What the question asks about besides the units it names: nothing, for "教育局负责哪些任务".
    rest = topic
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    content = len(_topic(rest, known_bigrams).replace(" ", ""))

    if units and (_UNIT_TASKS.search(form) or content == 0) and content <= 2:
        kind = QuestionType.UNIT_LIST
    elif _RESPONSIBILITY.search(form) and not (units and content <= 2):
        kind = QuestionType.RESPONSIBILITY
    elif _TARGET.search(form):
        kind = QuestionType.TARGET
    else:
        kind = QuestionType.TOPIC
    follow_up = has_history and (bool(_FOLLOW_UP.search(form)) or content <= 3) and kind != QuestionType.UNIT_LIST
    return Analysis(
        question=question,
        type=kind,
        units=units,
        wants_lead=bool(_LEAD.search(form)),
        document=document,
        topic=topic,
        follow_up=follow_up,
    )
