"""A plan in traditional script (copied from a mirror site), asked in simplified script."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.service import QAService

TRADITIONAL = Path(__file__).resolve().parents[1] / "data" / "layouts" / "jichuan-2021-traditional.txt"


@pytest.fixture(scope="module")
def traditional(tmp_path_factory: pytest.TempPathFactory, service_settings, session_embedder) -> QAService:
    from qa.factory import build_service

    folder = tmp_path_factory.mktemp("traditional")
    shutil.copy2(TRADITIONAL, folder / TRADITIONAL.name)
    settings = service_settings.model_copy(update={
        "corpus_dir": folder, "index_dir": tmp_path_factory.mktemp("traditional-index"),
        "qa_cache_dir": tmp_path_factory.mktemp("traditional-qa"),
    })
    return build_service(settings, session_embedder)


def test_a_simplified_question_finds_the_traditional_clause(traditional: QAService) -> None:
    answer = traditional.ask("老旧小区要改造多少个？")
    assert answer.answerable and answer.citations[0].clause.number == 4
    assert "改造老舊小區60個" in answer.answer  # quoted as printed


def test_the_keyword_channel_reads_both_scripts(traditional: QAService) -> None:
    ranked = traditional.retriever.search("标准厂房", k=3, mode="keyword")
    assert ranked and ranked[0].clause.number == 2
