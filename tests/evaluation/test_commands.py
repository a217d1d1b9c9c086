"""`clause-qa eval`: the same path as the API, report files, and the CI gate's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import qa.factory
from evaluation.commands import gate_failures
from evaluation.gold import DEFAULT_GOLD
from qa.cli import main


@pytest.fixture
def small_gold(tmp_path: Path) -> Path:
    """A few shipped test questions of different types (the file format users bring)."""
    lines = DEFAULT_GOLD.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    picked = []
    for kind in ("responsibility", "unit-list", "section-list", "follow-up", "unanswerable"):
        picked.append(next(r for r in records if r["type"] == kind and r["split"] == "test"))
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in picked), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _session_service(monkeypatch: pytest.MonkeyPatch, service) -> None:
    monkeypatch.setattr(qa.factory, "build_service", lambda settings: service)


def test_eval_writes_reports_and_prints_the_summary(small_gold: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["eval", "--gold", str(small_gold), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "| recall@1 |" in printed and "hybrid" in printed
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["questions"] == 5 and len(report["rows"]) == 5
    row = report["rows"][0]
    assert {"gold", "ranked", "gold_ranks", "answer", "refused", "latency_ms"} <= set(row)
    kinds = {"responsibility", "unit-list", "section-list", "follow-up", "unanswerable"}
    assert set(report["by_type"]) == kinds
    assert set(report["by_style"]) == {row["style"] for row in report["rows"]}
    assert "# Evaluation" in (out / "report.md").read_text(encoding="utf-8")


def test_compare_runs_every_retriever(small_gold: Path, tmp_path: Path, capsys) -> None:
    assert main(["eval", "--gold", str(small_gold), "--compare", "--out", str(tmp_path), "--quiet"]) == 0
    assert "| metric | keyword | dense | hybrid |" in capsys.readouterr().out
    assert all((tmp_path / mode / "report.json").exists() for mode in ("keyword", "dense", "hybrid"))


def test_gate_exit_codes(small_gold: Path, capsys) -> None:
    assert main(["eval", "--gold", str(small_gold), "--quiet", "--fail-under", "recall@1=0"]) == 0
    assert main(["eval", "--gold", str(small_gold), "--quiet", "--fail-under", "recall@1=1.01"]) == 1
    assert "recall@1" in capsys.readouterr().err
    assert main(["eval", "--gold", str(small_gold), "--quiet", "--fail-under", "nonsense=1"]) == 2


def test_a_broken_gold_file_is_refused(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "机场", "gold": ["2023分工方案-999"], "keywords": ["机场"], '
                   '"type": "which-task", "style": "keyword", "split": "test"}\n', encoding="utf-8")
    assert main(["eval", "--gold", str(bad), "--quiet"]) == 2
    assert "2023分工方案-999" in capsys.readouterr().err


def test_gate_failures_both_directions() -> None:
    summary = {"recall@1": 0.9, "false_refusal_rate": 0.2, "refusal_recall": None}
    assert gate_failures(summary, {"recall@1": 0.8}, {"false_refusal_rate": 0.3}) == []
    failures = gate_failures(summary, {"recall@1": 0.95, "refusal_recall": 0.5}, {"false_refusal_rate": 0.1})
    assert len(failures) == 3
