"""corpus/units.py: the directory of responsible units and the merging of spellings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest

from corpus import Clause, Corpus
from corpus.units import merge_spellings, spelling_variants, unit_directory

INSTITUTION = re.compile(r"(?:部|局|委|办|校|中心|会|政府|公司|学院|平台|部门|分局|支行|联|管理部)$")


def test_every_seed_clause_names_its_units(seed_corpus: Corpus) -> None:
    assert all(c.units for c in seed_corpus.clauses)


def test_every_unit_name_is_an_institution(seed_corpus: Corpus) -> None:
    names = {u for c in seed_corpus.clauses for u in c.units}
    assert [n for n in sorted(names) if not INSTITUTION.search(n)] == []
    assert not any(n.startswith(("两市", "市")) or "、" in n or "，" in n for n in names)


def test_two_spellings_of_one_unit_are_merged(seed_corpus: Corpus) -> None:
    # 2023分工方案-36 writes 临沂市商城管委会; the rest of the source writes 临沂商城管委会.
    assert "临沂商城管委会" in seed_corpus.clause("2023分工方案-36").units
    assert "临沂市商城管委会" not in seed_corpus.units
    # 济南市场监管局 (2023分工方案-41) and 济南市市场监管局 (2023工作要点-36) are one unit.
    assert "济南市市场监管局" in seed_corpus.clause("2023分工方案-41").units
    assert "济南市市场监管局" in seed_corpus.clause("2023工作要点-36").units


def test_spelling_variants_are_merged_and_the_misprint_flagged(seed_corpus: Corpus) -> None:
    """Computed, not typed: 商场 (once) beside 商城 (seven times) is a probable typo; 经济(技术)开发区 one unit."""
    assert "临沂商城管委会" in seed_corpus.clause("2023工作要点-14").units
    assert "临沂商场管委会" in seed_corpus.clause("2023工作要点-14").responsibility_raw  # the text is as printed
    entry = seed_corpus.units["临沂商城管委会"]
    assert set(entry.variants) == {"临沂商场管委会", "临沂市商城管委会"}
    assert entry.probable_typos == ("临沂商场管委会",)
    assert "2023工作要点-14" in entry.clause_ids
    zone = seed_corpus.units["临沂临港经济技术开发区管委会"]
    assert zone.variants == ("临沂临港经济开发区管委会",)
    assert {"2023分工方案-26", "2023分工方案-32"} <= set(zone.clause_ids)
    assert "临沂商场管委会" not in seed_corpus.units and "临沂临港经济开发区管委会" not in seed_corpus.units


@pytest.mark.parametrize(
    ("counts", "merged", "typos"),
    [
        ({"临沂商城管委会": 7, "临沂商场管委会": 1}, {"临沂商场管委会": "临沂商城管委会"}, {"临沂商场管委会"}),
        ({"临沂商城管委会": 2, "临沂商场管委会": 2}, {}, set()),  # as common: two units, not a typo
        ({"临沂市商城管委会": 1, "临沂商城管委会": 3}, {"临沂市商城管委会": "临沂商城管委会"}, set()),
        ({"青禾区农业农村局": 3, "青禾区林业局": 1}, {}, set()),  # differ by more than one character
        ({"区林业局": 5, "区农业局": 1}, {}, set()),  # too short to tell a misprint from another unit
        ({"云川市教育局": 5, "云川市教育厅": 1}, {}, set()),  # the institution suffix names another unit
    ],
)
def test_spelling_variants_rule(counts: dict[str, int], merged: dict[str, str], typos: set[str]) -> None:
    assert spelling_variants(Counter(counts)) == (merged, typos)


def test_merge_spellings_renames_within_a_group(seed_corpus: Corpus) -> None:
    template = seed_corpus.clause("2023分工方案-1")

    def clause(number: int, *units: str) -> Clause:
        return replace(template, clause_id=f"测试-{number}", lead_units=units[:1], units=units)

    clauses = [
        clause(1, "临沂市商城管委会", "济南市教育局"),
        clause(2, "临沂商城管委会"),
        clause(3, "济南市教育局", "临沂商城管委会"),
        clause(4, "济南市委组织部", "济南委组织部"),
    ]
    merged, variants, _ = merge_spellings(clauses, lambda c, u: seed_corpus.group_of(template, u))
    assert [c.units for c in merged] == [
        ("临沂商城管委会", "济南市教育局"),
        ("临沂商城管委会",),
        ("济南市教育局", "临沂商城管委会"),
        ("济南市委组织部", "济南委组织部"),  # too short to merge: 市委 may be part of the name
    ]
    assert merged[0].lead_units == ("临沂商城管委会",)
    assert variants[("临沂市", "临沂商城管委会")] == {"临沂市商城管委会"}


def test_unit_directory_lists_lead_clauses_then_shared(seed_corpus: Corpus) -> None:
    entry = seed_corpus.units["济南市教育局"]
    assert entry.lead == ("2023分工方案-37", "2023分工方案-40")
    assert entry.shared == ("2023分工方案-38", "2023分工方案-39", "2023分工方案-52", "2023工作要点-34", "2023工作要点-35", "2023工作要点-43")
    assert entry.clause_ids == entry.lead + entry.shared


def test_unit_directory_groups_units_by_their_place(seed_corpus: Corpus) -> None:
    assert seed_corpus.units["济南市教育局"].group == "济南市"
    assert seed_corpus.units["临沂商城管委会"].group == "临沂市"
    assert seed_corpus.units["蒙阴县政府"].group is None  # names no issuer's place
    assert seed_corpus.units["中国人民银行济南分行营业管理部"].group == "济南市"


def test_unit_directory_covers_every_unit_busiest_first(seed_corpus: Corpus) -> None:
    directory = unit_directory(seed_corpus.clauses, seed_corpus.group_of)
    assert set(directory) == {u for c in seed_corpus.clauses for u in c.units}
    sizes = [len(e.clause_ids) for e in directory.values()]
    assert sizes == sorted(sizes, reverse=True)
    assert next(iter(directory)) in ("济南市发展改革委", "临沂市发展改革委")
    for name, entry in directory.items():
        for clause_id in entry.lead:
            assert name in seed_corpus.clause(clause_id).lead_units
        for clause_id in entry.shared:
            clause = seed_corpus.clause(clause_id)
            assert name in clause.units and name not in clause.lead_units
