"""Answers as plain data: one shape for the API, `clause-qa ask --json` and the evaluation report."""

from __future__ import annotations

from typing import Any

from qa.models import Answer, Citation


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    clause = citation.clause
    data = clause.to_dict()
    data["marker"] = clause.citation
    data["highlights"] = [list(span) for span in citation.highlights]
    data["score"] = citation.score
    data["ranks"] = {"keyword": citation.ranks.get("keyword"), "dense": citation.ranks.get("dense")}
    return data


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "answerable": answer.answerable,
        "question_type": answer.question_type,
        "citations": [citation_to_dict(c) for c in answer.citations],
        "see_also": [citation_to_dict(c) for c in answer.see_also],
        "support": round(answer.support, 4),
        "why": answer.why,
        "generated": answer.generated,
        "timings_ms": answer.timings_ms,
    }
