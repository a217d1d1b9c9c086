"""The Milvus backend on Milvus Lite embedded (a .db file): builds, alias swaps, manifest checks, filters.

A fast stand-in embedder throughout: what is tested is storage and ranking, which must match the
FAISS backend's for the same vectors and tokens.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from milvus_lite.server_manager import server_manager_instance

from corpus import Corpus, load_corpus
from index import Filters, StaleIndex, load_index, open_index, publish_index
from index.backends.milvus import (
    MANIFEST_PROPERTY,
    MilvusBackend,
    filter_expression,
    query_vector,
    sparse_rows,
)
from index.backends.milvus_client import MilvusConnection
from index.build import clause_records
from index.errors import NotAnIndexCollection


@pytest.fixture
def lite(tmp_path: Path):
    """``lite(alias="clause_qa")``: a backend on a fresh Milvus Lite file; its engine is released after."""
    path = tmp_path / "milvus.db"
    made: list[MilvusBackend] = []

    def make(alias: str = "clause_qa", database: str = "") -> MilvusBackend:
        backend = MilvusBackend(MilvusConnection(str(path), database=database, timeout_s=10), alias)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()
    server_manager_instance.release_server(str(path))


@pytest.fixture
def faiss_twin(tmp_path: Path, seed_corpus: Corpus, hash_embedder):
    return load_index(seed_corpus, hash_embedder(), tmp_path / "faiss", rebuild=True)


def test_rankings_match_the_faiss_backend_channel_by_channel(
    lite, seed_corpus, hash_embedder, faiss_twin, assert_same_rankings
) -> None:
    milvus = open_index(seed_corpus, hash_embedder(), lite(), rebuild=True)
    for mode in ("keyword", "dense", "hybrid"):
        assert_same_rankings(milvus, faiss_twin, mode)
    hit = milvus.search("飞机场改扩建", 3)[0]
    assert hit.ranks["keyword"] and hit.ranks["dense"] and hit.scores["dense"] <= 1.0


def test_filters_run_in_milvus_and_keep_what_faiss_keeps(
    lite, seed_corpus, hash_embedder, faiss_twin, assert_same_rankings
) -> None:
    milvus = open_index(seed_corpus, hash_embedder(), lite(), rebuild=True)
    records = {r.clause_id: r for r in clause_records(seed_corpus)}
    document = seed_corpus.clauses[-1].document_id
    unit = next(u for c in seed_corpus.clauses for u in c.units)
    year = next(r.year for r in records.values() if r.year is not None)
    for filters in (
        Filters(documents=(document,)),
        Filters(units=(unit,)),
        Filters(years=(year,)),
        Filters(documents=(document,), units=(unit,)),
    ):
        for mode in ("keyword", "dense", "hybrid"):
            hits = milvus.search("合作 机场 教育", 20, mode, filters)
            assert all(filters.matches(records[h.clause.clause_id]) for h in hits)
            assert_same_rankings(milvus, faiss_twin, mode, filters)
    assert milvus.search("机场", 5, "hybrid", Filters(documents=("no such document",))) == []


def test_filter_expressions_quote_what_they_are_given() -> None:
    expression = filter_expression(Filters(documents=('a"b',), years=(2023, 2024), units=("x\\y",)))
    assert (
        expression
        == 'document_id in ["a\\"b"] and year in [2023, 2024] and array_contains_any(units, ["x\\\\y"])'
    )
    assert filter_expression(Filters()) == ""


def test_sparse_rows_are_the_local_bm25_weights() -> None:
    """A query's inner product with a row is the row's BM25 score for the query's distinct terms."""
    docs = [["机场", "改扩建", "机场"], ["教育", "老师"], ["机场", "老师"]]
    rows, collisions = sparse_rows(docs)
    from index.keyword import KeywordIndex

    local = KeywordIndex.build(docs).scores(["机场", "老师", "机场"])
    query = query_vector(["机场", "老师", "机场"])
    assert query == {dim: 1.0 for dim in query} and len(query) == 2 and collisions == 0
    for row, score in zip(rows, local, strict=True):
        assert sum(row.get(dim, 0.0) for dim in query) == pytest.approx(float(score), rel=1e-6)


def test_the_manifest_is_stored_with_the_collection_and_the_alias_names_it(
    lite, seed_corpus, hash_embedder
) -> None:
    backend = lite()
    manifest = publish_index(seed_corpus, hash_embedder(), backend)
    generation = backend.serving()
    assert generation and generation.startswith("clause_qa__g")
    client = backend._connection.client
    stored = json.loads(client.describe_collection(generation)["properties"][MANIFEST_PROPERTY])
    assert stored["backend"] == "milvus" and stored["keyword_kind"].startswith("sparse-bm25")
    assert stored["spec"]["corpus_fingerprint"] == seed_corpus.fingerprint == manifest.spec.corpus_fingerprint
    assert stored["spec"]["clause_count"] == len(clause_records(seed_corpus)) and stored["spec"]["lexicon"]
    retriever = open_index(seed_corpus, hash_embedder(), backend, rebuild=False)
    assert retriever.describe() == {"index_backend": "milvus", "index_generation": generation}


def test_a_rebuild_swaps_the_alias_and_keeps_only_the_previous_collection(
    lite, seed_corpus, hash_embedder
) -> None:
    backend = lite()
    embedder = hash_embedder()
    publish_index(seed_corpus, embedder, backend)
    first = backend.serving()
    reader = open_index(seed_corpus, embedder, backend, rebuild=False)
    before = reader.search("飞机场改扩建", 10)
    publish_index(seed_corpus, embedder, backend)
    second = backend.serving()
    assert second != first and reader.generation == first and reader.serving_generation() == second
    assert reader.search("飞机场改扩建", 10) == before  # a reader keeps its collection until it follows the alias
    publish_index(seed_corpus, embedder, backend)
    third = backend.serving()
    names = backend._connection.client.list_collections()
    assert sorted(names) == sorted([second, third])


