"""Many documents side by side (issue 10): years, districts, irregular and unreadable files.

- next year's plan beside this year's: the seed and a 2024 copy of it;
- two districts' 2024 分工方案: qualified ids, each district's 区发改局 its own unit;
- an irregular document loads with warnings (file:line), never an exception;
- an unreadable file is named and the rest still loads; an empty folder is an error;
- the corpus folder is only read.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from corpus import Corpus, CorpusError, UnknownDocument, UnreadableFile, load_corpus

SEED = "jinan-linyi-2023.txt"
# The places of the seed's title, 文号 and date that carry its year (the 2024 copy changes only these).
YEAR_SPOTS = (
    ("济政办字〔2023〕28号", "济政办字〔2024〕28号"),
    ("对口合作2023年工作要点的通知", "对口合作2024年工作要点的通知"),
    ("临沂对口合作 2023 年工作要点》", "临沂对口合作 2024 年工作要点》"),
    ("2023 年 6 月 29 日", "2024 年 6 月 29 日"),
    ("# 济南—临沂对口合作 2023 年工作要点", "# 济南—临沂对口合作 2024 年工作要点"),
)


def _seed_for_2024(seed_dir: Path) -> str:
    text = (seed_dir / SEED).read_text(encoding="utf-8")
    for old, new in YEAR_SPOTS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Corpus:
    folder = tmp_path_factory.mktemp("two-years")
    shutil.copy2(seed_dir / SEED, folder / SEED)
    (folder / "jinan-linyi-2024.txt").write_text(_seed_for_2024(seed_dir), encoding="utf-8")
    return load_corpus(folder)


# --- (1) the seed beside its 2024 copy --------------------------------------------------------


def test_two_years_load_side_by_side(two_years: Corpus) -> None:
    assert two_years.unreadable == ()
    assert len(two_years.clauses) == 192
    assert [
        (d.document_id, d.year, d.date, d.number, d.source, len(d.clause_ids)) for d in two_years.documents
    ] == [
        ("2023分工方案", 2023, "2023-06-29", "济政办字〔2023〕28号", "jinan-linyi-2023.txt", 53),
        ("2023工作要点", 2023, "2023-06-29", "济政办字〔2023〕28号", "jinan-linyi-2023.txt", 43),
        ("2024分工方案", 2024, "2024-06-29", "济政办字〔2024〕28号", "jinan-linyi-2024.txt", 53),
        ("2024工作要点", 2024, "2024-06-29", "济政办字〔2024〕28号", "jinan-linyi-2024.txt", 43),
    ]
    ids = [c.clause_id for c in two_years.citable]
    assert len(set(ids)) == len(ids)
    assert two_years.clause("2024分工方案-18").clause_id != two_years.clause("2023分工方案-18").clause_id
    assert two_years.clause("2024分工方案-18").text == two_years.clause("2023分工方案-18").text
    assert two_years.clause("2024工作要点-14").document == "济南—临沂对口合作 2024 年工作要点"  # as printed


def test_the_2023_ids_do_not_change_when_2024_arrives(two_years: Corpus, seed_corpus: Corpus) -> None:
    alone = {c.clause_id: (c.text, c.start, c.end, c.section) for c in seed_corpus.citable}
    beside = {c.clause_id: (c.text, c.start, c.end, c.section) for c in two_years.citable if c.source == SEED}
    assert beside == alone
    assert [d.document_id for d in seed_corpus.documents] == ["2023分工方案", "2023工作要点"]


def test_markers_name_the_document_unambiguously(two_years: Corpus) -> None:
    assert two_years.resolve_marker("见〔2024分工方案第18条〕和〔2023分工方案第18条〕。") == [
        "2024分工方案-18",
        "2023分工方案-18",
    ]
    assert two_years.resolve_marker("〔2024工作要点·说明1〕") == ["2024工作要点-p1"]
    # The old marker without a year fits two documents now: it names none rather than a wrong one.
    assert two_years.resolve_marker("〔分工方案第18条〕") == []
    for clause in two_years.citable:
        assert two_years.resolve_marker(clause.citation) == [clause.clause_id]
    assert two_years.clause("2024分工方案-18").citation == "〔2024分工方案第18条〕"


def test_a_units_clauses_span_both_years(two_years: Corpus, seed_corpus: Corpus) -> None:
    entry = two_years.units["济南市教育局"]
    assert entry.group == "济南市"
    alone = seed_corpus.units["济南市教育局"]
    assert entry.lead == (*alone.lead, *(i.replace("2023", "2024", 1) for i in alone.lead))
    assert set(entry.shared) == set(alone.shared) | {i.replace("2023", "2024", 1) for i in alone.shared}
    years = {two_years.clause(i).document_id[:4] for i in entry.clause_ids}
    assert years == {"2023", "2024"}
    listed = [c.clause_id for c in two_years.for_unit("济南市教育局")]
    assert listed == [*entry.lead, *entry.shared]
    assert len(listed) == 2 * len(seed_corpus.for_unit("济南市教育局"))


def test_next_years_copy_does_not_change_this_years_units(two_years: Corpus, seed_corpus: Corpus) -> None:
    """The seed misprints 临沂商城管委会 once as 临沂商场管委会; a 2024 copy repeats the misprint. Adding
    next year's plan must not turn the misprint into a unit of its own nor change this year's clauses."""
    alone = {c.clause_id: (c.lead_units, c.units) for c in seed_corpus.clauses}
    beside = {c.clause_id: (c.lead_units, c.units) for c in two_years.clauses if c.source == SEED}
    assert beside == alone
    entry = two_years.units["临沂商城管委会"]
    assert entry.probable_typos == ("临沂商场管委会",)
    assert "临沂商场管委会" not in two_years.units
    assert {"2023工作要点-14", "2024工作要点-14"} <= set(entry.shared)
    assert len(entry.shared) == 2 * len(seed_corpus.units["临沂商城管委会"].shared)


def test_a_document_is_named_by_id_title_or_unambiguous_short_name(two_years: Corpus) -> None:
    assert two_years.document("2024工作要点").year == 2024
    assert two_years.document("济南—临沂对口合作 2024 年工作要点").document_id == "2024工作要点"
    with pytest.raises(UnknownDocument) as caught:
        two_years.document("工作要点")  # two documents have this short name now
    assert "2023工作要点" in str(caught.value) and "2024工作要点" in str(caught.value)
    assert len(two_years.select(document="2024分工方案")) == 53


# --- (2) two districts' 2024 分工方案 -----------------------------------------------------------


@pytest.fixture(scope="module")
def two_districts(tmp_path_factory: pytest.TempPathFactory, layout_dir: Path) -> Corpus:
    folder = tmp_path_factory.mktemp("two-districts")
    for name in ("qinghe-2024-trailing.txt", "shiwan-2024-table.docx"):
        shutil.copy2(layout_dir / name, folder / name)
    return load_corpus(folder)


def test_two_districts_get_qualified_distinct_ids(two_districts: Corpus) -> None:
    assert [(d.document_id, d.places, d.source) for d in two_districts.documents] == [
        ("2024青禾区分工方案", ("青禾区",), "qinghe-2024-trailing.txt"),
        ("2024石湾区分工方案", ("石湾区",), "shiwan-2024-table.docx"),
    ]
    assert len(two_districts.clauses) == 7 + 6
    assert two_districts.clause("2024青禾区分工方案-1").citation == "〔2024青禾区分工方案第1条〕"
    assert two_districts.resolve_marker("〔2024石湾区分工方案第1条〕") == ["2024石湾区分工方案-1"]
    # The plain id the first of them had before the second came still finds it (citations written then).
    assert two_districts.aliases == {"2024分工方案": "2024青禾区分工方案"}
    assert two_districts.resolve_marker("〔2024分工方案第1条〕") == ["2024青禾区分工方案-1"]
    assert two_districts.clause("2024分工方案-1").clause_id == "2024青禾区分工方案-1"
    assert two_districts.places == ("青禾区", "石湾区")


def test_each_districts_units_stay_separate_under_their_issuer(two_districts: Corpus) -> None:
    units = two_districts.units
    qinghe, shiwan = units["区发改局（青禾区）"], units["区发改局（石湾区）"]
    assert (qinghe.written, qinghe.group, qinghe.lead, qinghe.shared) == (
        "区发改局",
        "青禾区",
        ("2024青禾区分工方案-1",),
        ("2024青禾区分工方案-2",),
    )
    assert (shiwan.written, shiwan.group, shiwan.lead, shiwan.shared) == (
        "区发改局",
        "石湾区",
        ("2024石湾区分工方案-1",),
        (),
    )
    assert "区发改局" not in units  # the bare name would mix two districts
    # A name only one district uses keeps its plain name, and its group.
    assert (units["区工信局"].group, units["区行政审批局"].group) == ("石湾区", "青禾区")
    for entry in units.values():
        assert {two_districts.clause(i).document_id for i in entry.clause_ids} == {
            "2024青禾区分工方案" if entry.group == "青禾区" else "2024石湾区分工方案"
        }
    assert [c.clause_id for c in two_districts.for_unit("各街道（石湾区）")] == [
        "2024石湾区分工方案-2",
        "2024石湾区分工方案-4",
        "2024石湾区分工方案-5",
    ]


# --- (3) leniency: an irregular document loads, with warnings -------------------------------

IRREGULAR = """松岭镇2024年重点工作任务清单

