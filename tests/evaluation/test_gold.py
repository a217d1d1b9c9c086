"""The gold question set: the shipped file, the loader's errors, the validator's checks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import corpus as corpus_package
from corpus import ClauseQAError, Corpus, load_corpus
from evaluation.gold import (
    DEFAULT_GOLD,
    QUESTION_TYPES,
    SPLITS,
    STYLES,
    GoldFormatError,
    GoldQuestion,
    load_gold,
    validate_gold,
)

CORPUS_DIR = Path(corpus_package.__file__).resolve().parent


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def shipped() -> list[GoldQuestion]:
    return load_gold(DEFAULT_GOLD)


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def record(**changes: Any) -> dict[str, Any]:
    """A valid responsibility question, with some fields changed."""
    base: dict[str, Any] = {
        "id": "q1",
        "question": "中欧班列的事由哪些部门负责？",
        "gold": ["2023分工方案-18", "2023工作要点-14"],
        "keywords": ["齐鲁号中欧班列集结中心"],
        "type": "responsibility",
        "style": "paraphrase",
        "split": "dev",
        "history": [],
        "units": ["济南市交通运输局", "临沂市交通运输局"],
    }
    return base | changes


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_gold_loads_and_validates(shipped: list[GoldQuestion], corpus: Corpus) -> None:
    assert validate_gold(shipped, corpus) == []


def test_shipped_gold_meets_the_issue_counts(shipped: list[GoldQuestion]) -> None:
    total = len(shipped)
    count = Counter(q.type for q in shipped) + Counter(q.style for q in shipped)
    assert total >= 300
    assert count["unanswerable"] >= 0.15 * total
    assert count["paraphrase"] + count["synonym"] >= 0.5 * total  # a synonym question is a paraphrase
    # issue 11: questions written blind to the clause text
    assert count["synonym"] >= 40
    assert count["section-list"] >= 10
    assert count["keyword"] >= 15 + 48  # the 48 keyword questions of the first set, and new ones


def test_every_style_is_in_both_splits(shipped: list[GoldQuestion]) -> None:
    present = Counter((q.style, q.split) for q in shipped)
    assert [(t, s) for t in STYLES for s in SPLITS if not present[(t, s)]] == []


def test_no_gold_clause_set_is_in_both_splits(shipped: list[GoldQuestion]) -> None:
    """The split is by fact: the same answer set never appears on both sides (rewordings stay together)."""
    splits: dict[frozenset[str], set[str]] = {}
    for q in shipped:
        if q.gold:
            splits.setdefault(frozenset(q.gold), set()).add(q.split)
    assert sorted(sorted(gold) for gold, sides in splits.items() if len(sides) > 1) == []


def test_every_type_is_in_both_splits(shipped: list[GoldQuestion]) -> None:
    present = Counter((q.type, q.split) for q in shipped)
    missing = [(t, s) for t in QUESTION_TYPES for s in SPLITS if not present[(t, s)]]
    assert missing == []


def test_test_split_is_about_forty_percent_of_each_type(shipped: list[GoldQuestion]) -> None:
    for question_type in QUESTION_TYPES:
        of_type = [q for q in shipped if q.type == question_type]
        share = sum(q.split == "test" for q in of_type) / len(of_type)
        assert 0.3 <= share <= 0.5, question_type


# --- the validator, one problem kind at a time -------------------------------------------------


def test_a_sound_record_has_no_problems(tmp_path: Path, corpus: Corpus) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", [record()])
    assert validate_gold(load_gold(path), corpus) == []


SECTION_LIST = record(
    type="section-list",
    question="“推进医疗服务高效协同”包括哪些措施？",
    gold=["2023分工方案-41", "2023分工方案-42"],
    keywords=["医联体", "异地就医直接结算"],
    units=[],
)

UNIT_LIST = record(
    type="unit-list",
    question="临沂市医保局有哪些任务？",
    gold=["2023分工方案-42", "2023工作要点-37"],
    keywords=["医保局"],
    units=["临沂市医保局"],
)

BAD = {
    "unknown clause id": ([record(gold=["2023分工方案-18", "2023分工方案-99"])], "unknown clause id '2023分工方案-99'"),
    "clause listed twice": ([record(gold=["2023分工方案-18", "2023分工方案-18"])], "listed twice"),
    "keyword not verbatim": ([record(keywords=["中欧班列集结站"])], "not verbatim in any of its gold clauses"),
    "empty keyword": ([record(keywords=[" "])], "empty keyword"),
    "no keywords": ([record(keywords=[])], "needs 1 to 4 keywords, has 0"),
    "too many keywords": ([record(keywords=["中欧班列"] * 5)], "needs 1 to 4 keywords, has 5"),
    "duplicate id": ([record(), record(question="中欧班列 牵头单位")], "q1: duplicate id"),
    "duplicate question after normalise": (
        [record(), record(id="q2", question="中欧班列的事由哪些部门负责 ?")],
        "q2: duplicate of question q1",
    ),
    "answerable without gold": ([record(gold=[], keywords=[], units=[])], "answerable (responsibility)"),
    "unanswerable with gold": (
        [record(type="unanswerable", keywords=[], units=[])],
        "unanswerable question with gold clauses",
    ),
    "unanswerable with keywords": (
        [record(type="unanswerable", gold=[], units=[])],
        "unanswerable question with keywords",
    ),
    "follow-up without history": ([record(type="follow-up")], "follow-up question without history"),
    "history on another type": ([record(history=["中欧班列在哪条？"])], "history given but type is"),
    "unit not in the corpus": ([record(units=["济南市交通局"])], "'济南市交通局' is not a responsible unit"),
    "unit not responsible for the gold": (
        [record(units=["济南市教育局"])],
        "'济南市教育局' is responsible for none of its gold clauses",
    ),
    "unit-list missing a clause": ([UNIT_LIST | {"gold": ["2023分工方案-42"]}], "missing: 2023工作要点-37; extra: -"),
    "unit-list without units": ([UNIT_LIST | {"units": []}], "unit-list question without the units"),
    "section-list missing a clause of the section it names": (
        [SECTION_LIST | {"gold": ["2023分工方案-41"], "keywords": ["医联体"]}],
        "every clause of section '推进医疗服务高效协同' (missing: 2023分工方案-42)",
    ),
    "bad type": ([record(type="who")], "type 'who' is not one of"),
    "bad style": ([record(style="casual")], "style 'casual' is not one of"),
    "bad split": ([record(split="train")], "split 'train' is not one of"),
    "empty question": ([record(question="  ")], "empty question"),
}


@pytest.mark.parametrize("records, expected", BAD.values(), ids=BAD.keys())
def test_validator_reports(records: list[dict[str, Any]], expected: str, tmp_path: Path, corpus: Corpus) -> None:
    problems = validate_gold(load_gold(write_jsonl(tmp_path / "gold.jsonl", records)), corpus)
    assert any(expected in p for p in problems), problems


def test_a_sound_section_list_passes_and_may_hold_more(tmp_path: Path, corpus: Corpus) -> None:
    wider = SECTION_LIST | {"id": "q2", "question": "看病就医方面有哪些措施？", "style": "synonym",
                            "gold": ["2023分工方案-41", "2023分工方案-42", "2023工作要点-36", "2023工作要点-37"]}
    # A heading named in a question of another type is not checked: only section-list is exhaustive.
    topic = record(id="q3", type="which-task", question="“推进医疗服务高效协同”里讲远程诊疗的是哪条？",
                   gold=["2023分工方案-41"], keywords=["远程诊疗"], units=[])
    path = write_jsonl(tmp_path / "gold.jsonl", [SECTION_LIST, wider, topic])
    assert validate_gold(load_gold(path), corpus) == []


def test_a_sound_unit_list_and_follow_up_pass(tmp_path: Path, corpus: Corpus) -> None:
    follow_up = record(id="q2", type="follow-up", question="谁牵头？", gold=["2023分工方案-17"], keywords=["机场"],
                       history=["飞机场改扩建在哪条里提到？"])
    # The same short follow-up in another conversation is not a duplicate.
    other = follow_up | {"id": "q3", "history": ["红色文化主题月在哪条？"], "gold": ["2023分工方案-1"],
                         "keywords": ["红色文化主题月"], "units": ["济南市委宣传部"]}
    path = write_jsonl(tmp_path / "gold.jsonl", [UNIT_LIST, follow_up, other])
    assert validate_gold(load_gold(path), corpus) == []


# --- the loader ---------------------------------------------------------------------------------


def test_load_gold_reads_every_field(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", [record(history=["上一句"])])
    (question,) = load_gold(path)
    assert question == GoldQuestion(
        id="q1",
        question="中欧班列的事由哪些部门负责？",
        gold=("2023分工方案-18", "2023工作要点-14"),
        keywords=("齐鲁号中欧班列集结中心",),
        type="responsibility",
        style="paraphrase",
        split="dev",
        history=("上一句",),
        units=("济南市交通运输局", "临沂市交通运输局"),
    )


def test_optional_fields_default_to_empty_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    minimal = {k: v for k, v in record().items() if k not in ("history", "units")}
    path = tmp_path / "gold.jsonl"
    path.write_text("\n" + json.dumps(minimal, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (question,) = load_gold(path)
    assert question.history == () and question.units == ()


def test_a_line_separator_inside_a_string_does_not_split_the_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", [record(question="中欧班列\u2028谁负责？")])
    assert load_gold(path)[0].question == "中欧班列\u2028谁负责？"


BROKEN = {
    "not json": ('{"id": "q2", "question": ', "not valid JSON"),
    "not an object": ('["q2"]', "expected a JSON object, got list"),
    "missing field": (json.dumps({k: v for k, v in record(id="q2").items() if k != "keywords"}),
                      "missing field 'keywords'"),
    "wrong type": (json.dumps(record(id="q2", gold="2023分工方案-18"), ensure_ascii=False),
                   "field 'gold' must be a list of strings"),
    "non-string item": (json.dumps(record(id="q2", units=[1]), ensure_ascii=False),
                        "field 'units' must be a list of strings"),
    "unknown field": (json.dumps(record(id="q2", unit=["济南市教育局"]), ensure_ascii=False),
                      "unknown field(s) unit"),
}


@pytest.mark.parametrize("line, expected", BROKEN.values(), ids=BROKEN.keys())
def test_load_gold_names_file_and_line(line: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "mine.jsonl"
    good = json.dumps(record(), ensure_ascii=False)
    path.write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}:3: ")
    assert expected in str(caught.value)
    assert isinstance(caught.value, ClauseQAError)
    assert caught.value.line == 3


def test_load_gold_reports_a_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="no such file"):
        load_gold(tmp_path / "absent.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes("{\"question\": \"caf\u00e9\"}\n".encode("latin-1"))
    with pytest.raises(GoldFormatError, match="not UTF-8"):
        load_gold(latin)


LAYOUT_GOLD = DEFAULT_GOLD.with_name("gold-layouts.jsonl")
# The layout test documents the layout gold set is written on (dev on the first three, test on the others).
LAYOUT_GOLD_DOCUMENTS = (
    "qinghe-2024-trailing.txt", "luting-2023-tab-table.txt", "lanyu-2025-unit-sections.txt",
    "beitang-2024-labelled-lines.txt", "jiangzhu-2024-yishi.txt", "fengdu-2024-cell-lines.txt",
    "xiaotang-2024-paren-items.txt",
)


def test_the_layout_gold_validates_on_its_seven_documents(layout_corpus) -> None:
    """Several plans name a unit the same way (区财政局 in two districts): the directory lists it once per
    place (区财政局（江渚区）), and the gold names it as its clauses print it."""
    seven = layout_corpus(*LAYOUT_GOLD_DOCUMENTS)
    gold = load_gold(LAYOUT_GOLD)
    assert validate_gold(gold, seven) == []
    assert {q.split for q in gold} == {"dev", "test"}
    assert not {tuple(sorted(q.gold)) for q in gold if q.split == "dev" and q.gold} & {
        tuple(sorted(q.gold)) for q in gold if q.split == "test" and q.gold}
    assert "区财政局" not in seven.units and "区财政局（江渚区）" in seven.units


BLIND_GOLD = DEFAULT_GOLD.with_name("gold-layouts-blind.jsonl")
BLIND_GOLD_DOCUMENTS = (
    "fenglin-2024-notice.txt", "weiwan-2019-hard-wrap.txt", "yunchuan-2023-segments.txt",
    "yunchuan-2024-segments.txt", "meigang-2023-labelled-lines.md", "lvting-2024-aligned-table.txt",
    "baisha-2024-halfwidth.txt",
)


def test_the_blind_layout_gold_validates_on_its_seven_documents(layout_corpus) -> None:
    """A held-out set only: every question is test, none shares a document with the other layout gold."""
    gold = load_gold(BLIND_GOLD)
    assert validate_gold(gold, layout_corpus(*BLIND_GOLD_DOCUMENTS)) == []
    assert {q.split for q in gold} == {"test"} and len(gold) >= 30
    assert not set(BLIND_GOLD_DOCUMENTS) & set(LAYOUT_GOLD_DOCUMENTS)


def _makefile_list(name: str) -> tuple[str, ...]:
    """A document list of the Makefile's calibrate target (the documents `make calibrate` copies)."""
    text = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(row for row in text.splitlines() if row.startswith(f"{name} :="))
    return tuple(line.split(":=", 1)[1].split())


