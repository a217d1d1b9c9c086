"""corpus/commands.py: `clause-qa clauses`, driven through the real CLI entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa.cli import main


@pytest.fixture(autouse=True)
def _seed_corpus_dir(monkeypatch: pytest.MonkeyPatch, seed_dir: Path) -> None:
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(seed_dir))


def _listed_ids(out: str) -> list[str]:
    return re.findall(r"^(\S+-\d+)(?: \[牵头\])?  ", out, flags=re.MULTILINE)


def test_lists_every_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses"]) == 0
    out = capsys.readouterr().out
    ids = _listed_ids(out)
    assert len(ids) == 96 and ids[0] == "2023分工方案-1" and ids[-1] == "2023工作要点-43"
    assert "2023分工方案-24  五、强化产业务实合作 › （十一）联合做强优势产业" in out
    assert out.rstrip().endswith("(96 clauses)")


def test_lists_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 96
    first = rows[0]
    assert first["clause_id"] == "2023分工方案-1"
    assert first["section"] == ["一、弘扬传承红色文化", "（一）传承践行红色精神"]
    assert first["lead_units"] == ["济南市委宣传部", "临沂市委宣传部"]
    assert "offsets" not in first
    assert first["targets"] == []
    twenty = next(r for r in rows if r["clause_id"] == "2023工作要点-34")["targets"][1]
    assert {k: twenty[k] for k in ("text", "start", "end", "kind")} == {
        "text": "20名左右", "start": 60, "end": 65, "kind": "quantity"
    }
    assert first["marker"] == "〔2023分工方案第1条〕" and first["kind"] == "task"
    assert first["location"]["line"] == 33


@pytest.mark.parametrize(
    ("document", "count"),
    [("工作要点", 43), ("分工方案", 53), ("贯彻落实《济南—临沂对口合作实施方案》重点任务分工方案", 53)],
)
def test_filters_by_document(capsys: pytest.CaptureFixture[str], document: str, count: int) -> None:
    assert main(["clauses", "--document", document]) == 0
    assert len(_listed_ids(capsys.readouterr().out)) == count


def test_unknown_document_is_an_error_like_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--document", "没有这个文件"]) == 2
    error = capsys.readouterr().err
    assert "没有这个文件" in error and "分工方案" in error


def test_filters_by_unit_lead_clauses_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--unit", "济南市教育局"]) == 0
    out = capsys.readouterr().out
    assert _listed_ids(out) == [
        "2023分工方案-37", "2023分工方案-40",  # lead
        "2023分工方案-38", "2023分工方案-39", "2023分工方案-52", "2023工作要点-34", "2023工作要点-35", "2023工作要点-43",
    ]
    assert re.findall(r"^(\S+) \[牵头\]", out, flags=re.MULTILINE) == ["2023分工方案-37", "2023分工方案-40"]
    assert out.rstrip().endswith("(8 clauses)")


def test_filters_by_unit_and_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--unit", "济南市教育局", "--document", "工作要点", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["clause_id"] for r in rows] == ["2023工作要点-34", "2023工作要点-35", "2023工作要点-43"]


def test_show_one_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "show", "2023分工方案-24"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("〔2023分工方案第24条〕  2023分工方案-24\n")
    assert "章节：五、强化产业务实合作 › （十一）联合做强优势产业\n" in out
    assert "条文：积极引导临沂企业充分嫁接济南市场" in out
    assert "牵头单位：（未列明）\n" in out
    # The document's own word for the sharing units: 分工负责 in the plan, 责任单位 in the work points.
    assert "分工负责：济南市工业和信息化局、临沂市工业和信息化局\n" in out


def test_show_targets_and_related(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "show", "2023工作要点-34"]) == 0
    out = capsys.readouterr().out
    assert "目标：每学年（frequency）；20名左右（quantity）\n" in out
    assert "责任单位：济南市教育局、临沂市教育局\n" in out
    assert main(["clauses", "show", "2023工作要点-20"]) == 0
    assert "相关条款：2023分工方案-30、" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["clauses", "show", "2023工作要点-2", "--json"], ["clauses", "--json", "show", "2023工作要点-2"]]
)
def test_show_as_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["clause_id"] == "2023工作要点-2"
    assert data["responsibility_raw"] == "（责任单位：两市市委组织部、市委党校及沂蒙干部学院）"


def test_unknown_clause_is_exit_code_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "show", "2023分工方案-99"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "clause-qa: error: no clause has the id '2023分工方案-99'\n"


def test_unknown_unit_is_exit_code_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clauses", "--unit", "不存在的单位"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("clause-qa: error: no responsible unit matches '不存在的单位'")


def test_an_irregular_corpus_still_lists_its_clauses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "odd.txt").write_text(
        "# 济南—临沂对口合作任务清单\n\n一、甲部分\n\n1. 一事。（两市教育局负责）\n\n3. 三事。（两市教育局负责）\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(tmp_path))
    assert main(["clauses"]) == 0
    assert _listed_ids(capsys.readouterr().out) == ["任务清单-1", "任务清单-3"]


def test_a_missing_corpus_folder_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(tmp_path / "nowhere"))
    assert main(["clauses"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clause-qa: error: ") and "the corpus folder does not exist" in err


def test_a_bad_setting_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    monkeypatch.setenv("CLAUSE_QA_TOP_K", "0")
    assert main(["clauses", "show", "2023分工方案-1"]) == 2
    error = capsys.readouterr().err
    assert "CLAUSE_QA_TOP_K" in error and "Traceback" not in error
