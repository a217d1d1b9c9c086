"""corpus/parser.py on the seed (which must parse exactly as it always has) and on synthetic documents.

The layouts of other issuers are pinned by tests/corpus/test_layouts.py; leniency and many documents
side by side by test_many_documents.py.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from corpus import Clause, Corpus, repair_layout
from corpus.ids import short_name
from corpus.loader import build_corpus
from corpus.numbering import classify
from corpus.parser import parse_model
from corpus.textmodel import TextModel

MakeDocument = Callable[..., str]  # the make_document fixture of tests/corpus/conftest.py
TITLE = "济南—临沂对口合作重点任务清单"  # the synthetic documents' title

DIVISION_PLAN = "贯彻落实《济南—临沂对口合作实施方案》重点任务分工方案"
WORK_POINTS = "济南—临沂对口合作 2023 年工作要点"

# (section, subsection, number of items) of 分工方案, in document order.
DIVISION_PLAN_SUBSECTIONS = [
    ("一、弘扬传承红色文化", "（一）传承践行红色精神", 3),
    ("一、弘扬传承红色文化", "（二）保护利用烈士纪念设施和革命文物", 2),
    ("一、弘扬传承红色文化", "（三）推动红色旅游融合发展", 1),
    ("二、全面实施乡村振兴", "（四）巩固拓展脱贫攻坚成果", 3),
    ("二、全面实施乡村振兴", "（五）积极培育优质农产品", 2),
    ("二、全面实施乡村振兴", "（六）加快推进新型城镇化建设", 4),
    ("三、完善基础设施网络", "（七）畅通综合交通运输通道", 3),
    ("三、完善基础设施网络", "（八）完善新型基础设施布局", 1),
    ("四、推动绿色低碳发展", "（九）加强生态保护和修复", 2),
    ("四、推动绿色低碳发展", "（十）培育发展绿色产品", 2),
    ("五、强化产业务实合作", "（十一）联合做强优势产业", 3),
    ("五、强化产业务实合作", "（十二）共同培育新兴产业", 2),
    ("五、强化产业务实合作", "（十三）协同建设产业园区", 4),
    ("五、强化产业务实合作", "（十四）强化“双创”协同合作", 2),
    ("五、强化产业务实合作", "（十五）着力提升现代物流业", 2),
    ("六、增进老区民生福祉", "（十六）加强优质教育供给", 4),
    ("六、增进老区民生福祉", "（十七）推进医疗服务高效协同", 2),
    ("七、建成对口合作样板", "（十八）打造蒙阴亮点工程", 3),
    ("七、建成对口合作样板", "（十九）建设济临经济协作区", 2),
    ("八、强化要素资源保障", "（二十）加强资金保障", 2),
    ("八、强化要素资源保障", "（二十一）加强金融保障", 1),
    ("八、强化要素资源保障", "（二十二）加强人才保障", 3),
]

WORK_POINTS_SECTIONS = [
    ("一、打造文旅合作升级版", 5),
    ("二、打造乡村振兴合作升级版", 6),
    ("三、打造基础设施合作升级版", 6),
    ("四、打造产业合作升级版", 6),
    ("五、促进绿色低碳发展", 4),
    ("六、聚力建设济临经济协作区", 6),
    ("七、提升公共服务水平", 5),
    ("八、加强区县对口合作", 2),
    ("九、强化要素保障", 3),
]

# Typed from the source by hand: page breaks closed, half-width brackets made full-width.
WORD_FOR_WORD = {
    "2023分工方案-1": "深入挖掘沂蒙精神丰富内涵和时代价值，组织开展红色文化论坛、“红色文化主题月”等系列活动，"
    "助力红色文化传播。（两市市委宣传部牵头，两市市委组织部、文化和旅游局分工负责）",
    "2023分工方案-7": "立足临沂市资源禀赋和产业基础，培育一批助力巩固拓展脱贫攻坚成果与乡村振兴有效衔接的"
    "特色产业基地和新型农业经营主体。（临沂市乡村振兴局负责）",
    "2023分工方案-10": "充分发挥济南农业生产科技优势和临沂自然资源及“物流之都”优势，创新规模化、标准化、"
    "订单式生产模式，利用济南农产品展销平台、电商平台，联合招引一批名优特农副产品生产加工项目，"
    "支持和引导临沂特色农产品在济销售。（两市农业农村局、商务局分工负责）",
    "2023分工方案-19": "充分发挥济南市在新型基础设施领域的建设示范引领作用，加大 5G、工业互联网、人工智能等"
    "新型基础设施建设力度，支持临沂市重点行业企业进行工业物联网改造和数字赋能。支持临沂市在智慧工厂、"
    "园区、农业、文旅、教育、环保、医疗、交通等典型场景开展 5G 示范应用建设。"
    "（两市工业和信息化局牵头，两市发展改革委、科技局、大数据局分工负责）",
    "2023分工方案-31": "鼓励两市国家级经济技术开发区在园区规划、政策措施等领域加强合作，促进产业优势互补、"
    "联动发展。（济南市明水经济技术开发区管委会、临沂市沂河新区管委会分工负责）",
    "2023工作要点-2": "突出沂蒙精神教育培训。将学习沂蒙精神与开展学习贯彻习近平新时代中国特色社会主义思想主题教育"
    "结合起来，列入两市市委党校主体班次教学计划。加强济南市委党校（济南行政学院）同沂蒙干部学院的交流合作，"
    "每年邀请沂蒙干部学院专家教授到济南市委党校（济南行政学院）授课不少于 2 次，并利用“云直播”平台，"
    "面向市直部门（单位）、区县党校进行线上直播。根据教学需要组织济南市委党校（济南行政学院）主体班次学员"
    "到沂蒙革命老区开展现场教学。（责任单位：两市市委组织部、市委党校及沂蒙干部学院）",
    "2023工作要点-31": "推动红色文旅融合发展。推动两市把蒙阴作为党性教育、研学旅游、主题培训的优选地，"
    "积极组织“红色教育进蒙阴”活动。制定济南、临沂市民游蒙阴优惠政策，策划济南、临沂到蒙阴“两日游”"
    "“三日游”精品旅游线路，谋划建设济南—临沂文旅发展综合服务中心项目，推动萌乐世界、云蒙明珠、"
    "金水前城等文旅项目建设。依托节庆日推出媒体、旅行社走进蒙阴采风活动，举办蒙阴（济南）旅游推介会、"
    "桃花旅游节、环湖自行车赛、蒙山丰收节等活动。"
    "（责任单位：两市市委组织部、市委宣传部、市委党校、文化和旅游局及蒙阴县政府）",
    "2023工作要点-34": "促进基础教育交流合作。济南市向临沂市提供济南市教育资源公共服务平台资源，推动两地义务教育"
    "特色学科资源共建共享。每学年选派20名左右教师，赴临沂开展支教，并就普通高中学科基地建设开展交流学习"
    "活动。（责任单位：两市教育局）",
}


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def parse_text(name: str, text: str) -> Corpus:
    """One file's text, parsed and given ids as the loader would."""
    return build_corpus([parse_model(TextModel(name, "txt", text))])


