from __future__ import annotations

import pytest

from corpus import Corpus
from index.tokenizer import ChineseTokenizer, unit_words


@pytest.fixture(scope="module")
def tokenizer(seed_corpus: Corpus) -> ChineseTokenizer:
    return ChineseTokenizer.for_corpus(seed_corpus)


def test_sub_words_come_out_so_airport_matches_inside_a_longer_word(tokenizer: ChineseTokenizer) -> None:
    assert "机场" in tokenizer.tokenize("飞机场")
    assert "机场" in tokenizer.tokenize("济南遥墙国际机场二期改扩建")


def test_plain_jieba_words_miss_the_sub_word(seed_corpus: Corpus) -> None:
    """Why the default is not jieba.lcut: 飞机场 stays one token."""
    assert "机场" not in ChineseTokenizer(unit_words(seed_corpus), mode="words").tokenize("飞机场")


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("两市市委宣传部牵头", "市委宣传部"),
        ("临沂商城管委会负责", "临沂商城管委会"),
        ("两市发展改革委分工负责", "发展改革委"),
        ("发改委牵头", "发改委"),
        ("济南市教育局负责哪些任务", "济南市教育局"),
        ("临沂市铁路民航事业发展中心", "临沂市铁路民航事业发展中心"),
    ],
)
def test_unit_names_stay_whole(tokenizer: ChineseTokenizer, text: str, whole: str) -> None:
    assert whole in tokenizer.tokenize(text)


def test_unit_words_come_from_the_parsed_responsibility(seed_corpus: Corpus) -> None:
    words = unit_words(seed_corpus)
    assert set(seed_corpus.units) <= set(words)  # full names
    assert {"市委宣传部", "文化和旅游局", "临沂商城管委会"} <= set(words)  # as printed in the parentheses
    assert not {"牵头", "负责", "两市", ""} & set(words)


def test_full_and_half_width_tokenise_alike(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.tokenize("ＡＢＣ５Ｇ示范应用（试点）") == tokenizer.tokenize("abc5g示范应用(试点)")


def test_whitespace_and_punctuation_are_not_tokens(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("机场， 建设。“红色”？！ ……")
    assert tokens
    assert all(any(ch.isalnum() for ch in t) for t in tokens)
    assert tokenizer.tokenize(" ，。！") == []


def test_each_span_counts_once(tokenizer: ChineseTokenizer) -> None:
    """A two-character word is also a bigram of the same span: it must not count twice."""
    assert tokenizer.tokenize("机场").count("机场") == 1
    assert tokenizer.tokenize("机场机场").count("机场") == 2


def test_the_private_instance_leaves_global_jieba_alone(tokenizer: ChineseTokenizer) -> None:
    import jieba

    assert "临沂商城管委会" not in jieba.dt.FREQ


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tokenizer mode"):
        ChineseTokenizer((), mode="chars")  # type: ignore[arg-type]
