"""corpus/responsibility.py: the grammar of the parenthesis that names the responsible units."""

from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.lexicon import Role
from corpus.responsibility import (
    PlaceContext,
    find_inline_labels,
    find_trailing_note,
    heading_responsibility,
    is_unit_list,
    merge_cells,
    parse_note,
)

SEED = PlaceContext(("济南市", "临沂市"))  # the seed's issuers' places: what 两市 means there
DISTRICT = PlaceContext(("青禾区",))


def parse_responsibility(inner: str, context: PlaceContext = SEED) -> tuple[tuple[str, ...], tuple[str, ...]]:
    note = parse_note(inner, context)
    return note.lead_units, note.units


def test_every_parenthesis_of_the_seed_parses(seed_corpus: Corpus) -> None:
    for clause in seed_corpus.clauses:
        found = find_trailing_note(clause.text)
        assert found is not None, clause.clause_id
        bracket, inner = found
        assert clause.text[bracket:] == clause.responsibility_raw == f"（{inner}）"
        lead, units = parse_responsibility(inner)
        assert units, clause.clause_id
        assert units[: len(lead)] == lead  # lead first
        assert len(set(units)) == len(units)


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
        (  # a bare level carries over the names after it that leave it out, not to 市场监管局 or 各镇政府
            "牵头单位：市住建委；配合单位：市交通局、规划局、市场监管局、各镇人民政府", ("市住建委",),
            ("市住建委", "市交通局", "市规划局", "市场监管局", "各镇人民政府"),
        ),
        ("县委组织部、宣传部负责", (), ("县委组织部", "宣传部")),  # 县委 is not a bare level: 宣传部 keeps as written
    ],
)
def test_parse_responsibility(inner: str, lead: tuple[str, ...], units: tuple[str, ...]) -> None:
    assert parse_responsibility(inner) == (lead, units)


@pytest.mark.parametrize("inner", ["分工负责", "责任单位：", "牵头，负责"])
def test_a_note_without_units_is_a_problem_not_an_error(inner: str) -> None:
    note = parse_note(inner, SEED)
    assert note.empty and note.problems and "no responsible unit or person found" in note.problems[0]


@pytest.mark.parametrize(
    ("inner", "context", "lead", "units", "leaders", "open_units", "label"),
    [
        ("区发改局牵头,区财政局、各街道配合", DISTRICT, ("区发改局",), ("区发改局", "区财政局", "各街道"), (), False, "配合"),
        ("区民政局、区卫健局等负责", DISTRICT, (), ("区民政局", "区卫健局"), (), True, "负责"),
        ("市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责", DISTRICT,
         ("市政府办公室",), ("市政府办公室", "市级各有关部门", "各县市区政府"), (), False, "按职责分工负责"),
        ("责任领导：张立新；牵头单位：市政务服务中心；责任单位：市发展改革委、市司法局", DISTRICT,
         ("市政务服务中心",), ("市政务服务中心", "市发展改革委", "市司法局"), ("张立新",), False, "责任单位"),
        ("责任领导:李秋云、王敏;责任单位:市工商联、市信访局", DISTRICT, (), ("市工商联", "市信访局"),
         ("李秋云", "王敏"), False, "责任单位"),
        ("区发改局*、区统计局", DISTRICT, ("区发改局",), ("区发改局", "区统计局"), (), False, ""),
        ("县经信局、县财政局（排在首位的为牵头单位，下同）", DISTRICT, (), ("县经信局", "县财政局"), (), False, ""),
        ("省商务厅、省农业农村厅按职责分工负责。各项任务均需各市人民政府落实，以下不再列出，下同。", DISTRICT,
         (), ("省商务厅", "省农业农村厅"), (), False, "按职责分工负责"),
        ("责任单位：市园林局 配合单位：市住建局、各区政府", DISTRICT,  # the unit assisted leads
         ("市园林局",), ("市园林局", "市住建局", "各区政府"), (), False, "配合单位"),
        ("两市教育局负责", DISTRICT, (), ("两市教育局",), (), False, "负责"),  # one issuer: 两市 stays as written
        # A list inside brackets is part of one name, not a list of names.
        ("市发改委牵头，市财政局、各县（市、区）人民政府配合", DISTRICT, ("市发改委",),
         ("市发改委", "市财政局", "各县（市、区）人民政府"), (), False, "配合"),
        ("责任单位：各区（县，市）政府、市住建局", DISTRICT, (), ("各区（县，市）政府", "市住建局"), (), False, "责任单位"),
    ],
)
def test_notes_of_other_issuers(
    inner: str, context: PlaceContext, lead: tuple[str, ...], units: tuple[str, ...], leaders: tuple[str, ...],
    open_units: bool, label: str,
) -> None:
    note = parse_note(inner, context)
    assert (note.lead_units, note.units, note.leaders, note.open_units) == (lead, units, leaders, open_units)
    if label:
        assert note.unit_label == label