# --- the seed -----------------------------------------------------------------------------------


def test_seed_has_53_plus_43_clauses_numbered_in_order(seed_corpus: Corpus) -> None:
    counts = Counter(c.document for c in seed_corpus.clauses)
    assert counts == {DIVISION_PLAN: 53, WORK_POINTS: 43}
    ids = [c.clause_id for c in seed_corpus.clauses]
    assert ids == [f"2023分工方案-{n}" for n in range(1, 54)] + [f"2023工作要点-{n}" for n in range(1, 44)]
    assert all(c.kind == "task" and c.ordinal == str(c.number) for c in seed_corpus.clauses)


def test_seed_documents_and_their_notice(seed_corpus: Corpus) -> None:
    plan, points = seed_corpus.documents
    assert (plan.document_id, plan.title, plan.short_name) == ("2023分工方案", DIVISION_PLAN, "分工方案")
    assert (points.document_id, points.title, points.short_name) == ("2023工作要点", WORK_POINTS, "工作要点")
    for document in (plan, points):
        assert document.issuers == ("济南市人民政府办公厅", "临沂市人民政府办公室")
        assert document.places == ("济南市", "临沂市")
        assert (document.number, document.date, document.year) == ("济政办字〔2023〕28号", "2023-06-29", 2023)
        assert document.report.warnings == ()
        assert document.report.items_without_responsibility == 0
    assert (plan.unit_label, points.unit_label) == ("分工负责", "责任单位")
    assert plan.clause_ids[0] == "2023分工方案-1" and points.clause_ids[-1] == "2023工作要点-43"
    text = seed_corpus.files[0].text
    assert text[plan.title_start : plan.title_end] == "贯彻落实《济南—临沂对口合作实施方案》 重点任务分工方案"


def test_seed_text_outside_items_is_kept_as_passages(seed_corpus: Corpus) -> None:
    passages = {p.clause_id: p for p in seed_corpus.passages}
    texts = [p.text for p in seed_corpus.passages]
    assert any(t.startswith("经济南市政府、临沂市政府同意，现将《贯彻落实") for t in texts)  # the notice
    assert "济政办字〔2023〕28号" in texts and "（此件公开发布）" in texts
    preamble = next(p for p in seed_corpus.passages if p.text.startswith("为深入贯彻落实《济南—临沂对口合作实施方案》"))
    assert preamble.document_id == "2023分工方案" and preamble.kind == "passage" and not preamble.is_task
    points = [p for p in passages.values() if p.document_id == "2023工作要点"]
    assert [p.text[-16:] for p in points] == ["，现制定 2023 年工作要点。"]
    assert points[0].citation == "〔2023工作要点·说明1〕" and points[0].clause_id == "2023工作要点-p1"
    assert not any("关于印发" in c.text for c in seed_corpus.clauses)


