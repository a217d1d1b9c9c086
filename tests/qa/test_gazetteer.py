"""Places a question names that the documents never mention (qa/gazetteer.py), on jieba's own dictionary."""

from __future__ import annotations

import pytest

from corpus.text import normalise
from index.tokenizer import ChineseTokenizer, dictionary_places
from qa.gazetteer import Gazetteer

MENTIONED = normalise("2024—2026年，支持澜屿县与青禾区开展结对合作，共建山东半岛物流通道重点项目。责任单位：澜屿县商务局")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    tokenizer = ChineseTokenizer(["澜屿县商务局"])
    return Gazetteer(MENTIONED, tokenizer.words, dictionary_places(), ["澜屿县商务局"], tokenizer.known)


@pytest.mark.parametrize(("question", "absent"), [
    ("澜屿县和甘肃的协作怎么安排？", ("甘肃",)),  # a province by its short name
    ("新疆维吾尔自治区有哪些项目？", ("新疆维吾尔自治区",)),  # named as the question writes it
    ("青岛市和平阴县谁牵头？", ("青岛市", "平阴县")),  # a dictionary place with its suffix
    ("山东省的物流通道谁负责？", ()),  # mentioned without its suffix (山东半岛)
    ("澜屿县商务局负责哪些任务？", ()),  # a unit name stays whole: its place is not a word of its own
    ("新建的园区有几个？", ()),  # 新建 is a place to jieba, but bare and not a province
    ("老城区改造谁负责？", ()),  # 老城 is no place name
    ("2022年完成了几项？2025年呢？", ("2022年",)),  # 2025 is inside the span 2024—2026年
    ("2023年甘肃省有什么安排？", ("2023年", "甘肃省")),
    ("岚溪县负责哪些任务？", ("岚溪县",)),  # no dictionary's place, named first: an unknown county
    ("澜屿县和兰陵县谁牵头？", ("兰陵县",)),  # jieba's 兰陵 + 县: one place, two words
    ("花桥镇有哪些任务？", ("花桥镇",)),  # a town
    ("桃源街道有什么任务？", ("桃源街道",)),  # a street office's area: 桃源 is no dictionary place, still a name
    ("重点镇建设谁负责？", ()),  # 重点 is a word of the documents (重点项目): mentioned, so no unknown town
    ("乡镇卫生院谁负责？", ()),  # towns in general
    ("城镇老旧小区改造谁负责？", ()),
    ("岚溪县和澜屿县谁牵头？", ("岚溪县",)),
    ("澜屿县负责哪些任务？", ()),  # mentioned
    ("在莒县有什么安排？", ()),  # 在 + 莒县: no place 在莒县
    ("各区县有哪些任务？", ()),  # a reference to places, not a name
    ("两市县怎么分工？", ()),
    ("本县负责什么？", ()),
    ("经济区有哪些项目？", ()),  # a kind of area
    ("主城区改造谁负责？", ()),
    ("对口县有哪些？", ()),  # 对口 is a dictionary word
    ("贫困县怎么帮扶？", ()),
])
def test_places_the_documents_never_mention(gazetteer: Gazetteer, question: str, absent: tuple[str, ...]) -> None:
    assert gazetteer.absent(normalise(question)) == absent


@pytest.mark.parametrize(("question", "unmentioned"), [
    ("区教育局负责哪些任务？", ("区教育局",)),  # 区 + 教育局: one name over two of the segmenter's words
    ("城投集团的总经理是谁？", ("城投集团",)),
    ("澜屿县商务局负责哪些任务？", ()),  # the documents name it
    ("商务局负责哪些任务？", ()),  # part of a unit they name
    ("物流通道的事谁负责？", ()),  # no department named
    ("一网通办谁负责？", ()),  # a way of serving, not an office
    ("红色文化主题月什么时候办？", ()),  # 时候 asks when: 时候办 is no office
    ("青岛市商务局负责哪些任务？", ("青岛市商务局",)),  # another place's 商务局: not 澜屿县商务局
    ("市退役军人事务局负责什么？", ("市退役军人事务局",)),  # 事务局 names no office alone
    ("区文旅局有哪些任务？", ("区文旅局",)),  # jieba cuts it 区文 + 旅局
])
def test_departments_the_documents_never_mention(
    gazetteer: Gazetteer, question: str, unmentioned: tuple[str, ...]
) -> None:
    assert gazetteer.unmentioned_units(normalise(question)) == unmentioned


@pytest.mark.parametrize(("question", "unknown"), [
    ("区体育局负责哪些任务？", ("区体育局",)),  # no unit holds 体育
    ("县商务局负责哪些任务？", ()),  # named as a unit the documents have (澜屿县商务局)
    ("区商局负责哪些任务？", ()),  # unmentioned, but 商 could be short for 商务局: not known to be another office
    ("青岛市商务局负责哪些任务？", ("青岛市商务局",)),
])
def test_offices_no_unit_could_be_short_for(gazetteer: Gazetteer, question: str, unknown: tuple[str, ...]) -> None:
    assert gazetteer.unknown_offices(normalise(question)) == unknown
