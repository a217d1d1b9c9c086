"""`clause-qa corpus check` and `clause-qa clauses --document`, driven through the real CLI entry point."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from qa.cli import main

BAISHA = "baisha-2024-halfwidth.txt"
QINGHE = "qinghe-2024-trailing.txt"


@pytest.fixture
def folder(tmp_path: Path, layout_dir: Path) -> Path:
    """Two layout documents: one with two warnings (baisha), one with issuer, 文号 and date (qinghe)."""
    target = tmp_path / "docs"
    target.mkdir()
    for name in (BAISHA, QINGHE):
        shutil.copy2(layout_dir / name, target / name)
    return target


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- corpus check -----------------------------------------------------------------------------


def test_check_prints_each_documents_report_with_warnings_as_file_and_line(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    code, out, err = _run(capsys, "corpus", "check", str(folder))
    assert (code, err) == (0, "")  # warnings are not failures
    lines = out.splitlines()
    assert lines[:5] == [
        f"{BAISHA}: 《白沙县2024年农村人居环境整治提升工作要点》 → 2024工作要点",
        "    txt; outline; title from document",
        "    7 items, 1 without responsibility, 1 passages, 2 warnings",
        f"    warning: {BAISHA}:17: item number 5 where 4 was expected (missing number)",
        f"    warning: {BAISHA}:26: item 8 names no responsible unit or person",
    ]
    assert lines[5:7] == [
        f"{QINGHE}: 《青禾区2024年重点工作任务分工方案》 → 2024分工方案",
        "    txt; outline; title from document; issued by 青禾区人民政府办公室; 青政办发〔2024〕3号; 2024-02-18",
    ]
    assert re.fullmatch(r"    7 items, 0 without responsibility, \d+ passages, \d+ warnings", lines[7])
    # Every warning names its file and line.
    for line in lines:
        if line.startswith("    warning: "):
            assert re.match(rf"    warning: ({BAISHA}|{QINGHE}):\d+: ", line), line
    assert "unreadable" not in out


def test_check_verbose_lists_every_item_with_its_responsibility(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    code, out, _ = _run(capsys, "corpus", "check", "-v", str(folder / BAISHA))
    assert code == 0
    items = re.findall(r"^      (\S+) \[([^\]]*)\] .*\n          (.*)$", out, flags=re.MULTILINE)
    assert [i[0] for i in items] == [f"2024工作要点-{n}" for n in (1, 2, 3, 5, 6, 7, 8)]
    assert items[0] == (
        "2024工作要点-1",
        "一、推进农村厕所革命",
        "lead=县农业农村局 units=县农业农村局、县卫健局、县财政局 deadlines=6月底前",
    )
    assert items[1][2] == "units=县农业农村局、县生态环境分局"
    assert items[-1][2] == "deadlines=9月底前"  # (待定): no unit, no person
    assert "2024工作要点-8 [三、提升村容村貌] 整治村庄私搭乱建和乱堆乱放" in out
    # --verbose is the long form of -v.
    assert _run(capsys, "corpus", "check", "--verbose", str(folder / BAISHA))[1] == out


def test_check_json_parses_and_carries_the_reports(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = _run(capsys, "corpus", "check", "--json", str(folder))
    assert code == 0
    data = json.loads(out)
    assert data["unreadable"] == []
    assert [d["document_id"] for d in data["documents"]] == ["2024工作要点", "2024分工方案"]
    baisha = data["documents"][0]
    assert (baisha["source"], baisha["clause_count"], baisha["year"]) == (
        {"file": BAISHA, "format": "txt"},
        7,
        2024,
    )
    assert baisha["report"]["warnings"] == [
        {"file": BAISHA, "line": 17, "message": "item number 5 where 4 was expected (missing number)"},
        {"file": BAISHA, "line": 26, "message": "item 8 names no responsible unit or person"},
    ]
    assert baisha["report"]["items"] == 7 and baisha["report"]["title_source"] == "document"
    assert "clauses" not in data
    # With -v the JSON carries every citable clause too, tasks and passages.
    verbose = json.loads(_run(capsys, "corpus", "check", "--json", "-v", str(folder))[1])
    assert {c["kind"] for c in verbose["clauses"]} == {"task", "passage"}
    assert len([c for c in verbose["clauses"] if c["kind"] == "task"]) == 7 + 7
    first = verbose["clauses"][0]
    assert (first["clause_id"], first["marker"], first["lead_units"]) == (
        "2024工作要点-1",
        "〔2024工作要点第1条〕",
        ["县农业农村局"],
    )


def test_check_exits_1_only_when_a_file_is_unreadable(
    capsys: pytest.CaptureFixture[str], folder: Path, layout_builder: ModuleType
) -> None:
    layout_builder.build_unreadable(folder)
    code, out, _ = _run(capsys, "corpus", "check", str(folder))
    assert code == 1
    unreadable = [line for line in out.splitlines() if line.startswith("unreadable: ")]
    assert [line.split(":")[1].strip() for line in unreadable] == [
        "broken-2024.docx",
        "broken-2024.pdf",
        "broken-2024.txt",
    ]
    assert "unreadable: broken-2024.txt: not UTF-8 or GB18030 text" in out
    # The readable documents are still reported.
    assert f"{BAISHA}: 《白沙县2024年农村人居环境整治提升工作要点》 → 2024工作要点" in out
    assert f"{QINGHE}: 《青禾区2024年重点工作任务分工方案》 → 2024分工方案" in out
    code, out, _ = _run(capsys, "corpus", "check", "--json", str(folder))
    assert code == 1
    problems = json.loads(out)["unreadable"]
    assert [p["file"] for p in problems] == ["broken-2024.docx", "broken-2024.pdf", "broken-2024.txt"]
    assert problems[1]["problem"].startswith("not a readable PDF")


def test_check_reads_the_configured_corpus_folder_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seed_dir: Path
) -> None:
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(seed_dir))
    code, out, _ = _run(capsys, "corpus", "check")
    assert code == 0
    assert re.findall(r"^\S+: 《(.+)》 → (\S+)$", out, flags=re.MULTILINE) == [
        ("贯彻落实《济南—临沂对口合作实施方案》重点任务分工方案", "2023分工方案"),
        ("济南—临沂对口合作 2023 年工作要点", "2023工作要点"),
    ]
    assert "    53 items, 0 without responsibility" in out and "    43 items, 0 without responsibility" in out


def test_check_of_a_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = _run(capsys, "corpus", "check", str(missing))
    assert (code, out) == (2, "")
    assert err == f"clause-qa: error: {missing}: no such file or folder\n"


# --- clauses --document -----------------------------------------------------------------------


@pytest.fixture
def mixed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed_dir: Path, layout_dir: Path) -> Path:
    """The seed (2023分工方案, 2023工作要点) beside a district's 2024分工方案: 分工方案 names two documents."""
    target = tmp_path / "mixed"
    target.mkdir()
    shutil.copy2(seed_dir / "jinan-linyi-2023.txt", target / "jinan-linyi-2023.txt")
    shutil.copy2(layout_dir / QINGHE, target / QINGHE)
    monkeypatch.setenv("CLAUSE_QA_CORPUS_DIR", str(target))
    return target