def test_division_plan_has_22_subsections_with_their_counts(seed_corpus: Corpus) -> None:
    found = Counter(c.section for c in seed_corpus.clauses if c.document_id == "2023分工方案")
    expected = {(section, sub): n for section, sub, n in DIVISION_PLAN_SUBSECTIONS}
    assert found == expected
    assert len(found) == 22
    in_order = list(dict.fromkeys(c.section for c in seed_corpus.clauses if c.document_id == "2023分工方案"))
    assert in_order == [(section, sub) for section, sub, _ in DIVISION_PLAN_SUBSECTIONS]


def test_work_points_has_9_sections_with_their_counts(seed_corpus: Corpus) -> None:
    found = Counter(c.section for c in seed_corpus.clauses if c.document_id == "2023工作要点")
    assert found == {(section,): n for section, n in WORK_POINTS_SECTIONS}
    in_order = list(dict.fromkeys(c.section for c in seed_corpus.clauses if c.document_id == "2023工作要点"))
    assert in_order == [(section,) for section, _ in WORK_POINTS_SECTIONS]


@pytest.mark.parametrize(
    ("clause_id", "section"),
    [
        ("2023分工方案-24", ("五、强化产业务实合作", "（十一）联合做强优势产业")),
        ("2023分工方案-33", ("五、强化产业务实合作", "（十四）强化“双创”协同合作")),  # "(十四) …" half-width, no #
        ("2023分工方案-19", ("三、完善基础设施网络", "（八）完善新型基础设施布局")),  # subsection without its #
        ("2023分工方案-20", ("四、推动绿色低碳发展", "（九）加强生态保护和修复")),  # #### / ##### and bold
        ("2023分工方案-37", ("六、增进老区民生福祉", "（十六）加强优质教育供给")),  # "### (十六) …"
        ("2023分工方案-27", ("五、强化产业务实合作", "（十二）共同培育新兴产业")),  # a subsection written as ##
        ("2023工作要点-24", ("五、促进绿色低碳发展",)),  # "## **五、…**"
    ],
)
def test_section_paths_whatever_the_heading_style(
    seed_corpus: Corpus, clause_id: str, section: tuple[str, ...]
) -> None:
    assert seed_corpus.clause(clause_id).section == section


@pytest.mark.parametrize("clause_id", sorted(WORD_FOR_WORD))
def test_clause_text_word_for_word(seed_corpus: Corpus, clause_id: str) -> None:
    assert seed_corpus.clause(clause_id).text == WORD_FOR_WORD[clause_id]


def test_clause_spans_start_after_the_number_and_end_with_the_parenthesis(seed_corpus: Corpus) -> None:
    source = seed_corpus.files[0].text
    first = seed_corpus.clause("2023分工方案-1")
    line_33 = source.splitlines()[32]
    assert line_33.startswith("1. 深入挖掘沂蒙精神")
    assert source[first.start : first.end] == line_33.removeprefix("1. ") == WORD_FOR_WORD["2023分工方案-1"]
    assert first.location is not None and first.location.line == 33
    seventh = seed_corpus.clause("2023分工方案-7")
    assert "巩\n\n固拓展" in source[seventh.start : seventh.end]
    assert source[seventh.end - 1] == "）"
    last = seed_corpus.clause("2023分工方案-31")
    assert source[last.start : last.end].endswith("分\n\n工负责)")


def test_seed_artefacts_are_repaired(seed_corpus: Corpus) -> None:
    clause = seed_corpus.clause
    assert "巩固拓展" in clause("2023分工方案-7").text
    assert "在济销售。" in clause("2023分工方案-10").text
    assert clause("2023分工方案-31").text.endswith("分工负责）")
    assert clause("2023分工方案-35").text.endswith("（济南市口岸物流办、临沂商城管委会分工负责）")
    assert clause("2023分工方案-32").responsibility_raw.startswith("（济南市钢城区政府")
    assert "标准制（修）订" in clause("2023工作要点-36").text
    for c in seed_corpus.clauses:
        assert not any(mark in c.text for mark in ("\n", "#", "**", "(", ")")), c.clause_id
        for i, char in enumerate(c.text):
            if char == " ":  # only where the source spaces a number or a Latin word: "不少于 2 次", "5G"
                assert c.text[i - 1].isascii() or c.text[i + 1].isascii(), c.clause_id


def test_every_seed_clause_ends_with_its_responsibility_parenthesis(seed_corpus: Corpus) -> None:
    for c in seed_corpus.clauses:
        assert c.responsibility_raw.startswith("（") and c.responsibility_raw.endswith("）"), c.clause_id
        assert c.body + c.responsibility_raw == c.text
        assert c.body.endswith("。"), c.clause_id
        assert c.unit_label in ("分工负责", "负责", "责任单位"), c.clause_id


# --- the property: source[start:end], repaired, is the clause ------------------------------------

# The documented width mapping: half-width punctuation next to Chinese is printed full-width.
FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def _same_char(source_char: str, text_char: str) -> bool:
    return (
        source_char == text_char
        or FULL_WIDTH.get(source_char) == text_char
        or (text_char == " " and source_char.isspace())
    )


