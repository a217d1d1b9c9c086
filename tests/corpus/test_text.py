"""corpus/text.py: layout repair (with its offset map) and the matching form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.text import is_cjk, normalise, repair_layout

# The documented width mapping: half-width punctuation next to Chinese is printed full-width.
FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
MARKDOWN = ("**", "__")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        # A page break splits a word or a line: closed without a trace.
        ("培育一批助力巩\n\n固拓展脱贫攻坚成果", "培育一批助力巩固拓展脱贫攻坚成果"),
        ("支持和引导临沂特色农产品在济销\n\n售。", "支持和引导临沂特色农产品在济销售。"),
        ("临沂市沂河新区管委会分\n\n工负责)", "临沂市沂河新区管委会分工负责）"),
        ("（责任\n\n单位：两市教育局)", "（责任单位：两市教育局）"),
        ("蒙山丰收节等活动。  \n(责任单位：蒙阴县政府)", "蒙山丰收节等活动。（责任单位：蒙阴县政府）"),
        ("协同打造“集约、高\r\n\r\n效、绿色", "协同打造“集约、高效、绿色"),
        # Markdown heading and bold marks are not words.
        ("#### **四、推动绿色低碳发展**", "四、推动绿色低碳发展"),
        ("##### **（九）加强生态保护和修复。**", "（九）加强生态保护和修复。"),
        ("第一行\n## 第二行", "第一行第二行"),
        ("编号#3不是标题", "编号#3不是标题"),
        # Half-width brackets next to Chinese become full-width; the space after them goes.
        ("(十四) 强化“双创”协同合作。", "（十四）强化“双创”协同合作。"),
        ("标准制(修)订", "标准制（修）订"),
        ("推进工作。 (两市教育局负责)", "推进工作。（两市教育局负责）"),
        ("see (note) here", "see (note) here"),
        # Spaces around numbers and Latin words are the source's own: kept (collapsed).
        ("授课不少于 2 次", "授课不少于 2 次"),
        ("开展 5G  示范应用", "开展 5G 示范应用"),
        ("中职“3+2”对口", "中职“3+2”对口"),
        ("2023 年 6 月 29 日", "2023 年 6 月 29 日"),
        ("Internet\nof things", "Internet of things"),
        ("见习岗位20\n00个", "见习岗位2000个"),  # a number wrapped onto the next line is one number
        ("济南市人民政府办公厅\u00a0\u00a0临沂市", "济南市人民政府办公厅临沂市"),
        ("  \n\n  ", ""),
    ],
)
def test_repair_layout_artefacts(raw: str, text: str) -> None:
    assert repair_layout(raw).text == text


def test_offsets_point_into_the_source_from_base() -> None:
    raw = "巩\n\n固拓展(两市)"
    repaired = repair_layout(raw, base=100)
    assert repaired.text == "巩固拓展（两市）"
    assert repaired.offsets == (100, 103, 104, 105, 106, 107, 108, 109)
    assert repaired.source_span(0, 2) == (100, 104)  # "巩固" spans the page break in the source
    assert repaired.source_span(4, 8) == (106, 110)
    with pytest.raises(ValueError, match="outside"):
        repaired.source_span(3, 3)
    with pytest.raises(ValueError, match="outside"):
        repaired.source_span(0, 9)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("（两市）教育局", "(两市)教育局"),
        ("ＧＥＰ核算 ２０名", "gep核算20名"),
        ("不少于 2 次\n", "不少于2次"),
        ("5G示范", "5g示范"),
        ("生態產品總值（GEP）", "生态产品总值(gep)"),  # traditional script read as simplified; an acronym stays
        ("優（yōu）化營商環境", "优化营商环境"),  # a mirror site's pinyin dropped
        ("显著 后来 发展", "显著后来发展"),  # simplified text keeps its characters
    ],
)
def test_normalise_is_nfkc_lower_case_without_whitespace(text: str, form: str) -> None:
    assert normalise(text) == form


def test_is_cjk() -> None:
    assert all(is_cjk(c) for c in "中（）。、“”—…·\u3000ＡＢ")
    assert not any(is_cjk(c) for c in "a1()., \n")
    assert not is_cjk("")


# --- properties -----------------------------------------------------------------------------------

# Document-like text: Han, Chinese and half-width punctuation, Latin, digits, every kind of whitespace.
DOCUMENT_CHARS = st.sampled_from(
    list("两市教育局负责牵头巩固拓展“”（），。、：；—《》")
    + list(FULL_WIDTH)
    + list("aZ05G+-./%")
    + [" ", " ", "\t", "\n", "\n", "\r", "\f", "\u3000", "\u00a0"]
)
WHITESPACE = st.text(st.sampled_from([" ", "\t", "\n", "\r", "\f", "\u3000", "\u00a0", "\u2028"]))


def _kept_from_source(raw: str, char: str, offset: int) -> bool:
    source_char = raw[offset]
    if char == " ":
        return source_char.isspace()
    return char in (source_char, FULL_WIDTH.get(source_char))


@settings(max_examples=300, deadline=None)
@given(raw=st.text(max_size=80), base=st.integers(min_value=0, max_value=10_000))
def test_repair_layout_maps_every_character_back_to_the_source(raw: str, base: int) -> None:
    repaired = repair_layout(raw, base)
    assert len(repaired.offsets) == len(repaired.text)
    assert all(a < b for a, b in zip(repaired.offsets, repaired.offsets[1:]))
    for char, offset in zip(repaired.text, repaired.offsets, strict=True):
        assert base <= offset < base + len(raw)
        assert _kept_from_source(raw, char, offset - base)


@settings(max_examples=100, deadline=None)
@given(raw=WHITESPACE)
def test_whitespace_only_input_gives_nothing(raw: str) -> None:
    assert repair_layout(raw).text == ""
    assert repair_layout(raw).offsets == ()


@settings(max_examples=300, deadline=None)
@given(raw=st.text(DOCUMENT_CHARS, max_size=60))
def test_repair_layout_drops_only_whitespace_and_is_stable(raw: str) -> None:
    text = repair_layout(raw).text
    # Nothing but layout goes: the non-space characters survive, in order, up to the width mapping.
    words = [FULL_WIDTH.get(c, c) for c in raw if not c.isspace()]
    assert [FULL_WIDTH.get(c, c) for c in text if c != " "] == words
    # Layout is fully repaired: no line breaks, no edge spaces, no space between two Chinese characters.
    assert text == text.strip() and "\n" not in text and "  " not in text
    for i, char in enumerate(text):
        if char == " ":
            assert not (is_cjk(text[i - 1]) and is_cjk(text[i + 1])), text
    # Repairing repaired text changes nothing.
    assert repair_layout(text).text == text


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.text(st.sampled_from(list("两市教育局负责")), min_size=1, max_size=5), min_size=1))
def test_page_breaks_and_bold_marks_between_chinese_words_vanish(words: list[str]) -> None:
    raw = "**" + "\n\n".join(words) + "**"
    repaired = repair_layout(raw)
    assert repaired.text == "".join(words)
    assert all(raw[o] != "*" and not raw[o].isspace() for o in repaired.offsets)
    assert not any(mark in repaired.text for mark in MARKDOWN)
