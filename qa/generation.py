"""Optional: let a language model phrase the answer, and keep it only if it checks out.

Off unless CLAUSE_QA_LLM_BASE_URL names an OpenAI-compatible server.  The
model sees only the clauses the extractive answer cited.  Its text is kept
when every 〔…第N条〕 marker it writes names one of those clauses (and it
writes at least one) and every 「quoted」 span is a substring of one of them;
otherwise, or on any error or timeout, the extractive answer stands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

import httpx

from corpus.models import Clause
from corpus.text import normalise
from qa.markers import markers_in
from qa.models import Answer

log = logging.getLogger(__name__)

_QUOTE = re.compile(r"「([^「」]+)」")
_SYSTEM = (
    "你是政策文件问答助手。只能依据下面给出的条款回答，不得补充条款以外的内容。"
    "每个结论后用条款标记注明出处，例如条款前所注的〔…第N条〕；引用原文时用「」括起来，必须与条款逐字一致。"
)


def verify(text: str, clauses: Sequence[Clause]) -> bool:
    """True when every marker names a given clause and every quote is a substring of one."""
    given = {c.citation for c in clauses}
    found = markers_in(text)
    if not found or not set(found) <= given:
        return False
    sources = [normalise(c.text) for c in clauses]
    return all(any(normalise(q) in s for s in sources) for q in _QUOTE.findall(text))


class Generator:
    def __init__(self, base_url: str, model: str, api_key: str | None, timeout_s: float,
                 transport: httpx.BaseTransport | None = None) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout_s,
                                    transport=transport)
        self._model = model

    def close(self) -> None:
        self._client.close()

    def _prompt(self, answer: Answer) -> list[dict[str, str]]:
        clauses = "\n".join(f"{c.clause.citation}{c.clause.text}" for c in answer.citations)
        return [
            {"role": "system", "content": _SYSTEM},
            {"role": "user", "content": f"条款：\n{clauses}\n\n问题：{answer.question}"},
        ]

    def rephrase(self, answer: Answer) -> Answer:
        """The model's phrasing of ``answer`` if it verifies, else ``answer`` unchanged."""
        try:
            response = self._client.post(
                "/chat/completions",
                json={"model": self._model, "messages": self._prompt(answer), "temperature": 0},
            )
            response.raise_for_status()
            text = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            log.warning("generation failed, keeping the extractive answer: %s", exc)
            return answer
        if not isinstance(text, str) or not verify(text, [c.clause for c in answer.citations]):
            log.info("generated answer failed verification, keeping the extractive answer")
            return answer
        return replace(answer, answer=text.strip(), generated=True)