def _assert_clause_maps_to_source(clause: Clause, source: str) -> None:
    assert repair_layout(source[clause.start : clause.end]).text == clause.text
    assert len(clause.offsets) == len(clause.text)
    assert all(clause.start <= o < clause.end for o in clause.offsets)
    assert list(clause.offsets) == sorted(set(clause.offsets))
    for char, offset in zip(clause.text, clause.offsets, strict=True):
        assert _same_char(source[offset], char), (clause.clause_id, offset, source[offset], char)


def test_every_seed_clause_and_passage_is_its_repaired_source_span(seed_corpus: Corpus) -> None:
    source = seed_corpus.files[0].text
    for clause in seed_corpus.citable:
        _assert_clause_maps_to_source(clause, source)


@functools.cache
def _parsed_with_breakable_positions(source: str) -> tuple[list[Clause], dict[str, list[int]]]:
    """The clauses of ``source`` and, per clause, the positions where a page break may fall without
    changing the words: not next to a space (a line break there is layout by definition), not between
    two Latin letters or digits (they would get a space), and not before a number (a numbered line start
    is a heading).
    """

    def breakable(position: int) -> bool:
        left, right = source[position - 1], source[position]
        line_rest = source[position : source.index("\n", position)]
        return (
            not left.isspace()
            and not right.isspace()
            and not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum())
            and classify(line_rest) is None
        )

    clauses = list(parse_text("seed.txt", source).clauses)
    return clauses, {c.clause_id: [p for p in range(c.start + 1, c.end) if breakable(p)] for c in clauses}


