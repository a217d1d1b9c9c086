"""Write the answer text: every quoted sentence comes verbatim from a cited clause."""

from __future__ import annotations

from collections.abc import Sequence

from qa.models import Citation

REFUSAL = "文件中没有找到相关规定。"
_NO_LEAD = "（该条未列明牵头单位）"


def _quote(citation: Citation) -> str:
    text = citation.clause.text
    return "……".join(text[s:e] for s, e in citation.highlights)


def topic_answer(citations: Sequence[Citation]) -> str:
    return "\n".join(f"{c.clause.citation}{_quote(c)}" for c in citations)


def responsibility_answer(citations: Sequence[Citation], wants_lead: bool) -> str:
    lines = []
    for citation in citations:
        clause = citation.clause
        parts = []
        if clause.lead_units:
            parts.append(f"牵头单位：{'、'.join(clause.lead_units)}")
        elif wants_lead:
            parts.append(_NO_LEAD)
        others = [u for u in clause.units if u not in clause.lead_units]
        if others:
            label = "分工负责" if clause.lead_units else "责任单位"
            parts.append(f"{label}：{'、'.join(others)}")
        lines.append(f"{clause.citation}{'；'.join(parts)}。原文：{clause.responsibility_raw}")
    return "\n".join(lines)


def unit_list_answer(units: Sequence[str], citations: Sequence[Citation]) -> str:
    lead = sum(1 for c in citations if set(units) & set(c.clause.lead_units))
    head = f"{'、'.join(units)}共涉及{len(citations)}项任务（其中牵头{lead}项）："
    lines = [head]
    for index, citation in enumerate(citations, start=1):
        mark = "（牵头）" if set(units) & set(citation.clause.lead_units) else ""
        lines.append(f"{index}. {citation.clause.citation}{mark}{_quote(citation)}")
    return "\n".join(lines)


def refusal_answer(see_also: Sequence[Citation]) -> str:
    if not see_also:
        return REFUSAL
    return REFUSAL + "以下条款可能相关：" + "、".join(c.clause.citation for c in see_also)
