"""corpus/targets.py: the quantities and frequencies a clause commits to, with offsets into its text."""

from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.targets import find_targets

# Every target of the seed: "5G", "2023 年度", "二期", "一批", "三次产业" are not commitments;
# counts in Chinese numerals or as a formula ("两日游", "四枢纽一园区", "3+2") are.
SEED_TARGETS = {
    "2023分工方案-4": [("五年行动", "quantity")],
    "2023分工方案-52": [("每年", "frequency")],
    "2023工作要点-2": [("每年", "frequency"), ("不少于 2 次", "quantity")],
    "2023工作要点-3": [("五年行动", "quantity")],
    "2023工作要点-14": [("四枢纽", "quantity"), ("一园区", "quantity"), ("32个", "quantity")],
    "2023工作要点-31": [("两日游", "quantity"), ("三日游", "quantity")],
    "2023工作要点-34": [("每学年", "frequency"), ("20名左右", "quantity")],
    "2023工作要点-35": [("3+2", "quantity")],
    "2023工作要点-43": [("每年", "frequency")],
}


def test_seed_targets(seed_corpus: Corpus) -> None:
    found = {c.clause_id: [(t.text, t.kind) for t in c.targets] for c in seed_corpus.clauses if c.targets}
    assert found == SEED_TARGETS


def test_target_offsets_point_into_the_clause_text(seed_corpus: Corpus) -> None:
    source = seed_corpus.files[0].text
    for clause in seed_corpus.clauses:
        for target in clause.targets:
            assert clause.text[target.start : target.end] == target.text
            start, end = clause.source_span(target.start, target.end)
            assert source[start:end] == target.text  # none of the seed's targets is split by a page break


def test_the_targets_named_in_the_issue(seed_corpus: Corpus) -> None:
    twenty = seed_corpus.clause("2023工作要点-34").targets[1]
    assert (twenty.text, twenty.start, twenty.end, twenty.kind) == ("20名左右", 60, 65, "quantity")
    clause = seed_corpus.clause("2023工作要点-34")
    assert (twenty.source_start, twenty.source_end) == clause.source_span(60, 65)
    assert seed_corpus.clause("2023工作要点-34").text[55:65] == "每学年选派20名左右"
    twice = seed_corpus.clause("2023工作要点-2").targets[1]
    assert (twice.text, twice.kind) == ("不少于 2 次", "quantity")
    assert seed_corpus.clause("2023工作要点-2").text[twice.start - 2 : twice.end] == "授课不少于 2 次"
    parks = next(t for t in seed_corpus.clause("2023工作要点-14").targets if t.text == "32个")
    assert seed_corpus.clause("2023工作要点-14").text[parks.start - 5 : parks.end + 2] == "加快临沂市32个传统"


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("授课不少于 2 次", [("不少于 2 次", "quantity")]),
        ("每学年选派20名左右教师", [("每学年", "frequency"), ("20名左右", "quantity")]),
        ("每季度至少3家", [("每季度", "frequency"), ("至少3家", "quantity")]),
        ("覆盖率不低于 80%", [("不低于 80%", "quantity")]),
        ("统筹协作帮扶资金1.5亿元", [("1.5亿元", "quantity")]),
        ("带动约 5 万人就业", [("约 5 万人", "quantity")]),
        ("新建公路100公里以上", [("100公里以上", "quantity")]),
        ("组织筹备 2023 年度联席会议", []),
        ("2023年完成10个项目", [("10个", "quantity")]),
        ("开展 5G 示范应用、培育一批企业、三次产业、二期改扩建", []),
        ("中职“3+2”贯通培养、“两日游”“三日游”", [("3+2", "quantity"), ("两日游", "quantity"), ("三日游", "quantity")]),
        ("改造老舊小區60個，安排資金1.5億元", [("60個", "quantity"), ("1.5億元", "quantity")]),  # kept as printed
        ("按季度公开项目进展，按年初计划推进", [("按季度", "frequency")]),  # 按年初 is not a frequency
        ("3个工作日内办结，24小时内回应", [("3个工作日内", "quantity"), ("24小时内", "quantity")]),
        ("培训1.5万人次，建成园区3平方公里", [("1.5万人次", "quantity"), ("3平方公里", "quantity")]),  # longest measure
    ],
)
def test_find_targets(text: str, targets: list[tuple[str, str]]) -> None:
    found = find_targets(text)
    assert [(t.text, t.kind) for t in found] == targets
    assert all(text[t.start : t.end] == t.text for t in found)