# Shrinking would re-parse the file thousands of times; a failing example (ids, offsets) reads well as is.
@settings(max_examples=30, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_page_breaks_anywhere_inside_clauses_leave_them_unchanged(
    seed_corpus: Corpus, data: st.DataObject
) -> None:
    """Break lines at random points inside clauses, as a new page would: the wording must not move."""
    source = seed_corpus.files[0].text
    clauses, positions = _parsed_with_breakable_positions(source)
    picked = data.draw(st.lists(st.sampled_from(sorted(positions)), min_size=1, max_size=4, unique=True))
    cuts: list[tuple[int, str]] = []
    for clause_id in picked:
        position = data.draw(st.sampled_from(positions[clause_id]))
        cuts.append((position, data.draw(st.sampled_from(["\n\n", "\n", "  \n\n", "\n\f", "\r\n\r\n"]))))
    broken = source
    for position, page_break in sorted(cuts, reverse=True):
        broken = broken[:position] + page_break + broken[position:]

    reparsed = parse_text("broken.txt", broken).clauses

    assert [c.clause_id for c in reparsed] == [c.clause_id for c in clauses]
    for before, after in zip(clauses, reparsed, strict=True):
        assert (after.text, after.section, after.units) == (before.text, before.section, before.units)
        _assert_clause_maps_to_source(after, broken)


# --- synthetic documents ------------------------------------------------------------------------


def test_a_new_document_of_the_same_kind_parses(good_document: str) -> None:
    corpus = parse_text("new.txt", good_document)
    (document,) = corpus.documents
    assert (document.title, document.document_id) == (TITLE, "任务清单")
    assert document.issuers == ("济南市人民政府办公厅",) and document.year is None
    assert [p.text for p in corpus.passages] == ["济南市人民政府办公厅关于印发测试清单的通知", "为推进济南—临沂对口合作，制定本清单。"]
    assert [c.clause_id for c in corpus.clauses] == [f"任务清单-{n}" for n in range(1, 6)]
    by_id = {c.clause_id: c for c in corpus.clauses}
    assert by_id["任务清单-2"].text == "每年联合举办红色展览不少于 2 次，助力巩固拓展宣传成果。（两市文化和旅游局分工负责）"
    # Only 济南 issued it: 两市 names no two places, and stays as written.
    assert by_id["任务清单-2"].units == ("两市文化和旅游局",)
    assert by_id["任务清单-3"].section == ("一、弘扬传承红色文化", "（二）保护利用革命文物")
    assert by_id["任务清单-3"].units[-1] == "蒙阴县政府"
    assert by_id["任务清单-4"].text.endswith("（济南市工业和信息化局、临沂市工业和信息化局分工负责）")
    assert by_id["任务清单-4"].section == ("二、强化产业务实合作", "（一）联合做强优势产业")
    assert by_id["任务清单-5"].section == ("二、强化产业务实合作", "（二）协同建设产业园区")
    assert [t.text for t in by_id["任务清单-5"].targets] == ["32个"]
    source = corpus.files[0].text
    for clause in corpus.citable:
        _assert_clause_maps_to_source(clause, source)


def test_two_issuers_make_two_cities_of_liang_shi(make_document: MakeDocument) -> None:
    text = "济南市人民政府办公厅　临沂市人民政府办公室\n\n" + make_document("## 一、甲部分", "1. 做好甲事。（两市教育局、财政局负责）")
    (clause,) = parse_text("pair.txt", text).clauses
    assert clause.units == ("济南市教育局", "临沂市教育局", "济南市财政局", "临沂市财政局")


def test_crlf_line_endings_parse_like_lf(good_document: str) -> None:
    lf = parse_text("lf.txt", good_document).clauses
    crlf_text = good_document.replace("\n", "\r\n")
    crlf = parse_text("crlf.txt", crlf_text).clauses
    assert [c.text for c in crlf] == [c.text for c in lf]
    for clause in crlf:
        _assert_clause_maps_to_source(clause, crlf_text)


def test_two_documents_in_one_file(make_document: MakeDocument) -> None:
    first = make_document("## 一、甲部分", "1. 做好甲事。（两市教育局负责）")
    second = "附件2\n\n# 济南—临沂对口合作专项行动计划\n\n## 一、乙部分\n\n1. 做好乙事。（两市财政局负责）\n"
    corpus = parse_text("two.txt", first + "\n" + second)
    assert [d.document_id for d in corpus.documents] == ["任务清单", "行动计划"]
    assert [c.clause_id for c in corpus.clauses] == ["任务清单-1", "行动计划-1"]
    assert "附件2" in [p.text for p in corpus.passages]  # kept, not dropped


def test_subsection_numbers_may_restart_in_each_section(make_document: MakeDocument) -> None:
    text = make_document(
        "## 一、甲部分",
        "### （一）甲一。",
        "1. 甲一事。（两市教育局负责）",
        "### （二）甲二。",
        "2. 甲二事。（两市教育局负责）",
        "## 二、乙部分",
        "### （一）乙一。",
        "3. 乙一事。（两市教育局负责）",
    )
    corpus = parse_text("restart.txt", text)
    assert [c.section for c in corpus.clauses] == [
        ("一、甲部分", "（一）甲一"),
        ("一、甲部分", "（二）甲二"),
        ("二、乙部分", "（一）乙一"),
    ]
    assert corpus.documents[0].report.warnings == ()


def test_items_restarting_per_section_get_dotted_ordinals(make_document: MakeDocument) -> None:
    text = make_document(
        "## 一、甲部分",
        "1. 甲事。（两市教育局负责）",
        "2. 甲事又。（两市教育局负责）",
        "## 二、乙部分",
        "1. 乙事。（两市教育局负责）",
    )
    corpus = parse_text("restart.txt", text)
    assert [(c.clause_id, c.number) for c in corpus.clauses] == [("任务清单-1.1", 1), ("任务清单-1.2", 2), ("任务清单-2.1", 1)]
    assert [c.citation for c in corpus.clauses][-1] == "〔任务清单第2.1条〕"
    assert corpus.resolve_marker("见〔任务清单第2.1条〕和〔任务清单第1.2条〕") == ["任务清单-2.1", "任务清单-1.2"]
    assert corpus.documents[0].report.warnings == ()


HEAD = ["## 一、甲部分", "### （一）甲一。", "1. 一事。（两市教育局负责）", "2. 二事。（两市教育局负责）"]
TAIL_SECTION = ["## 二、乙部分", "### （三）乙三。", "3. 三事。（两市教育局负责）"]


@pytest.mark.parametrize(
    ("lines", "bad_line", "message", "items"),
    [
        (HEAD + ["4. 四事。（两市教育局负责）"], "4. 四事", "item number 4 where 3 was expected (missing number", 3),
        (HEAD + ["2. 又一事。（两市教育局负责）"], "2. 又一事", "item number 2 where 3 was expected (repeated number", 3),
        (HEAD + ["### （三）甲三。", "3. 三事。（两市教育局负责）"], "### （三）",
         "subsection number 3 where 2 was expected (missing number", 3),
        (HEAD + ["### （一）甲一又。", "3. 三事。（两市教育局负责）"], "### （一）甲一又",
         "subsection number 1 where 2 was expected (repeated number", 3),
        (HEAD + ["## 三、丙部分", "3. 三事。（两市教育局负责）"], "## 三、", "section number 3 where 2 was expected (missing", 3),
        (HEAD + ["## 一、甲部分又", "3. 三事。（两市教育局负责）"], "## 一、甲部分又",
         "section number 1 where 2 was expected (repeated", 3),
        (HEAD + TAIL_SECTION, "### （三）乙三", "subsection number 3 where 1 or 2 was expected", 3),
    ],
    ids=["item-gap", "item-repeat", "subsection-gap", "subsection-repeat", "section-gap", "section-repeat",
         "subsection-restart-skips-one"],
)
def test_irregular_numbering_is_a_warning_with_file_and_line(
    make_document: MakeDocument, lines: list[str], bad_line: str, message: str, items: int
) -> None:
    text = make_document(*lines)
    corpus = parse_text("broken.txt", text)
    (document,) = corpus.documents
    (warning,) = document.report.warnings
    assert (warning.file, warning.line) == ("broken.txt", _line_of(text, bad_line))
    assert str(warning).startswith(f"broken.txt:{warning.line}: {message}")
    assert len(corpus.clauses) == items and len({c.clause_id for c in corpus.clauses}) == items


@pytest.mark.parametrize(
    ("lines", "stray"),
    [
        (["## 一、甲部分", "1. 一事。（两市教育局负责）", "这段文字不属于任何条目。", "2. 二事。（两市教育局负责）"], "这段文字"),
        (["## 一、甲部分", "1. 一事。（两市教育局负责）", "济南市教育局另行通知其他事项。"], "济南市教育局另行"),
        # The parenthesis is split by a page break: the item is closed all the same.
        (["## 一、甲部分", "1. 一事。（责任\n\n单位：两市教育局)", "这段文字不属于任何条目。", "2. 二事。（两市教育局负责）"], "这段文字"),
        (["## 一、甲部分", "**1. 一事。（两市教育局负责）**", "这段文字不属于任何条目。", "2. 二事。（两市教育局负责）"], "这段文字"),
    ],
    ids=["between-items", "after-last-item", "split-parenthesis", "bold-item"],
)
def test_text_that_belongs_to_no_item_is_a_passage_and_a_warning(
    make_document: MakeDocument, lines: list[str], stray: str
) -> None:
    text = make_document(*lines)
    corpus = parse_text("stray.txt", text)
    (warning,) = corpus.documents[0].report.warnings
    assert (warning.file, warning.line) == ("stray.txt", _line_of(text, stray))
    assert "belongs to no numbered item" in warning.message
    assert any(p.text.startswith(stray) for p in corpus.passages)
    assert all(stray not in c.text for c in corpus.clauses)


def test_text_before_the_first_item_is_a_passage(make_document: MakeDocument) -> None:
    corpus = parse_text("lead.txt", make_document("## 一、甲部分", "这段说明写在第一条之前。", "1. 一事。（两市教育局负责）"))
    (clause,) = corpus.clauses
    assert clause.text == "一事。（两市教育局负责）"
    assert "这段说明写在第一条之前。" in [p.text for p in corpus.passages]


def test_form_feed_page_breaks_do_not_shift_line_numbers(make_document: MakeDocument) -> None:
    """pdftotext writes a form feed at each page break; editors do not count it as a line."""
    text = make_document("## 一、甲部分", "1. 一\n\f事。（两市教育局负责）", "\f2. 二事。（两市教育局负责）", "4. 四事。（两市教育局负责）")
    corpus = parse_text("ff.txt", text)
    (warning,) = corpus.documents[0].report.warnings
    assert warning.line == _line_of(text, "4. 四事") == text.split("\n").index("4. 四事。（两市教育局负责）") + 1
    assert corpus.clauses[0].text == "一事。（两市教育局负责）"


@pytest.mark.parametrize(
    ("text", "tasks", "warning"),
    [
        ("只有一行文字\n", 0, "no numbered items found"),
        ("1. 一事。（两市教育局负责）\n", 1, "no plan title found; the title is taken from the file name"),
        ("# 济南—临沂对口合作任务清单\n\n一、甲部分\n\n1. 一事。（分工负责）\n", 1, "no responsible unit or person found"),
    ],
    ids=["no-items", "no-title", "empty-responsibility"],
)
def test_odd_files_load_with_a_warning(text: str, tasks: int, warning: str) -> None:
    corpus = parse_text("odd.txt", text)
    (document,) = corpus.documents
    assert len(corpus.clauses) == tasks
    assert any(warning in str(w) for w in document.report.warnings), document.report.warnings
    if document.report.title_source == "file_name":
        assert document.title == "odd"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("贯彻落实《济南—临沂对口合作实施方案》 重点任务分工方案", "分工方案"),
        ("济南—临沂对口合作 2023 年工作要点", "工作要点"),
        ("关于〈济南—临沂对口合作〉的实施意见", "实施意见"),
        ("《济南—临沂对口合作 2024 年工作要点》", "工作要点"),  # all quotation: the quoted words count
        ("济南—临沂对口合作 2024 年工作要点（试行）", "工作要点"),  # a bracketed tail is not the kind
        ("绿川县2024年重点工作任务分解表", "任务分解表"),  # a known kind longer than four characters
        ("---", ""),
    ],
)
def test_short_name_is_the_plan_kind_at_the_end_of_the_title(title: str, expected: str) -> None:
    assert short_name(title) == expected


