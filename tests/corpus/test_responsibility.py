"""corpus/responsibility.py: the grammar of the parenthesis that names the responsible units."""

from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.responsibility import (
    Responsibility,
    ResponsibilityError,
    find_responsibility,
    parse_responsibility,
    unit_name,
)


def test_every_parenthesis_of_the_seed_parses(seed_corpus: Corpus) -> None:
    for clause in seed_corpus.clauses:
        found = find_responsibility(clause.text)
        assert found is not None, clause.clause_id
        bracket, inner = found
        assert clause.text[bracket:] == clause.responsibility_raw == f"（{inner}）"
        parsed = parse_responsibility(inner)
        assert parsed.units, clause.clause_id
        assert parsed.units[: len(parsed.lead_units)] == parsed.lead_units  # lead first
        assert len(set(parsed.units)) == len(parsed.units)


@pytest.mark.parametrize(
    ("inner", "lead", "units"),
    [
        (  # 牵头 / 分工负责, 两市 on both sides
            "两市市委宣传部牵头，两市市委组织部、文化和旅游局分工负责",
            ("济南市委宣传部", "临沂市委宣传部"),
            ("济南市委宣传部", "临沂市委宣传部", "济南市委组织部", "临沂市委组织部", "济南市文化和旅游局",
             "临沂市文化和旅游局"),
        ),
        (  # a shared 两市 prefix carries over 、
            "两市市委组织部、市委党校分工负责",
            (),
            ("济南市委组织部", "临沂市委组织部", "济南市委党校", "临沂市委党校"),
        ),
        ("两市发展改革委、财政局分工负责", (), ("济南市发展改革委", "临沂市发展改革委", "济南市财政局", "临沂市财政局")),
        (  # 及 starts a new group; its names say their own city
            "两市发展改革委、人力资源社会保障局、乡村振兴局及济南市民营经济局、临沂市中小企业发展服务中心分工负责",
            (),
            ("济南市发展改革委", "临沂市发展改革委", "济南市人力资源社会保障局", "临沂市人力资源社会保障局",
             "济南市乡村振兴局", "临沂市乡村振兴局", "济南市民营经济局", "临沂市中小企业发展服务中心"),
        ),
        (  # 责任单位： label; a unit after 及 that names its own place keeps no city
            "责任单位：两市市委组织部、市委党校及沂蒙干部学院",
            (),
            ("济南市委组织部", "临沂市委组织部", "济南市委党校", "临沂市委党校", "沂蒙干部学院"),
        ),
        ("临沂市乡村振兴局负责", (), ("临沂市乡村振兴局",)),
        (  # 济南市场监管局 is 济南's 市场监管局, spelled as the other document spells it
            "两市卫生健康委牵头，济南市场监管局、临沂市检验检测中心分工负责",
            ("济南市卫生健康委", "临沂市卫生健康委"),
            ("济南市卫生健康委", "临沂市卫生健康委", "济南市市场监管局", "临沂市检验检测中心"),
        ),
        (  # a name with its own place ends the carried city
            "济南市钢城区政府、临沂临港经济开发区管委会、罗庄经济开发区管委会分工负责",
            (),
            ("济南市钢城区政府", "临沂临港经济开发区管委会", "罗庄经济开发区管委会"),
        ),
        (
            "两市地方金融监管局牵头，两市发展改革委、中国人民银行济南分行营业管理部、临沂市银保监分局分工负责",
            ("济南市地方金融监管局", "临沂市地方金融监管局"),
            ("济南市地方金融监管局", "临沂市地方金融监管局", "济南市发展改革委", "临沂市发展改革委",
             "中国人民银行济南分行营业管理部", "临沂市银保监分局"),
        ),
        ("两市国资委、济南市民营经济局、两市工商联分工负责", (),
         ("济南市国资委", "临沂市国资委", "济南市民营经济局", "济南市工商联", "临沂市工商联")),
        ("责任单位: 临沂市委人才发展服务中心", (), ("临沂市委人才发展服务中心",)),
        ("两市教育局牵头，两市教育局、科技局分工负责", ("济南市教育局", "临沂市教育局"),  # no unit twice
         ("济南市教育局", "临沂市教育局", "济南市科技局", "临沂市科技局")),
    ],
)
def test_parse_responsibility(inner: str, lead: tuple[str, ...], units: tuple[str, ...]) -> None:
    assert parse_responsibility(inner) == Responsibility(lead, units)


@pytest.mark.parametrize("inner", ["分工负责", "责任单位：", "牵头，负责"])
def test_a_parenthesis_without_units_is_an_error(inner: str) -> None:
    with pytest.raises(ResponsibilityError, match="no responsible unit"):
        parse_responsibility(inner)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("做好工作。（两市教育局负责）", (5, "两市教育局负责")),
        ("做好工作。(两市教育局分工负责)  ", (5, "两市教育局分工负责")),
        ("列入济南市委党校（济南行政学院）教学内容。（两市市委组织部、市委党校分工负责）", (21, "两市市委组织部、市委党校分工负责")),
        ("做好工作。（责任单位：两市教育局（含直属学校））", (5, "责任单位：两市教育局（含直属学校）")),
        ("依托生态系统生产总值（GEP）", None),  # a parenthesis naming no unit
        ("做好工作。（两市教育局负责）。", None),  # the parenthesis does not close the text
        ("做好工作。", None),
        ("做好工作）", None),
    ],
)
def test_find_responsibility(text: str, found: tuple[int, str] | None) -> None:
    assert find_responsibility(text) == found


@pytest.mark.parametrize(
    ("city", "body", "name"),
    [("济南", "教育局", "济南市教育局"), ("临沂", "市委组织部", "临沂市委组织部"), ("济南", "市场监管局", "济南市市场监管局")],
)
def test_unit_name(city: str, body: str, name: str) -> None:
    assert unit_name(city, body) == name


def test_seed_clauses_keep_the_raw_parenthesis_and_expand_it(seed_corpus: Corpus) -> None:
    clause = seed_corpus.clause("2023工作要点-2")
    assert clause.responsibility_raw == "（责任单位：两市市委组织部、市委党校及沂蒙干部学院）"  # split by a page break
    assert clause.units == ("济南市委组织部", "临沂市委组织部", "济南市委党校", "临沂市委党校", "沂蒙干部学院")
    clause = seed_corpus.clause("2023分工方案-31")
    assert clause.responsibility_raw == "（济南市明水经济技术开发区管委会、临沂市沂河新区管委会分工负责）"
    assert clause.units == ("济南市明水经济技术开发区管委会", "临沂市沂河新区管委会")
    clause = seed_corpus.clause("2023分工方案-16")
    assert clause.lead_units == ("济南市交通运输局", "临沂市交通运输局")
    assert clause.units[:2] == clause.lead_units and len(clause.units) == 9
