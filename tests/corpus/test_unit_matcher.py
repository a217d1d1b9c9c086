"""corpus/unit_matcher.py: unit names and the aliases staff type, resolved from the parsed data."""

from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.text import char_bigrams
from corpus.unit_matcher import UnitMatcher


@pytest.fixture(scope="module")
def matcher(seed_corpus: Corpus) -> UnitMatcher:
    return UnitMatcher(seed_corpus.units, seed_corpus.places)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("济南市教育局负责哪些任务？", ("济南市教育局",)),
        ("临沂文旅局要干啥", ("临沂市文化和旅游局",)),
        ("发改委牵头了哪些事", ("济南市发展改革委", "临沂市发展改革委")),
        ("两市发改委", ("济南市发展改革委", "临沂市发展改革委")),
        ("我是组织部的", ("济南市委组织部", "临沂市委组织部")),
        ("人社局", ("济南市人力资源社会保障局", "临沂市人力资源社会保障局")),
        ("卫健委负责什么", ("济南市卫生健康委", "临沂市卫生健康委")),
        ("济南住建局", ("济南市住房城乡建设局",)),
        ("审批局", ("济南市行政审批服务局", "临沂市行政审批服务局")),
        ("济南市场监管局", ("济南市市场监管局",)),
        ("临沂商城管委会", ("临沂商城管委会",)),
        ("蒙阴县政府有哪些任务", ("蒙阴县政府",)),
    ],
)
def test_finds_units_and_aliases(matcher: UnitMatcher, text: str, units: tuple[str, ...]) -> None:
    assert matcher.resolve(text) == units


def test_exact_name_wins_over_an_abbreviation(matcher: UnitMatcher) -> None:
    # 林业局 abbreviates 济南市园林和林业绿化局 too, but 临沂市林业局 is the name itself.
    assert matcher.resolve("林业局管什么") == ("临沂市林业局",)


def test_several_mentions_do_not_overlap(matcher: UnitMatcher) -> None:
    mentions = matcher.find("大数据局和工信局")
    assert [m.text for m in mentions] == ["大数据局", "工信局"]


def test_no_unit_no_match(matcher: UnitMatcher) -> None:
    assert matcher.resolve("中欧班列由哪些部门负责") == ()
    assert matcher.resolve("火星局") == ()


def test_char_bigrams_stay_inside_pieces() -> None:
    assert char_bigrams("飞机场 建设") == {"飞机", "机场", "建设"}
    assert char_bigrams("县") == {"县"}
    assert char_bigrams("（５Ｇ）") == {"(5", "5g", "g)"}
    assert char_bigrams("  ") == set()


def test_a_plan_that_leaves_its_place_out_of_its_units() -> None:
    """青峪县's own plan writes 县应急局; a question says 青峪县应急局.  A unit with a place of its own is not
    taken for it (济南市场监管局 is 济南's, not 临沂's)."""
    own = UnitMatcher(["县应急局", "县教育局"], ["青峪县"])
    assert own.resolve("青峪县应急局负责哪些任务") == ("县应急局",)
    placed = UnitMatcher(["济南市市场监管局", "临沂市市场监管局"], ["济南市", "临沂市"])
    assert placed.resolve("济南市场监管局") == ("济南市市场监管局",)


def test_a_level_is_part_of_a_units_name() -> None:
    """A county's 县发改局 is never a district's 区发改局; 县发改局（粮食局） is also called 县粮食局."""
    matcher = UnitMatcher(["区发改局", "县发改局（粮食局）", "区城市管理局"], [])
    assert matcher.resolve("县发改局牵头哪些工作") == ("县发改局（粮食局）",)
    assert matcher.resolve("县粮食局负责什么") == ("县发改局（粮食局）",)
    assert matcher.resolve("区发改局负责什么") == ("区发改局",)
    assert matcher.resolve("发改局负责什么") == ("区发改局", "县发改局（粮食局）")  # no level: either
    assert matcher.resolve("县城管局负责什么") == ()  # the plans name no county 城管局
    assert UnitMatcher(["市教育局"], ["柯洲市"]).resolve("柯洲市体育局负责哪些任务") == ()  # not 教育局 by its 育局
    city = UnitMatcher(["济南市发展改革委", "济南市卫生健康委", "县卫健局"], ["济南市"])
    assert city.resolve("济南市发改局负责哪些任务") == ("济南市发展改革委",)  # a county's word for the city's 委
    assert city.resolve("县卫健局负责什么") == ("县卫健局",)  # the exact name first


def test_an_abbreviation_without_the_level_a_plan_prints() -> None:
    """A city plan prints 市住房城乡建设局 (no place, a level); staff ask for 住建局 as they would of any city's."""
    matcher = UnitMatcher(["市住房城乡建设局", "市卫生健康委", "区城市管理局"], ["朔宁市"])
    assert matcher.resolve("住建局负责哪些事") == ("市住房城乡建设局",)
    assert matcher.resolve("卫健委负责什么") == ("市卫生健康委",)
    assert matcher.resolve("城管局负责什么") == ("区城市管理局",)
    assert matcher.resolve("县城管局负责什么") == ()  # a level it names is still kept


def test_a_full_name_asked_of_a_plan_that_prints_the_short_one() -> None:
    """区卫健局 in the plan, 区卫生健康局 in the question: the same office; 区教育局 is not 区教体局's."""
    matcher = UnitMatcher(["区卫健局", "区教体局", "区人社局", "区市场监管局"], ["蓼川区"])
    assert matcher.resolve("区卫生健康局负责哪些任务") == ("区卫健局",)
    assert matcher.resolve("区教育和体育局负责哪些任务") == ("区教体局",)
    assert matcher.resolve("人力资源和社会保障局负责什么") == ("区人社局",)
    assert matcher.resolve("区市场监督管理局") == ("区市场监管局",)
    assert [m.text for m in matcher.find("我问区卫生健康局")] == ["区卫生健康局"]
    assert matcher.resolve("区教育局负责什么") == ()
    assert matcher.resolve("县卫生健康局负责什么") == ()


def test_a_town_is_also_its_government_when_the_plans_print_both() -> None:
    matcher = UnitMatcher(["沣东镇", "沣东镇人民政府", "石桥镇"], ["沣源县"])
    assert matcher.resolve("沣东镇负责什么") == ("沣东镇", "沣东镇人民政府")
    assert matcher.resolve("石桥镇负责什么") == ("石桥镇",)