def test_a_plan_in_traditional_script_gets_its_id_in_simplified_script() -> None:
    """Ids and markers are our labels, typed by staff (2025实施方案-1): the title stays as printed."""
    corpus = parse_text("mirror.txt", "潭井區2025年產業集群培育實施方案\n1.培育龍頭企業10家。（區工信局負責）\n")
    document = corpus.documents[0]
    assert document.title == "潭井區2025年產業集群培育實施方案" and document.document_id == "2025实施方案"


def test_a_table_column_no_header_word_names_joins_the_task_text() -> None:
    """项目名称 | 建设内容 | …: the row's facts are in its text (searchable, quotable), after its name."""
    text = (
        "石埠市2024年民生实事项目分解表\n\n"
        "序号\t项目名称\t建设规模及内容\t牵头单位\t完成时限\n"
        "1\t社区食堂建设\t新建社区食堂30个，覆盖老年人1.2万名\t市民政局\t年底前\n"
        "2\t口袋公园提升\t改造口袋公园15处\t市城管局\t9月底前\n"
    )
    first, second = parse_text("shibu.txt", text).clauses
    assert first.text == "社区食堂建设。新建社区食堂30个，覆盖老年人1.2万名"
    assert "30个" in [t.text for t in first.targets] and first.lead_units == ("市民政局",)
    assert second.text == "口袋公园提升。改造口袋公园15处"
    assert [f.name for f in first.fields] == ["牵头单位", "完成时限"]  # the joined column is not a field too
    source = parse_text("shibu.txt", text).files[0].text
    assert source[first.offsets[len("社区食堂建设")]] == "\t"  # the added stop stands for the cell border


