"""Step 5, compose: the answer text.  It leads with what was asked; every quote is verbatim clause text.

A responsibility answer names the units (or the leaders) first, under the document's own labels; a
count or date answer quotes the part with the figure; a list counts its clauses and cites every one;
a passage (text outside the numbered tasks) is marked as not a task; a refusal says what the documents
mention and what they do not state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from corpus.lexicon import ANSWER_LABELS, PROGRESS_QUESTION
from corpus.models import Clause
from corpus.text import normalise
from qa.analysis import Analysis, QuestionType
from qa.evidence import progress
from qa.judge import Judgement
from qa.models import REFUSAL, Citation, Span
from qa.retrieve import Listing
from qa.select import Selection

__all__ = ["REFUSAL", "compose", "refusal_answer"]

_NO_LEAD = "（该条未列明牵头单位）"
_NO_LEADERS = "（该条未列明责任领导）"
_NO_UNITS = "（该条未列明责任单位）"
_LEADING_DEADLINES = 2  # at most this many deadlines lead a 什么时候 answer
_PASSAGE = "（文件说明，不是任务条款）"


def _quote(clause: Clause, span: Span | None) -> str:
    if span is None:
        return clause.text
    return clause.text[span[0] : span[1]]


def _marker(clause: Clause) -> str:
    return clause.citation + ("" if clause.is_task else _PASSAGE)


def _responsibility(clause: Clause, quote: str, wants_lead: bool, person: bool) -> str:
    """Who, then what: the lead units (or leaders) first, the quote, then the units that share it.

    The shared units can be a long list; the quote goes before it so the answer's opening says both
    who leads and what the task is.
    """
    first, rest = [], []
    if person:
        first.append(f"{ANSWER_LABELS['leaders']}：{'、'.join(clause.leaders)}" if clause.leaders else _NO_LEADERS)
    if clause.lead_units:
        first.append(f"{ANSWER_LABELS['lead']}：{'、'.join(clause.lead_units)}")
    elif wants_lead:
        first.append(_NO_LEAD)
    elif not clause.units and not person and clause.is_task:
        first.append(_NO_UNITS)
    others = [u for u in clause.units if u not in clause.lead_units]
    if others:
        default = ANSWER_LABELS["shared"] if clause.lead_units else ANSWER_LABELS["units"]
        rest.append(f"{clause.unit_label or default}：{'、'.join(others)}")
    head = f"{'；'.join(first)}。" if first else ""
    tail = f"{'；'.join(rest)}。" if rest else ""
    return f"{head}{quote}。{tail}" if not quote.endswith(("。", "；", "！", "？")) else f"{head}{quote}{tail}"


def _deadline(clause: Clause, quote: str) -> str:
    """What leads a 什么时候 answer: a deadline the quote does not show (a table's 完成时限 column), or the
    clause's one deadline, which a long quote may hold in its middle.  Of a task's several (①3月底前…②6月
    底前…) the quote says which is which."""
    deadlines = list(dict.fromkeys(t.text for t in clause.targets if t.kind == "deadline"))
    unshown = [d for d in deadlines if d not in quote]
    if len(unshown) > _LEADING_DEADLINES:  # a task's milestones: which is which only its wording says
        return ""
    shown = unshown or (deadlines if len(deadlines) == 1 else [])
    return f"{ANSWER_LABELS['deadline']}：{'、'.join(shown)}。" if shown else ""


def _lines(citations: Sequence[Citation], quotes: dict[str, Span], analysis: Analysis) -> list[str]:
    lines = []
    asks_progress = bool(PROGRESS_QUESTION.search(analysis.form))
    for citation in citations:
        clause = citation.clause
        quote = _quote(clause, quotes.get(clause.clause_id))
        lead = _deadline(clause, quote) if analysis.asked == "date" else ""
        done = progress(clause) if asks_progress else None
        if done is not None:  # "已经加了多少张": what the task reports done leads, then the task it is of
            lead = f"{done}。{lead}"
        if analysis.type is QuestionType.RESPONSIBILITY or analysis.asked == "person":
            body = _responsibility(clause, quote, analysis.wants_lead, analysis.asked == "person")
            lines.append(f"{_marker(clause)}{lead}{body}")
        else:
            lines.append(f"{_marker(clause)}{lead}{quote}")
    return lines


def _listing(listing: Listing, selection: Selection, analysis: Analysis) -> str:
    citations = selection.citations
    if listing.kind == "numbered":  # the clauses asked for by number, answered as any other question's
        return "\n".join(_lines(citations, selection.quotes, analysis))
    if listing.kind == "units":
        lead = sum(1 for c in citations if c.clause.clause_id in listing.led)
        # Of a plan that marks no lead at all, "其中牵头0项" would say what it never says
        marked = any(c.clause.lead_units for c in citations)
        shared = "共同涉及" if analysis.joint else "共涉及"  # "X和Y共同负责哪些": the tasks each of them shares
        head = f"{listing.label}{shared}{len(citations)}项任务" + (f"（其中牵头{lead}项）：" if marked else "：")
        marks = ["（牵头）" if c.clause.clause_id in listing.led else "" for c in citations]
        if listing.lead_only:  # not all it takes part in: "共涉及2项（其中牵头2项）" would say it has no other
            head, marks = f"{listing.label}牵头{len(citations)}项任务：", [""] * len(citations)
    elif listing.kind == "leaders":
        head = f"{listing.label}负责的共{len(citations)}项任务："
        marks = [""] * len(citations)
    elif listing.kind == "document":
        head = f"{listing.facts}。"
        marks = [""] * len(citations)
    elif listing.kind == "plan":
        counts = Counter(c.clause.document_id for c in citations)  # in document order
        titles = {c.clause.document_id: c.clause.document for c in citations}
        each = "、".join(f"《{titles[d]}》{count}项" for d, count in counts.items())
        head = f"{each}，共{len(citations)}项任务：" if len(counts) > 1 else f"{listing.label}共列出{len(citations)}项任务："
        marks = [""] * len(citations)
    elif listing.kind == "due":
        head = f"完成时限为{listing.label}前的共{len(citations)}项："
        marks = [""] * len(citations)
    elif listing.kind == "open":
        head = f"完成时限为长期或持续推进的共{len(citations)}项："
        marks = [""] * len(citations)
    elif listing.kind == "section":
        head = f"“{listing.label}”部分共{len(citations)}项："
        marks = [""] * len(citations)
    else:
        head = f"写明“{listing.label}”的共{len(citations)}项："
        marks = [""] * len(citations)
    who = analysis.type is QuestionType.RESPONSIBILITY  # "<a heading>谁牵头": each item with its units
    if selection.overview and not who:  # who leads each item matters more than what each is about
        head += "；".join(_quote(c.clause, selection.overview.get(c.clause.clause_id)) for c in citations) + "。"
    lines = [head]
    for index, (citation, mark) in enumerate(zip(citations, marks, strict=True), start=1):
        clause = citation.clause
        quote = _quote(clause, selection.quotes.get(clause.clause_id))
        body = _responsibility(clause, quote, analysis.wants_lead, False) if who else quote
        dated = listing.kind == "kind" and any(listing.label in normalise(t.text) for t in clause.targets
                                                if t.kind == "deadline")
        if listing.kind in ("due", "open") or dated:
            body = _deadline(clause, quote) + body  # "哪些任务是长期推进的": the column that says so
        lines.append(f"{index}. {_marker(clause)}{mark}{body}")
    return "\n".join(lines)


def refusal_answer(judgement: Judgement, see_also: Sequence[Citation]) -> str:
    text = REFUSAL
    if judgement.elsewhere is not None and judgement.ranked:
        named, other = judgement.ranked[0].evidence.hit.clause, judgement.elsewhere.evidence.hit.clause
        text += f"《{named.document}》没有写明，《{other.document}》{other.citation}有相关内容。"
    elif judgement.absent:
        text += f"文件没有提到{'、'.join(judgement.absent)}。"
    elif judgement.thing and judgement.missing and not judgement.plain:
        text += f"文件提到{judgement.thing}，但没有写明{judgement.missing}。"
    if see_also:
        text += "以下条款可能相关：" + "、".join(c.clause.citation for c in see_also)
    return text


def compose(analysis: Analysis, judgement: Judgement, selection: Selection) -> str:
    if not judgement.answerable:
        return refusal_answer(judgement, selection.see_also)
    if judgement.listing is not None:
        return _listing(judgement.listing, selection, analysis)
    lines = _lines(selection.citations, selection.quotes, analysis)
    if judgement.unstated:  # the part of a two-part question the documents leave open
        lines.append(f"文件没有写明{judgement.unstated}。")
    return "\n".join(lines)
