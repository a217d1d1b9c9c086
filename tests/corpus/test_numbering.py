"""corpus/numbering.py: the numbering styles of official documents, whatever the marks around them."""

from __future__ import annotations

import pytest

from corpus.numbering import Style, chinese_numeral, classify, number_value, strip_decoration


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十四", 14), ("二十", 20), ("二十二", 22), ("两", 2), ("一百零三", 103)],
)
def test_chinese_numeral(numeral: str, value: int) -> None:
    assert chinese_numeral(numeral) == value


def test_chinese_numeral_rejects_other_characters() -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_numeral("十X")


@pytest.mark.parametrize(
    ("line", "style", "number", "title"),
    [
        # Every heading style of the seed.
        ("## 一、弘扬传承红色文化", Style.CHINESE, 1, "弘扬传承红色文化"),
        ("### 三、完善基础设施网络", Style.CHINESE, 3, "完善基础设施网络"),
        ("#### **四、推动绿色低碳发展**", Style.CHINESE, 4, "推动绿色低碳发展**"),
        ("## **七、提升公共服务水平**", Style.CHINESE, 7, "提升公共服务水平**"),
        ("### （一）传承践行红色精神。", Style.CHINESE_PAREN, 1, "传承践行红色精神。"),
        ("## （二）保护利用烈士纪念设施和革命文物。", Style.CHINESE_PAREN, 2, "保护利用烈士纪念设施和革命文物。"),
        ("#### （五）积极培育优质农产品。", Style.CHINESE_PAREN, 5, "积极培育优质农产品。"),
        ("（八）完善新型基础设施布局。", Style.CHINESE_PAREN, 8, "完善新型基础设施布局。"),
        ("##### **（九）加强生态保护和修复。**", Style.CHINESE_PAREN, 9, "加强生态保护和修复。**"),
        ("(十四) 强化“双创”协同合作。", Style.CHINESE_PAREN, 14, "强化“双创”协同合作。"),
        ("### **(十七) 推进医疗服务高效协同。**", Style.CHINESE_PAREN, 17, "推进医疗服务高效协同。**"),
        ("#### （二十二）加强人才保障。", Style.CHINESE_PAREN, 22, "加强人才保障。"),
        ("1. 深入挖掘沂蒙精神", Style.ARABIC, 1, "深入挖掘沂蒙精神"),
        ("53. 加强两地人才服务合作", Style.ARABIC, 53, "加强两地人才服务合作"),
        ("7．全角句点", Style.ARABIC, 7, "全角句点"),
        ("8、顿号编号", Style.ARABIC, 8, "顿号编号"),
        ("９﹒小句点编号", Style.ARABIC, 9, "小句点编号"),
        ("１２．全角数字", Style.ARABIC, 12, "全角数字"),
        ("(一)没有句号的项目", Style.CHINESE_PAREN, 1, "没有句号的项目"),
        ("（3）括号数字", Style.ARABIC_PAREN, 3, "括号数字"),
        ("(12) 半角括号数字", Style.ARABIC_PAREN, 12, "半角括号数字"),
        ("②圈码", Style.CIRCLED, 2, "圈码"),
        ("三是加强督查", Style.CHINESE_SHI, 3, "加强督查"),
        ("第二部分 重点任务", Style.PART, 2, "重点任务"),
        ("一、2024年主要预期目标", Style.CHINESE, 1, "2024年主要预期目标"),  # a year after 一、 is a title
        ("　　二、办好民生实事", Style.CHINESE, 2, "办好民生实事"),  # full-width indentation
    ],
)
def test_classify_styles(line: str, style: Style, number: int, title: str) -> None:
    numbered = classify(line)
    assert numbered is not None
    assert (numbered.style, numbered.number) == (style, number)
    assert line[numbered.body_offset :] == title


@pytest.mark.parametrize(
    "line",
    [
        "固拓展脱贫攻坚成果与乡村振兴有效衔接的特色产业基地。（临沂市乡村振兴局负责）",
        "1.5亿元资金用于协作帮扶",  # a wrapped line that starts with a decimal is not item 1
        "2023 年 6 月 29 日",
        "(此件公开发布)",
        "(责任单位：两市市委组织部、市委宣传部)",
        "单位：两市教育局)",
        "（GEP）核算成果",
        "---",
        "# 贯彻落实《济南—临沂对口合作实施方案》 重点任务分工方案",
        "",
        "一是",  # a point needs words after it
        "2023年完成10个项目",
    ],
)
def test_running_text_has_no_numbering(line: str) -> None:
    assert classify(line) is None


@pytest.mark.parametrize(
    ("line", "content"),
    [
        ("#### **四、推动绿色低碳发展**", "四、推动绿色低碳发展"),
        ("## 一、弘扬传承红色文化  ", "一、弘扬传承红色文化"),
        ("__（一）加粗__", "（一）加粗"),
        ("正文不变", "正文不变"),
    ],
)
def test_strip_decoration(line: str, content: str) -> None:
    stripped, start = strip_decoration(line)
    assert stripped == content
    assert line[start:].startswith(content)


def test_styles_rank_in_the_conventional_order() -> None:
    assert Style.CHINESE < Style.CHINESE_PAREN < Style.ARABIC < Style.ARABIC_PAREN < Style.CHINESE_SHI


@pytest.mark.parametrize(("cell", "value"), [("3", 3), ("３", 3), ("（3）", 3), ("3.", 3), ("十二", 12), ("③", 3), ("", None), ("甲", None)])
def test_number_value_reads_a_table_s_number_cell(cell: str, value: int | None) -> None:
    assert number_value(cell) == value