def test_safeguard_paragraphs_numbered_like_the_tasks_are_passages(make_document: MakeDocument) -> None:
    text = make_document(
        "一、主要任务",
        "（一）建设物流中心。建成县级物流中心1个。（县商务局牵头，县交通运输局配合）",
        "（二）发展便民商店。新建便民商店50个。（县商务局牵头）",
        "二、保障措施",
        "（一）加强组织领导。成立工作专班，定期调度。",
        "（二）强化资金保障。统筹用好各级资金。",
    )
    corpus = parse_text("safeguards.txt", text)
    assert [c.text[:6] for c in corpus.clauses] == ["建设物流中心", "发展便民商店"]
    assert any(p.text.startswith("加强组织领导") and p.section == ("二、保障措施",) for p in corpus.passages)


def test_a_lead_marked_in_words_and_a_heading_lead_over_its_items_lists(make_document: MakeDocument) -> None:
    text = make_document(
        "一、激发消费活力",
        "1. 举办夜市消费季。",
        "责任单位：区商务局（牵头）、区文旅局、青螺街道",
        "二、区卫生健康局牵头重点工作",
        "1. 建设社区医院2家。",
        "责任单位：区医保局、各街道",
    )
    marked, under_heading = parse_text("marks.txt", text).clauses
    assert marked.lead_units == ("区商务局",) and marked.units == ("区商务局", "区文旅局", "青螺街道")
    assert under_heading.lead_units == ("区卫生健康局",)
    assert under_heading.units == ("区卫生健康局", "区医保局", "各街道")


def test_a_task_worded_below_its_labels_keeps_its_wording() -> None:
    """（一）<name>, then 牵头单位 / 配合单位 / 完成时限 lines, then 任务内容：<wording>: the wording is the task's,
    after its name; the label lines are its fields (their deadline its deadline), not its text."""
    corpus = parse_text("苇岚县2024年重点任务清单.txt", "苇岚县2024年民生重点任务清单\n\n一、教育\n\n（一）新建苇岚县北关小学\n"
                        "牵头单位：县教育局\n配合单位：县住建局、县财政局\n完成时限：2024年9月底前\n"
                        "任务内容：建设24个教学班，新增学位1080个。\n\n（二）改造薄弱学校\n牵头单位：县教育局\n"
                        "完成时限：长期坚持\n任务内容：完成8所农村学校校舍改造。\n")
    first, second = corpus.clauses[:2]
    assert first.text == "新建苇岚县北关小学。建设24个教学班，新增学位1080个。"
    assert (first.lead_units, first.units) == (("县教育局",), ("县教育局", "县住建局", "县财政局"))
    assert [t.text for t in first.deadlines] == ["2024年9月底前"]
    assert [f.name for f in first.fields] == ["牵头单位", "配合单位", "完成时限"]
    assert second.text.endswith("完成8所农村学校校舍改造。") and [t.text for t in second.deadlines] == ["长期坚持"]


def test_a_short_line_after_a_blank_line_is_not_the_end_of_the_heading_above() -> None:
    """Web pages put a blank line between all lines: "（一）…" / "" / "加强…建设" is a heading and a line of its own,
    while a heading wrapped onto the very next line goes on there."""
    text = ("青苇县2024年重点工作任务分解\n\n二、主要工作安排\n\n（一）坚定不移扩大有效投资\n\n加强交通设施建设\n\n"
            "1.建成县城南环路8公里。（牵头单位：县交通运输局）\n\n（二）持续加大城乡基础设施投入和统筹\n协调\n\n"
            "2.改造农村公路桥梁12座。（牵头单位：县交通运输局）\n")
    corpus = parse_text("青苇县2024年重点工作任务分解.txt", text)
    first, second = corpus.clauses
    assert first.section == ("二、主要工作安排", "（一）坚定不移扩大有效投资")
    assert second.section == ("二、主要工作安排", "（二）持续加大城乡基础设施投入和统筹协调")
    assert any(p.text == "加强交通设施建设" for p in corpus.passages)


def test_a_last_heading_with_nothing_under_it_is_kept() -> None:
    """An excerpt that stops after a heading: the heading is no task, and not lost either."""
    text = ("青苇县2024年应急体系建设任务分解\n（一）预案建设\n1.完善应急预案体系\n(1)修订县级专项应急预案12件。\n"
            "(2)开展预案演练不少于4次。\n（责任单位：县应急管理局）\n2.健全应急指挥机制\n")
    corpus = parse_text("青苇县2024年应急体系建设任务分解.txt", text)
    assert [c.text[:6] for c in corpus.clauses] == ["修订县级专项", "开展预案演练"]
    assert any("健全应急指挥机制" in p.text for p in corpus.passages)