def test_a_failed_build_leaves_the_current_index_untouched(
    lite, seed_corpus, hash_embedder, monkeypatch
) -> None:
    backend = lite()
    embedder = hash_embedder()
    publish_index(seed_corpus, embedder, backend)
    current = backend.serving()
    client = backend._connection.client

    def fails(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(client, "create_index", fails)
    with pytest.raises(OSError, match="disk full"):
        publish_index(seed_corpus, embedder, backend)
    monkeypatch.undo()
    assert backend.serving() == current and client.list_collections() == [current]
    assert open_index(seed_corpus, embedder, backend, rebuild=False).search("机场", 1)


def test_a_missing_index_is_refused_or_built(lite, seed_corpus, hash_embedder) -> None:
    backend = lite()
    with pytest.raises(
        StaleIndex,
        match=r"Milvus at .*milvus\.db, collection alias clause_qa cannot be used: "
        r"no index has been built there.*clause-qa index build",
    ):
        open_index(seed_corpus, hash_embedder(), backend, rebuild=False)
    assert open_index(seed_corpus, hash_embedder(), backend, rebuild=True).search("机场", 1)


def test_a_stale_collection_is_detected_at_start(lite, seed_corpus, hash_embedder, corpus_copy: Path) -> None:
    backend = lite()
    publish_index(seed_corpus, hash_embedder(), backend)
    source = next(p for p in corpus_copy.iterdir() if p.is_file())
    text = source.read_text(encoding="utf-8")
    word = next(c.text[:6] for c in seed_corpus.clauses if c.text[:6] in text)
    source.write_text(text.replace(word, word[:-1] + "改", 1), encoding="utf-8")
    changed = load_corpus(corpus_copy)
    with pytest.raises(StaleIndex, match=f"the corpus changed since the build \\({source.name}\\)"):
        open_index(changed, hash_embedder(), backend, rebuild=False)
    with pytest.raises(
        StaleIndex, match=r"built with embedder test:hash \(dim 32\), the configured one is test:w"
    ):
        open_index(seed_corpus, hash_embedder(dim=64, name="test:w"), backend, rebuild=False)
    with pytest.raises(StaleIndex, match="no longer reproduces the stored vectors"):
        open_index(seed_corpus, hash_embedder(salt="new weights"), backend, rebuild=False)
    rebuilt = open_index(changed, hash_embedder(), backend, rebuild=True)
    assert rebuilt.manifest.spec.corpus_fingerprint == changed.fingerprint


def test_a_foreign_collection_is_refused_and_left_alone(lite, seed_corpus, hash_embedder) -> None:
    backend = lite(alias="theirs")
    client = backend._connection.client
    client.create_collection("theirs", dimension=4)
    for rebuild in (False, True):
        with pytest.raises(
            NotAnIndexCollection, match="theirs .* clause-qa did not build.*CLAUSE_QA_MILVUS_COLLECTION"
        ):
            open_index(seed_corpus, hash_embedder(), backend, rebuild=rebuild)
    client.create_collection("other", dimension=4)
    client.create_alias("other", "aliased")
    with pytest.raises(NotAnIndexCollection, match="other"):
        publish_index(seed_corpus, hash_embedder(), lite(alias="aliased"))
    assert sorted(client.list_collections()) == ["other", "theirs"]


def test_a_database_is_made_by_the_builder_and_missing_for_a_reader(lite, seed_corpus, hash_embedder) -> None:
    reader = lite(database="plans")
    with pytest.raises(StaleIndex, match="database plans does not exist yet"):
        open_index(seed_corpus, hash_embedder(), reader, rebuild=False)
    retriever = open_index(seed_corpus, hash_embedder(), lite(database="plans"), rebuild=True)
    assert retriever.search("机场", 1) and "plans" in reader._connection.client.list_databases()


def test_a_lite_file_held_by_another_process_is_named(lite, tmp_path: Path) -> None:
    lite().serving()  # this process opens the file
    code = (
        "import sys\nfrom index.backends.milvus_client import MilvusConnection\nfrom index.errors import IndexUnavailable\n"
        "try:\n    MilvusConnection(sys.argv[1])\nexcept IndexUnavailable as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "milvus.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert (
        "another process holds this Milvus Lite file" in result.stdout
        and "milvus-lite server" in result.stdout
    )
    assert str(tmp_path / "milvus.db") in result.stdout


def test_an_approximate_collection_is_published_with_its_measured_recall(
    lite, seed_corpus, hash_embedder, faiss_twin, monkeypatch, assert_same_rankings
) -> None:
    """Above the FAISS backend's threshold the collection gets an HNSW index, with its recall@10 measured at
    build (the threshold lowered here: the seed corpus is small)."""
    import index.backends.milvus as milvus_backend

    monkeypatch.setattr(milvus_backend, "HNSW_MIN_VECTORS", 50)
    retriever = open_index(seed_corpus, hash_embedder(), lite(), rebuild=True)
    manifest = retriever.manifest
    assert manifest.dense_kind == "hnsw" and manifest.dense_params.startswith("M=")
    assert manifest.dense_recall is not None and 0.9 <= manifest.dense_recall <= 1.0
    assert_same_rankings(retriever, faiss_twin, "dense")  # a graph this small finds every neighbour
