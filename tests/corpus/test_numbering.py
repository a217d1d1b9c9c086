"""corpus/numbering.py: the three numbering levels, whatever the heading style."""

from __future__ import annotations

import pytest

from corpus.numbering import Level, chinese_numeral, classify, strip_decoration


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
    ("line", "level", "number", "title"),
    [
        # Every heading style of the seed.
        ("## 一、弘扬传承红色文化", Level.SECTION, 1, "弘扬传承红色文化"),
        ("### 三、完善基础设施网络", Level.SECTION, 3, "完善基础设施网络"),
        ("#### **四、推动绿色低碳发展**", Level.SECTION, 4, "推动绿色低碳发展**"),
        ("## **七、提升公共服务水平**", Level.SECTION, 7, "提升公共服务水平**"),
        ("### （一）传承践行红色精神。", Level.SUBSECTION, 1, "传承践行红色精神。"),
        ("## （二）保护利用烈士纪念设施和革命文物。", Level.SUBSECTION, 2, "保护利用烈士纪念设施和革命文物。"),
        ("#### （五）积极培育优质农产品。", Level.SUBSECTION, 5, "积极培育优质农产品。"),
        ("（八）完善新型基础设施布局。", Level.SUBSECTION, 8, "完善新型基础设施布局。"),
        ("##### **（九）加强生态保护和修复。**", Level.SUBSECTION, 9, "加强生态保护和修复。**"),
        ("(十四) 强化“双创”协同合作。", Level.SUBSECTION, 14, "强化“双创”协同合作。"),
        ("### **(十七) 推进医疗服务高效协同。**", Level.SUBSECTION, 17, "推进医疗服务高效协同。**"),
        ("#### （二十二）加强人才保障。", Level.SUBSECTION, 22, "加强人才保障。"),
        ("1. 深入挖掘沂蒙精神", Level.ITEM, 1, "深入挖掘沂蒙精神"),
        ("53. 加强两地人才服务合作", Level.ITEM, 53, "加强两地人才服务合作"),
        ("7．全角句点", Level.ITEM, 7, "全角句点"),
        ("8、顿号编号", Level.ITEM, 8, "顿号编号"),
    ],
)
def test_classify_levels(line: str, level: Level, number: int, title: str) -> None:
    numbered = classify(line)
    assert numbered is not None
    assert (numbered.level, numbered.number) == (level, number)
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