@pytest.mark.parametrize("block", [
    "发布单位 | 青苇县人民政府 | 发文日期 | 2024-03-05 |",
    "时间:2024-03-05 09:30 浏览次数: 信息来源: 青苇县人民政府",
    "发布机构：青苇县人民政府\n发文日期：2024年03月05日",
])
def test_a_web_pages_information_block_gives_issuer_and_date(block: str) -> None:
    text = f"青苇县2024年民生实事任务分解表\n{block}\n1.新建公办幼儿园2所。（责任单位：县教育局）\n"
    corpus = parse_text("青苇县2024年民生实事任务分解表.txt", text)
    document = corpus.documents[0]
    assert document.title == "青苇县2024年民生实事任务分解表"
    assert document.issuers == ("青苇县人民政府",) and document.date == "2024-03-05"
    assert [c.text[:6] for c in corpus.clauses] == ["新建公办幼儿"]


PAGINATED = """澄州市人民政府办公室文件
澄政办发〔2025〕3号
澄州市人民政府办公室关于印发澄州市2025年重点任务责任分工方案的通知
各县（市、区）人民政府，市政府各部门：
现将《澄州市2025年政府工作报告重点任务责任分工方案》印发给你们，请认真抓好落实。
澄州市人民政府办公室
2025年2月10日
— 1 —
\f澄政办发〔2025〕3号
澄州市2025年政府工作报告重点任务
责任分工方案
一、扩大有效投资
1．实施市级重点项目120个，年度完成投资300亿元以上。
牵头单位：市发展改革委
责任单位：市财政局
2．新建5G基站2000个，实现乡镇全覆盖，带动信息消费增长
— 2 —
\f澄政办发〔2025〕3号
10%以上。
牵头单位：市工业和信息化局
责任单位：市通信发展管理办公室
"""


def test_a_running_header_of_a_paginated_text_is_page_furniture() -> None:
    """A 文号 atop every page after the first (a PDF's running header) is not part of the item it cuts; the same
    words under the notice's title are the 文号.  A plan title wrapped onto a line of its own kind (责任分工方案)
    is one title."""
    corpus = parse_text("chengzhou.txt", PAGINATED)
    (document,) = corpus.documents
    assert document.title == "澄州市2025年政府工作报告重点任务责任分工方案"
    assert document.number == "澄政办发〔2025〕3号"
    tasks = [c for c in corpus.clauses if c.is_task]
    assert [c.number for c in tasks] == [1, 2]
    assert "增长10%以上" in tasks[1].text and not any("澄政办发" in c.text for c in corpus.clauses if c.is_task)


def test_an_item_whose_text_opens_with_a_figure_is_still_the_next_item() -> None:
    """"5.65岁以上…" after item 4 is item 5 (65岁…), not a decimal; "2.5万元" inside a sentence stays a figure."""
    corpus = parse_text("fengyuan.txt", "沣川县2024年重点工作任务分工\n一、民生保障\n"
                        "4.城镇新增就业3200人。（县人社局负责）\n"
                        "5.65岁以上老年人免费健康体检覆盖率达到75%。（县卫健局牵头，各镇配合）\n"
                        "6.发放助学金，全年资助金额不少于\n2.5万元。（县教育局负责）\n")
    tasks = [c for c in corpus.clauses if c.is_task]
    assert [(c.number, c.text[:6]) for c in tasks] == [(4, "城镇新增就业"), (5, "65岁以上老"), (6, "发放助学金，")]
    assert tasks[1].lead_units == ("县卫健局",) and "2.5万元" in tasks[2].text


def test_a_note_closing_a_headings_line_is_inherited_by_its_points() -> None:
    """（一）…。（牵头领导：…；牵头单位：…；责任单位：…） over 一是…；二是…: each point has the heading's lead, units
    and leader; a numbered line with a note of its own keeps its units and takes the heading's lead and leader;
    the section is named without the note."""
    corpus = parse_text("jinshan.txt", "槿川区2025年重点工作任务分解方案\n一、推动高质量发展\n"
                        "（一）推动制造业提质增效。（牵头领导：王建平；牵头单位：区工信局；责任单位：区发改局、区科技局）\n"
                        "一是实施智造三年行动，全年完成技改投资30亿元；二是培育专精特新中小企业15家以上。\n"
                        "（二）加快老旧小区改造。（牵头领导：陈立新；牵头单位：区住建局）\n"
                        "1.完成长青街道老旧小区改造12个。（区住建局、长青街道办事处负责）\n"
                        "2.既有住宅加装电梯60部。（区市场监管局配合）\n")
    tasks = [c for c in corpus.clauses if c.is_task]
    assert [(c.lead_units, c.units, c.leaders) for c in tasks[:2]] == [
        (("区工信局",), ("区工信局", "区发改局", "区科技局"), ("王建平",))] * 2
    assert tasks[2].lead_units == ("区住建局",) and tasks[2].units == ("区住建局", "长青街道办事处")
    assert tasks[2].leaders == ("陈立新",) and tasks[3].leaders == ("陈立新",)
    assert tasks[0].section == ("一、推动高质量发展", "（一）推动制造业提质增效")
