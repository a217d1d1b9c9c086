"""The upload folder: checks before writing, exclusive names, duplicates, the ids the next rebuild gives."""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

from corpus import load_corpus
from qa.uploads import (
    INDEX_FILE,
    DuplicateDocument,
    NoItems,
    NotAnUpload,
    UnreadableUpload,
    UnsupportedType,
    UploadStore,
    check_upload,
)

_spec = importlib.util.spec_from_file_location("upload_files", Path(__file__).parents[1] / "data" / "uploads.py")
files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(files)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "yuxi-2025.txt").write_text(files.CORPUS_PLAN, encoding="utf-8")
    return corpus, tmp_path / "uploads"


def test_a_checked_upload_carries_its_parse_and_refusals_name_the_file(tmp_path: Path) -> None:
    candidate = check_upload("../x/songling.txt", files.TXT_PLAN.encode())
    assert candidate.name == "songling.txt"
    (document,) = candidate.documents
    assert document.report.items == 3 and document.year == 2025
    with pytest.raises(UnsupportedType, match="plan.doc: .doc is not a supported type"):
        check_upload("plan.doc", b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnreadableUpload, match="^bomb.docx: refused"):
        check_upload("bomb.docx", files.zip_bomb())
    with pytest.raises(NoItems, match="^meeting.txt: no numbered task"):
        check_upload("meeting.txt", files.NO_TASKS.encode())


def test_concurrent_adds_of_one_name_get_their_own_files(folders: tuple[Path, Path]) -> None:
    corpus_dir, upload_dir = folders
    store = UploadStore(upload_dir)
    corpus = load_corpus(corpus_dir, upload_dir)
    texts = [files.TXT_PLAN.replace("松岭", name) for name in ("甲山", "乙山", "丙山", "丁山", "戊山", "己山")]
    candidates = [check_upload("plan.txt", text.encode()) for text in texts]
    barrier = threading.Barrier(len(candidates))
    stored = []

    def add(candidate) -> None:
        barrier.wait()
        stored.append(store.add(candidate, corpus, "k"))

    threads = [threading.Thread(target=add, args=(c,)) for c in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(s.name for s in stored) == sorted(["plan.txt"] + [f"plan-{n}.txt" for n in range(2, 7)])
    assert store.names() == sorted(s.name for s in stored)
    on_disk = {(upload_dir / s.name).read_text(encoding="utf-8") for s in stored}
    assert on_disk == set(texts)  # nothing overwritten, nothing half written
    assert not [p for p in upload_dir.iterdir() if p.name.startswith(".incoming-")]
    assert set(json.loads((upload_dir / INDEX_FILE).read_text())) == {s.name for s in stored}
    loaded = load_corpus(corpus_dir, upload_dir)
    assert len(loaded.documents) == 7


def test_planned_ids_are_the_ids_the_loader_gives(folders: tuple[Path, Path]) -> None:
    corpus_dir, upload_dir = folders
    store = UploadStore(upload_dir)
    corpus = load_corpus(corpus_dir, upload_dir)
    for name, text in (("b-songling.txt", files.TXT_PLAN), ("a-liuxi.txt", files.CORPUS_PLAN.replace("榆溪", "柳溪"))):
        store.add(check_upload(name, text.encode()), corpus, "k")
    planned = store.planned_ids(corpus)
    loaded = load_corpus(corpus_dir, upload_dir)
    by_file: dict[str, list[str]] = {}
    for document in loaded.documents:
        by_file.setdefault(document.source, []).append(document.document_id)
    assert planned == by_file
    assert planned["yuxi-2025.txt"] == ["2025榆溪县分工方案"]  # qualified: three 2025 分工方案 now


def test_duplicates_are_found_in_the_corpus_folder_in_pending_uploads_and_in_files_put_there_by_hand(
    folders: tuple[Path, Path],
) -> None:
    corpus_dir, upload_dir = folders
    store = UploadStore(upload_dir)
    corpus = load_corpus(corpus_dir, upload_dir)
    with pytest.raises(DuplicateDocument) as found:
        store.add(check_upload("again.txt", files.CORPUS_PLAN.encode()), corpus, "k")
    assert found.value.existing == "yuxi-2025.txt" and found.value.document_ids == ("2025分工方案",)
    store.add(check_upload("songling.txt", files.TXT_PLAN.encode()), corpus, "k")
    with pytest.raises(DuplicateDocument, match="uploads/songling.txt .not yet indexed."):
        store.add(check_upload("again.txt", files.TXT_PLAN.encode()), corpus, "k")
    (upload_dir / "by-hand.txt").write_text(files.TXT_PLAN.replace("松岭", "桦川"), encoding="utf-8")
    (upload_dir / INDEX_FILE).write_text("{damaged", encoding="utf-8")  # the files stay the truth
    with pytest.raises(DuplicateDocument, match="uploads/by-hand.txt"):
        store.add(check_upload("again.txt", files.TXT_PLAN.replace("松岭", "桦川").encode()), corpus, "k")
    with pytest.raises(DuplicateDocument, match="uploads/songling.txt"):
        store.add(check_upload("again.txt", files.TXT_PLAN.encode()), corpus, "k")


def test_only_uploads_are_removed(folders: tuple[Path, Path]) -> None:
    corpus_dir, upload_dir = folders
    store = UploadStore(upload_dir)
    with pytest.raises(NotAnUpload, match="read-only corpus folder"):
        store.remove("yuxi-2025.txt")
    stored = store.add(check_upload("songling.txt", files.TXT_PLAN.encode()), load_corpus(corpus_dir), "k")
    store.remove(stored.file)
    assert store.names() == [] and (corpus_dir / "yuxi-2025.txt").exists()
    assert json.loads((upload_dir / INDEX_FILE).read_text()) == {}