def _listed(out: str) -> list[str]:
    return re.findall(r"^(\S+-[\d.]+(?:_\d+)?)(?: \[牵头\])?  ", out, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("document", "first", "count"),
    [
        pytest.param("2024分工方案", "2024分工方案-1", 7, id="id"),
        pytest.param("青禾区2024年重点工作任务分工方案", "2024分工方案-1", 7, id="title"),
        pytest.param("2023工作要点", "2023工作要点-1", 43, id="seed-id"),
        pytest.param("济南—临沂对口合作 2023 年工作要点", "2023工作要点-1", 43, id="seed-title"),
        pytest.param("工作要点", "2023工作要点-1", 43, id="unambiguous-short-name"),
    ],
)
def test_clauses_document_accepts_an_id_a_title_or_an_unambiguous_short_name(
    capsys: pytest.CaptureFixture[str], mixed: Path, document: str, first: str, count: int
) -> None:
    code, out, err = _run(capsys, "clauses", "--document", document)
    assert (code, err) == (0, "")
    listed = _listed(out)
    assert (listed[0], len(listed), len(set(listed))) == (first, count, count)
    assert out.rstrip().endswith(f"({count} clauses)")
    rows = json.loads(_run(capsys, "clauses", "--json", "--document", document)[1])
    assert [r["clause_id"] for r in rows] == listed
    assert {r["document_id"] for r in rows} == {first.rsplit("-", 1)[0]}


@pytest.mark.parametrize("document", ["没有这个文件", "分工方案", "2025分工方案"])
def test_clauses_document_unknown_or_ambiguous_is_exit_2_naming_the_known_ids(
    capsys: pytest.CaptureFixture[str], mixed: Path, document: str
) -> None:
    code, out, err = _run(capsys, "clauses", "--document", document)
    assert (code, out) == (2, "")
    assert err == (
        f"clause-qa: error: no document has the id, title or short name {document!r}; "
        "known: 2023分工方案, 2023工作要点, 2024分工方案\n"
    )
