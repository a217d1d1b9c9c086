"""corpus/loader.py: every document of a corpus folder in one Corpus, ids unique across files."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus import Corpus, CorpusError, UnknownClause, load_corpus
from corpus.errors import UnknownDocument

SEED_FILE = "jinan-linyi-2023.txt"
MakeDocument = Callable[..., str]  # the make_document fixture of tests/corpus/conftest.py


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def test_seed_corpus_shape(seed_corpus: Corpus, seed_dir: Path) -> None:
    (source,) = seed_corpus.files
    assert source.name == SEED_FILE
    assert source.sha256 == hashlib.sha256((seed_dir / SEED_FILE).read_bytes()).hexdigest()
    assert [d.short_name for d in seed_corpus.documents] == ["分工方案", "工作要点"]
    assert [d.document_id for d in seed_corpus.documents] == ["2023分工方案", "2023工作要点"]
    assert source.format == "txt" and seed_corpus.unreadable == ()
    assert len(seed_corpus.clauses) == 96
    assert len(seed_corpus.fingerprint) == 64


def test_clause_lookup(seed_corpus: Corpus) -> None:
    assert seed_corpus.clause("2023分工方案-12").number == 12
    assert "2023工作要点-43" in seed_corpus and "2023工作要点-44" not in seed_corpus and 12 not in seed_corpus
    with pytest.raises(UnknownClause) as caught:
        seed_corpus.clause("2023工作要点-44")
    assert str(caught.value) == "no clause has the id '2023工作要点-44'"
    assert isinstance(caught.value, KeyError)


def test_a_passage_is_found_by_id_but_is_no_task(seed_corpus: Corpus) -> None:
    passage = seed_corpus.clause("2023工作要点-p1")
    assert passage.kind == "passage" and passage not in seed_corpus.clauses and passage in seed_corpus.citable
    assert seed_corpus.neighbours("2023分工方案-p2") == ("2023分工方案-p1", "2023分工方案-p3")


def test_markers_resolve_to_clause_ids(seed_corpus: Corpus) -> None:
    text = "见〔2023分工方案第18条〕和〔2023工作要点第14条〕，前言〔2023分工方案·说明2〕，〔2023分工方案第99条〕不存在。"
    assert seed_corpus.resolve_marker(text) == ["2023分工方案-18", "2023工作要点-14", "2023分工方案-p2"]
    # An older answer's marker names the document by its short name: unambiguous, so it resolves.
    assert seed_corpus.resolve_marker("〔分工方案第18条〕") == ["2023分工方案-18"]


def test_title_and_places_come_from_the_documents(seed_corpus: Corpus) -> None:
    assert seed_corpus.title == "济南—临沂对口合作"
    assert seed_corpus.places == ("济南市", "临沂市")


def test_neighbours_stay_inside_a_document(seed_corpus: Corpus) -> None:
    assert seed_corpus.neighbours("2023分工方案-1") == (None, "2023分工方案-2")
    assert seed_corpus.neighbours("2023分工方案-53") == ("2023分工方案-52", None)
    assert seed_corpus.neighbours("2023工作要点-1") == (None, "2023工作要点-2")
    assert seed_corpus.neighbours("2023工作要点-20") == ("2023工作要点-19", "2023工作要点-21")
    with pytest.raises(UnknownClause):
        seed_corpus.neighbours("2023分工方案-54")


def test_for_unit_lists_lead_clauses_first(seed_corpus: Corpus) -> None:
    ids = [c.clause_id for c in seed_corpus.for_unit("济南市教育局")]
    assert ids[:2] == ["2023分工方案-37", "2023分工方案-40"]
    assert len(ids) == 8
    assert seed_corpus.for_unit("不存在的单位") == []


def test_a_new_document_dropped_into_the_corpus_parses(
    seed_dir: Path, corpus_dir: Path, good_document: str
) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    (corpus_dir / "jinan-linyi-2024.txt").write_text(good_document, encoding="utf-8")
    loaded = load_corpus(corpus_dir)
    assert [f.name for f in loaded.files] == [SEED_FILE, "jinan-linyi-2024.txt"]
    assert len(loaded.clauses) == 96 + 5
    assert len({c.clause_id for c in loaded.clauses}) == 101
    assert loaded.clause("任务清单-1").source == "jinan-linyi-2024.txt"
    # Issued by 济南 alone: its 两市 names no two places and stays as printed, grouped under 济南市.
    assert "任务清单-2" in loaded.units["两市文化和旅游局"].clause_ids
    assert loaded.units["两市文化和旅游局"].group == "济南市"


def test_fingerprint_follows_the_files(seed_dir: Path, corpus_dir: Path, seed_corpus: Corpus) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    assert load_corpus(corpus_dir).fingerprint == seed_corpus.fingerprint
    path = corpus_dir / SEED_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_corpus(corpus_dir).fingerprint != seed_corpus.fingerprint


def test_a_next_years_document_with_the_same_short_name_gets_its_own_id(
    seed_dir: Path, corpus_dir: Path, make_document: MakeDocument
) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    text = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）", title="济南—临沂对口合作 2024 年工作要点")
    (corpus_dir / "later.txt").write_text(text, encoding="utf-8")
    loaded = load_corpus(corpus_dir)
    assert [d.document_id for d in loaded.documents] == ["2023分工方案", "2023工作要点", "2024工作要点"]
    assert loaded.clause("2024工作要点-1").source == "later.txt"


def test_two_documents_of_one_file_with_the_same_id_are_told_apart(
    corpus_dir: Path, make_document: MakeDocument
) -> None:
    one = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）")
    (corpus_dir / "twice.txt").write_text(one + "\n" + one, encoding="utf-8")
    loaded = load_corpus(corpus_dir)
    assert [d.document_id for d in loaded.documents] == ["任务清单", "任务清单_2"]
    assert [c.clause_id for c in loaded.clauses] == ["任务清单-1", "任务清单_2-1"]


def test_a_gbk_file_is_read(corpus_dir: Path, good_document: str) -> None:
    (corpus_dir / "gbk.txt").write_bytes(good_document.encode("gbk"))
    loaded = load_corpus(corpus_dir)
    assert len(loaded.clauses) == 5 and loaded.unreadable == ()


def test_an_unreadable_file_is_named_and_the_rest_loads(seed_dir: Path, corpus_dir: Path) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    (corpus_dir / "junk.txt").write_bytes(b"\xff\xfe\xfa" * 10)
    loaded = load_corpus(corpus_dir)
    assert len(loaded.clauses) == 96
    (problem,) = loaded.unreadable
    assert problem.source == "junk.txt" and "not UTF-8 or GB18030 text" in str(problem)


def test_an_empty_corpus_folder_is_an_error(corpus_dir: Path) -> None:
    with pytest.raises(CorpusError, match=r"no documents \(\.txt, \.md, \.docx, \.pdf, \.html, \.htm\)") as caught:
        load_corpus(corpus_dir)
    assert caught.value.source == str(corpus_dir)


def test_an_irregular_file_loads_with_a_warning(
    seed_dir: Path, corpus_dir: Path, make_document: MakeDocument
) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    text = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）", "3. 三事。（两市教育局负责）")
    (corpus_dir / "broken.txt").write_text(text, encoding="utf-8")
    loaded = load_corpus(corpus_dir)
    (document,) = [d for d in loaded.documents if d.source == "broken.txt"]
    assert [str(w) for w in document.report.warnings] == [
        "broken.txt:11: item number 3 where 2 was expected (missing number)"
    ]
    assert len(loaded.clauses) == 96 + 2


def test_a_bom_is_dropped_and_line_endings_kept(corpus_dir: Path, make_document: MakeDocument) -> None:
    text = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）").replace("\n", "\r\n")
    (corpus_dir / "bom.txt").write_bytes(("\ufeff" + text).encode())
    loaded = load_corpus(corpus_dir)
    assert loaded.files[0].text == text
    assert loaded.clauses[0].text == "一事。（两市教育局负责）"


def test_select_by_document_and_units(seed_corpus: Corpus) -> None:
    assert len(seed_corpus.select()) == 96
    assert len(seed_corpus.select(document="工作要点")) == 43  # an unambiguous short name
    assert len(seed_corpus.select(document="2023工作要点")) == 43
    education = seed_corpus.select(["济南市教育局"], "2023分工方案")
    assert [c.clause_id for c in education] == ["2023分工方案-37", "2023分工方案-40", "2023分工方案-38", "2023分工方案-39", "2023分工方案-52"]
    assert seed_corpus.select(["火星局"]) == []
    with pytest.raises(UnknownDocument, match="2023分工方案"):
        seed_corpus.select(document="没有这个文件")


def test_to_dict_has_every_field_but_the_offset_map(seed_corpus: Corpus) -> None:
    from dataclasses import asdict, fields

    for clause in (seed_corpus.clause("2023分工方案-18"), seed_corpus.clause("2023分工方案-p2")):
        data = clause.to_dict()
        assert set(data) == {f.name for f in fields(clause)} - {"offsets"} | {"marker"}
        expected = asdict(clause)
        del expected["offsets"]
        assert data["targets"] == list(expected["targets"]) and data["location"]["line"] == clause.location.line
        assert data["units"] == list(clause.units) and data["text"] == clause.text
