"""Fixtures shared by the tests of every layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus
from corpus import Corpus, load_corpus

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"


def _copy_layouts(folder: Path, names: tuple[str, ...]) -> Path:
    """Copies of layout test documents in ``folder``: tests/data/layouts itself is not a corpus."""
    for name in names:
        shutil.copy2(LAYOUTS / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def layout_corpus(tmp_path_factory: pytest.TempPathFactory):
    """``layout_corpus(*names)``: the corpus of those layout test documents, side by side."""
    return lambda *names: load_corpus(_copy_layouts(tmp_path_factory.mktemp("layout-corpus"), names))


@pytest.fixture(scope="session")
def layout_service(tmp_path_factory: pytest.TempPathFactory, service_settings, session_embedder):
    """``layout_service(*names)``: a real QA service over those layout test documents, built in temporary
    folders (index, sentence vectors) with the session's embedding model."""
    from qa.factory import build_service

    def build(*names: str):
        settings = service_settings.model_copy(update={
            "corpus_dir": _copy_layouts(tmp_path_factory.mktemp("layouts"), names),
            "index_dir": tmp_path_factory.mktemp("layouts-index"),
            "qa_cache_dir": tmp_path_factory.mktemp("layouts-qa"),
        })
        return build_service(settings, session_embedder)

    return build


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The real corpus folder shipped with the package (corpus/*.txt)."""
    return Path(corpus.__file__).parent


@pytest.fixture(scope="session")
def seed_corpus(seed_dir: Path) -> Corpus:
    """The real corpus, parsed once per session; treat it as read-only."""
    return load_corpus(seed_dir)


@pytest.fixture
def corpus_copy(tmp_path: Path, seed_dir: Path) -> Path:
    """A writable copy of the corpus folder, for tampering with."""
    target = tmp_path / "corpus"
    target.mkdir()
    for source in seed_dir.glob("*.txt"):
        shutil.copy2(source, target / source.name)
    return target


@pytest.fixture(scope="session")
def service_settings(tmp_path_factory: pytest.TempPathFactory):
    """Default settings with the index, the feedback file and the (empty) upload folder in temporary folders."""
    from qa.settings import Settings

    return Settings(
        index_dir=tmp_path_factory.mktemp("index"),
        feedback_db=tmp_path_factory.mktemp("feedback") / "feedback.sqlite3",
        upload_dir=tmp_path_factory.mktemp("uploads"),
    )


@pytest.fixture(scope="session")
def session_embedder(service_settings):
    """The embedding model, loaded once per session (every service a test builds can share it)."""
    from index import embedder_from_settings

    return embedder_from_settings(service_settings)


@pytest.fixture(scope="session")
def service(service_settings, session_embedder):
    """The real QA service (embedded model, index built once per session)."""
    from qa.factory import build_service

    return build_service(service_settings, session_embedder)