def test_a_time_that_ends_a_unit_list_is_a_deadline() -> None:
    note = parse_note("牵头单位：州审批局；责任单位：州司法局、各县市人民政府，6月底完成", DISTRICT)
    assert note.units == ("州审批局", "州司法局", "各县市人民政府") and note.deadlines == ("6月底完成",)


def test_table_cells_take_their_role_from_the_column() -> None:
    note = merge_cells(
        [(Role.LEAD, "牵头单位", "区发改局"), (Role.UNITS, "协同配合单位", "区财政局 各街道"),
         (Role.LEADERS, "分管领导", "张立新"), (Role.DEADLINE, "完成时限", "2024年6月底前")],
        DISTRICT,
    )
    assert note.lead_units == ("区发改局",) and note.leaders == ("张立新",)
    assert note.deadlines == ("2024年6月底前",) and note.unit_label == "协同配合单位"


def test_a_units_column_beside_an_assisting_column_leads() -> None:
    note = merge_cells([(Role.UNITS, "责任单位", "区教育局"), (Role.UNITS, "配合单位", "区财政局、各街道")], DISTRICT)
    assert note.lead_units == ("区教育局",) and note.units == ("区教育局", "区财政局", "各街道")
    assert note.unit_label == "配合单位"


@pytest.mark.parametrize(
    ("heading", "lead", "leaders"),
    [
        ("张立新区长牵头重点工作", (), ("张立新区长",)),
        ("钱晓峰市长主抓重点工作", (), ("钱晓峰市长",)),
        ("县农业农村局牵头工作（2项）", ("县农业农村局",), ()),
        ("县交通运输局、县住建局牵头工作（1项）", ("县交通运输局", "县住建局"), ()),
        ("扩大有效投资", (), ()),
    ],
)
def test_a_section_heading_may_say_who_leads_it(heading: str, lead: tuple[str, ...], leaders: tuple[str, ...]) -> None:
    note = heading_responsibility(heading, DISTRICT)
    assert (note.lead_units, note.leaders) == (lead, leaders)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("完成改造。牵头单位：区住建局；责任单位：各街道", 5),
        ("完成改造。（牵头单位：区住建局；责任单位：", None),  # inside an open bracket: a note cut by a page break
        ("落实牵头单位：的说明", None),  # mid-sentence
    ],
)
def test_find_inline_labels(text: str, found: int | None) -> None:
    assert find_inline_labels(text) == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [("县发改局、县住建局、各乡镇", True), ("区水利局", True), ("功能区", False), ("试行", False),
     ("GEP", False), ("县住建局、县财政局、城关镇、县供电公司", True)],
)
def test_is_unit_list(text: str, expected: bool) -> None:
    assert is_unit_list(text) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("做好工作。（两市教育局负责）", (5, "两市教育局负责")),
        ("做好工作。(两市教育局分工负责)  ", (5, "两市教育局分工负责")),
        ("列入济南市委党校（济南行政学院）教学内容。（两市市委组织部、市委党校分工负责）", (21, "两市市委组织部、市委党校分工负责")),
        ("做好工作。（责任单位：两市教育局（含直属学校））", (5, "责任单位：两市教育局（含直属学校）")),
        ("依托生态系统生产总值（GEP）", None),  # a parenthesis naming no unit
        ("做好工作。（两市教育局负责）。", (5, "两市教育局负责")),  # a full stop after the note
        ("做好工作。", None),
        ("做好工作）", None),
    ],
)
def test_find_trailing_note(text: str, found: tuple[int, str] | None) -> None:
    assert find_trailing_note(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("实施县级重点项目86个。（县发改局、县住建局、各乡镇）", (12, "县发改局、县住建局、各乡镇")),  # a bare list
        ("列入市委党校（济南行政学院）", None),  # a bare name mid-sentence is a qualifier, not a note
        ("落实收费。[责任领导:李秋云;牵头单位:市财政局]", (5, "责任领导:李秋云;牵头单位:市财政局")),
        ("建设物流枢纽。〔责任单位：省发展改革委〕", (7, "责任单位：省发展改革委")),
    ],
)
def test_find_trailing_note_in_other_brackets(text: str, found: tuple[int, str] | None) -> None:
    assert find_trailing_note(text) == found


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
