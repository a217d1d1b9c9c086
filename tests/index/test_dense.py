from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index.dense import DenseIndex, sampled_recall


def unit_vectors(count: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_small_collections_get_an_exact_index_and_cosine_scores() -> None:
    vectors = unit_vectors(50)
    index = DenseIndex.build(vectors)
    assert index.kind == "flat" and index.size == 50 and index.dim == 16
    hits = index.search(vectors[7], 5)
    assert hits[0][0] == 7 and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    exact = sorted(range(50), key=lambda i: -float(vectors[i] @ vectors[7]))[:5]
    assert [d for d, _ in hits] == exact


def test_large_collections_get_hnsw() -> None:
    vectors = unit_vectors(300)
    index = DenseIndex.build(vectors, hnsw_min_vectors=200)
    assert index.kind == "hnsw"
    assert index.search(vectors[42], 1)[0][0] == 42


def test_an_approximate_index_carries_its_measured_recall_and_parameters() -> None:
    index = DenseIndex.build(unit_vectors(600), hnsw_min_vectors=200)
    assert index.recall is not None and 0.8 <= index.recall <= 1.0
    assert index.params.startswith("M=32 ") and "efSearch=" in index.params
    exact = DenseIndex.build(unit_vectors(50))
    assert exact.recall == 1.0 and exact.params == ""


def test_efsearch_is_raised_until_the_measured_recall_reaches_the_target(tmp_path: Path) -> None:
    index = DenseIndex.build(unit_vectors(3000, dim=64), hnsw_min_vectors=200)  # random: the hard case
    ef = index.index.hnsw.efSearch
    assert index.recall is not None and (index.recall >= 0.95 or ef == 1024) and ef >= 128
    index.save(tmp_path / "dense.faiss")
    assert DenseIndex.load(tmp_path / "dense.faiss").index.hnsw.efSearch == ef  # kept in the file


def test_sampled_recall_is_one_for_exact_search_and_drops_for_a_poor_index() -> None:
    vectors = unit_vectors(500, dim=32)
    flat = faiss.IndexFlatIP(32)
    flat.add(vectors)
    assert sampled_recall(flat, vectors) == 1.0
    rough = faiss.IndexHNSWFlat(32, 4, faiss.METRIC_INNER_PRODUCT)
    rough.hnsw.efConstruction = 8
    rough.add(vectors)
    rough.hnsw.efSearch = 1
    assert sampled_recall(rough, vectors) < 0.9


def test_asking_for_more_than_there_is_returns_everything() -> None:
    assert len(DenseIndex.build(unit_vectors(3)).search(unit_vectors(1, seed=1)[0], 10)) == 3


@pytest.mark.parametrize("threshold", [10_000, 0])
def test_save_and_load_round_trip(tmp_path: Path, threshold: int) -> None:
    vectors = unit_vectors(40)
    index = DenseIndex.build(vectors, hnsw_min_vectors=threshold)
    index.save(tmp_path / "dense.faiss")
    loaded = DenseIndex.load(tmp_path / "dense.faiss")
    assert loaded.kind == index.kind
    assert loaded.search(vectors[3], 5) == index.search(vectors[3], 5)
    assert np.allclose(loaded.vector(3), vectors[3])


def test_a_truncated_file_does_not_load(tmp_path: Path) -> None:
    path = tmp_path / "dense.faiss"
    DenseIndex.build(unit_vectors(40)).save(path)
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(RuntimeError):
        DenseIndex.load(path)
