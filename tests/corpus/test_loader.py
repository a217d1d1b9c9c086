"""corpus/loader.py: every document of a corpus folder in one Corpus, ids unique across files."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus import Corpus, CorpusError, UnknownClause, load_corpus
from corpus.errors import UnknownDocument
from corpus.loader import read_source

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
    assert len(seed_corpus.clauses) == 96
    assert len(seed_corpus.fingerprint) == 64


def test_clause_lookup(seed_corpus: Corpus) -> None:
    assert seed_corpus.clause("2023分工方案-12").number == 12
    assert "2023工作要点-43" in seed_corpus and "2023工作要点-44" not in seed_corpus and 12 not in seed_corpus
    with pytest.raises(UnknownClause) as caught:
        seed_corpus.clause("2023工作要点-44")
    assert str(caught.value) == "no clause has the id '2023工作要点-44'"
    assert isinstance(caught.value, KeyError)


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
    assert "济南市文化和旅游局" in loaded.units and "任务清单-2" in loaded.units["济南市文化和旅游局"].clause_ids


def test_fingerprint_follows_the_files(seed_dir: Path, corpus_dir: Path, seed_corpus: Corpus) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    assert load_corpus(corpus_dir).fingerprint == seed_corpus.fingerprint
    path = corpus_dir / SEED_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_corpus(corpus_dir).fingerprint != seed_corpus.fingerprint


def test_a_second_document_with_the_same_short_name_is_refused(
    seed_dir: Path, corpus_dir: Path, make_document: MakeDocument
) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    text = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）", title="济南—临沂对口合作 2024 年工作要点")
    (corpus_dir / "later.txt").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_dir)
    message = str(caught.value)
    assert caught.value.source == "later.txt"
    assert "'工作要点'" in message and SEED_FILE in message and "collide" in message


def test_two_documents_of_one_file_with_the_same_short_name_are_refused(
    corpus_dir: Path, make_document: MakeDocument
) -> None:
    one = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）")
    (corpus_dir / "twice.txt").write_text(one + "\n" + one, encoding="utf-8")
    with pytest.raises(CorpusError, match="short name '任务清单'"):
        load_corpus(corpus_dir)


def test_a_file_that_is_not_utf8_is_named(corpus_dir: Path, good_document: str) -> None:
    (corpus_dir / "gbk.txt").write_bytes(good_document.encode("gbk"))
    with pytest.raises(CorpusError, match=r"^gbk\.txt: not UTF-8 text") as caught:
        load_corpus(corpus_dir)
    assert caught.value.source == "gbk.txt"


def test_an_empty_corpus_folder_is_an_error(corpus_dir: Path) -> None:
    with pytest.raises(CorpusError, match=r"no \*\.txt documents in the corpus folder") as caught:
        load_corpus(corpus_dir)
    assert caught.value.source == str(corpus_dir)


def test_a_broken_file_stops_the_load_naming_it(
    seed_dir: Path, corpus_dir: Path, make_document: MakeDocument
) -> None:
    shutil.copy(seed_dir / SEED_FILE, corpus_dir)
    text = make_document("## 一、甲部分", "1. 一事。（两市教育局负责）", "3. 三事。（两市教育局负责）")
    (corpus_dir / "broken.txt").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"^broken\.txt:11: item number 3 where 2 was expected"):
        load_corpus(corpus_dir)


def test_read_source_strips_a_bom_and_keeps_line_endings(corpus_dir: Path) -> None:
    path = corpus_dir / "bom.txt"
    path.write_bytes("\ufeff一、甲\r\n".encode())
    assert read_source(path) == "一、甲\r\n"


def test_select_by_document_and_units(seed_corpus: Corpus) -> None:
    assert len(seed_corpus.select()) == 96
    assert len(seed_corpus.select(document="工作要点")) == 43
    education = seed_corpus.select(["济南市教育局"], "分工方案")
    assert [c.clause_id for c in education] == ["2023分工方案-37", "2023分工方案-40", "2023分工方案-38", "2023分工方案-39", "2023分工方案-52"]
    assert seed_corpus.select(["火星局"]) == []
    with pytest.raises(UnknownDocument, match="分工方案"):
        seed_corpus.select(document="没有这个文件")