def test_the_layout_gold_calibrates_on_its_own_test_documents() -> None:
    assert tuple(f"{stem}.txt" for stem in _makefile_list("LAYOUT_GOLD_DOCS")) == LAYOUT_GOLD_DOCUMENTS


_DEV_SETS = (("LAYOUT_DEV_DOCS", "gold-layouts-dev.jsonl"), ("LAYOUT_DEV2_DOCS", "gold-layouts-dev2.jsonl"),
             ("LAYOUT_DEV3_DOCS", "gold-layouts-dev3.jsonl"), ("LAYOUT_DEV4_DOCS", "gold-layouts-dev4.jsonl"))


@pytest.mark.parametrize("documents, gold_file", _DEV_SETS)
def test_the_calibration_corpora_are_the_ones_the_layout_gold_validates_on(layout_corpus, documents, gold_file) -> None:
    """`make calibrate` fits on the dev questions of gold-layouts.jsonl and of the four layout dev sets, each on
    its own documents; none of them is a document of the held-out blind set or of another set."""
    listed = _makefile_list(documents)
    gold = load_gold(DEFAULT_GOLD.with_name(gold_file))
    assert validate_gold(gold, layout_corpus(*listed)) == []
    assert {q.split for q in gold} == {"dev"} and len(gold) >= 55
    others = {d for name, _ in _DEV_SETS if name != documents for d in _makefile_list(name)}
    assert not set(listed) & (set(BLIND_GOLD_DOCUMENTS) | set(LAYOUT_GOLD_DOCUMENTS) | others)
