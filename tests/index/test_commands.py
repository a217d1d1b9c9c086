"""`clause-qa index build` and `clause-qa search`, through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import commands as index_commands
from index.store import MANIFEST_FILE
from qa.cli import main


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, seed_index_dir: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("CLAUSE_QA_INDEX_DIR", str(seed_index_dir))
    monkeypatch.setenv("CLAUSE_QA_REBUILD_STALE_INDEX", "false")
    return monkeypatch


def test_index_build_writes_an_index(
    env: pytest.MonkeyPatch, tmp_path: Path, hash_embedder, capsys, seed_corpus
) -> None:
    env.setattr(index_commands, "embedder_from_settings", lambda settings: hash_embedder())
    assert main(["index", "build", "--out", str(tmp_path / "built")]) == 0
    assert (tmp_path / "built" / MANIFEST_FILE).is_file()
    # Tasks and passages are searchable: the index holds both.
    assert f"indexed {len(seed_corpus.citable)} clauses into {tmp_path / 'built'}" in capsys.readouterr().out


def test_search_prints_ranked_clauses_with_both_channels(env: pytest.MonkeyPatch, capsys) -> None:
    assert main(["search", "飞机场改扩建", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1. ") and " 2. " in out and " 3. " not in out
    assert "keyword #" in out and "dense #" in out
    assert "2023分工方案-17" in out and "2023工作要点-13" in out


def test_search_json(env: pytest.MonkeyPatch, capsys) -> None:
    assert main(["search", "中欧班列", "--json", "--retriever", "keyword", "--k", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # Only two clauses share a token with 中欧班列: keyword search returns matches, not padding.
    assert {r["clause_id"] for r in rows} == {"2023分工方案-18", "2023工作要点-14"}
    assert [r["rank"] for r in rows] == [1, 2]
    assert rows[0]["ranks"] == {"keyword": 1, "dense": None} and rows[0]["citation"].startswith("〔")


def test_a_stale_index_is_an_error_message_not_a_traceback(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    env.setenv("CLAUSE_QA_INDEX_DIR", str(tmp_path / "nothing"))
    assert main(["search", "机场"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clause-qa: error: the index at") and "clause-qa index build" in err


def test_k_must_be_positive(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit):
        main(["search", "机场", "--k", "0"])
