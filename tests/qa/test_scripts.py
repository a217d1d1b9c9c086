"""A plan in traditional script (copied from a mirror site), asked in simplified script."""

from __future__ import annotations

import pytest

from qa.service import QAService


@pytest.fixture(scope="module")
def traditional(layout_service) -> QAService:
    return layout_service("jichuan-2021-traditional.txt")


def test_a_simplified_question_finds_the_traditional_clause(traditional: QAService) -> None:
    answer = traditional.ask("老旧小区要改造多少个？")
    assert answer.answerable and answer.citations[0].clause.number == 4
    assert "改造老舊小區60個" in answer.answer  # quoted as printed


def test_the_keyword_channel_reads_both_scripts(traditional: QAService) -> None:
    ranked = traditional.retriever.search("标准厂房", k=3, mode="keyword")
    assert ranked and ranked[0].clause.number == 2