为推动全镇重点工作落地见效，现将任务清单印发如下。

一、产业发展

1. 建成蔬菜冷链仓储中心一座。（镇经济发展办牵头，镇财政所配合）

2. 培育家庭农场十家以上。（镇农业服务中心负责）

4. 举办农产品展销会两场。（镇经济发展办负责）

这一段文字夹在两条任务之间，不属于任何一条。

4. 新建村级光伏电站三座。（镇经济发展办牵头，各村配合）

5. 修缮村道二十公里。（另行安排）
"""


def test_an_irregular_document_loads_with_warnings_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "songling-2024.txt").write_text(IRREGULAR, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.unreadable == ()
    (document,) = corpus.documents
    assert document.title == "松岭镇2024年重点工作任务清单"
    assert [str(w) for w in document.report.warnings] == [
        "songling-2024.txt:11: item number 4 where 3 was expected (missing number)",
        "songling-2024.txt:13: text after 4. 举办农产品展销会两场。（镇… belongs to no numbered item; kept as a passage",
        "songling-2024.txt:15: item number 4 where 5 was expected (repeated number)",
        "songling-2024.txt:17: item 5 names no responsible unit or person",
    ]
    tasks = [corpus.clause(i) for i in document.clause_ids]
    assert [c.number for c in tasks] == [1, 2, 4, 4, 5]  # every item kept, the repeated one too
    assert len({c.clause_id for c in tasks}) == 5
    repeated = [c for c in tasks if c.number == 4]
    assert repeated[1].ordinal.endswith("_2") and repeated[0].ordinal != repeated[1].ordinal
    assert repeated[1].units == ("镇经济发展办", "各村") and repeated[1].lead_units == ("镇经济发展办",)
    assert (tasks[-1].units, tasks[-1].leaders, tasks[-1].text) == ((), (), "修缮村道二十公里。（另行安排）")
    assert document.report.items_without_responsibility == 1
    stray = [corpus.clause(i) for i in document.passage_ids]
    assert [p.text for p in stray] == [
        "为推动全镇重点工作落地见效，现将任务清单印发如下。",
        "这一段文字夹在两条任务之间，不属于任何一条。",
    ]
    assert stray[1].section == ("一、产业发展",) and not stray[1].is_task


NO_TITLE = "odd-2024.txt: no plan title found; the title is taken from the file name"


@pytest.mark.parametrize(
    ("text", "tasks", "passages", "warnings"),
    [
        pytest.param("", 0, 0, [NO_TITLE, "odd-2024.txt: no numbered items found"], id="empty-file"),
        pytest.param(
            "这只是一段说明文字，没有标题，也没有编号的任务。\n",
            0,
            1,
            [NO_TITLE, "odd-2024.txt:1: no numbered items found"],
            id="no-items",
        ),
        pytest.param(
            "1. 只有一条任务。\n1. 又是第一条。\n1. 还是第一条。\n",
            3,
            0,
            [
                NO_TITLE,
                "odd-2024.txt:2: item number 1 where 2 was expected (repeated number)",
                "odd-2024.txt:3: item number 1 where 2 was expected (repeated number)",
            ],
            id="all-repeated",
        ),
        pytest.param(
            "（镇经济发展办牵头，镇财政所配合）\n",
            0,
            1,
            [NO_TITLE, "odd-2024.txt:1: no numbered items found"],
            id="a-note-alone",
        ),
    ],
)
def test_an_odd_file_never_takes_the_corpus_down(
    tmp_path: Path, seed_dir: Path, text: str, tasks: int, passages: int, warnings: list[str]
) -> None:
    shutil.copy2(seed_dir / SEED, tmp_path / SEED)
    (tmp_path / "odd-2024.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.unreadable == ()
    assert [d.document_id for d in corpus.documents if d.source == SEED] == ["2023分工方案", "2023工作要点"]
    assert len([c for c in corpus.clauses if c.source == SEED]) == 96
    (odd,) = [d for d in corpus.documents if d.source == "odd-2024.txt"]
    assert (odd.title, odd.report.title_source, odd.year) == ("odd-2024", "file_name", 2024)
    assert (len(odd.clause_ids), len(odd.passage_ids)) == (tasks, passages)
    assert [str(w) for w in odd.report.warnings] == warnings
    assert len(set(odd.clause_ids)) == tasks  # repeated numbers still give distinct ids


# --- (4) unreadable files ---------------------------------------------------------------------


def test_unreadable_files_are_named_and_the_rest_loads(
    tmp_path: Path, seed_dir: Path, layout_builder: ModuleType
) -> None:
    shutil.copy2(seed_dir / SEED, tmp_path / SEED)
    broken = layout_builder.build_unreadable(tmp_path)
    corpus = load_corpus(tmp_path)
    assert len(corpus.clauses) == 96
    assert [d.document_id for d in corpus.documents] == ["2023分工方案", "2023工作要点"]
    assert all(isinstance(u, UnreadableFile) for u in corpus.unreadable)
    assert (
        sorted(u.source for u in corpus.unreadable)
        == sorted(p.name for p in broken)
        == [
            "broken-2024.docx",
            "broken-2024.pdf",
            "broken-2024.txt",
        ]
    )
    problems = {u.source: u.problem for u in corpus.unreadable}
    assert problems["broken-2024.docx"].startswith("not a valid .docx")
    assert problems["broken-2024.pdf"].startswith("not a readable PDF")
    assert problems["broken-2024.txt"].startswith("not UTF-8 or GB18030 text")
    assert str(next(u for u in corpus.unreadable if u.source == "broken-2024.txt")).startswith(
        "broken-2024.txt: "
    )


def test_files_the_readers_do_not_know_are_not_documents(tmp_path: Path, seed_dir: Path) -> None:
    shutil.copy2(seed_dir / SEED, tmp_path / SEED)
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README").write_text("说明", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other-2024.txt").write_text(IRREGULAR, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [f.name for f in corpus.files] == [SEED]
    assert corpus.unreadable == ()


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert caught.value.source == str(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: no documents (")
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "missing")


# --- (5) the corpus folder is only read -------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_loading_only_reads_the_corpus_folder(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seed_dir: Path,
    layout_dir: Path,
    layout_builder: ModuleType,
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy2(seed_dir / SEED, folder / SEED)
    for name in (
        "shiwan-2024-table.docx",
        "daishan-2023-trailing.pdf",
        "nanyu-2023-progress.html",
        "liugang-2023-gb18030.txt",
        "luwan-2024-pipe-table.md",
    ):
        shutil.copy2(layout_dir / name, folder / name)
    layout_builder.build_unreadable(folder)
    inside = folder.resolve()
    opened: list[tuple[Path, str]] = []

    def record(file: object, mode: str) -> None:
        if isinstance(file, (str, bytes, os.PathLike)):
            path = Path(os.fsdecode(file)).resolve()
            if path == inside or inside in path.parents:
                opened.append((path, mode))

    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        record(file, mode)
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        record(path, "write" if flags & _WRITE_FLAGS else "r")
        return real_os_open(path, flags, *args, **kwargs)

    before = _snapshot(folder)
    with monkeypatch.context() as patch:
        for target, name, spy in (
            (builtins, "open", spy_open),
            (io, "open", spy_open),
            (os, "open", spy_os_open),
        ):
            patch.setattr(target, name, spy)  # pathlib's Path.open goes through io.open
        corpus = load_corpus(folder)
    assert len(corpus.documents) == 2 + 5 and len(corpus.unreadable) == 3
    # Every document was opened (so the spies would have seen a write), and only ever to read.
    assert {p.name for p, _ in opened} == {p.name for p in folder.iterdir()}
    assert {mode for _, mode in opened} <= {"r", "rb"}
    assert _snapshot(folder) == before  # nothing changed, nothing created (no cache, no lock file)
