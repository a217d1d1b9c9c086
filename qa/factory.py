"""Assemble the QA service from settings: corpus, embedder, index, calibration, generator.

``build_service`` at start; ``rebuild_service`` when the documents changed under a running service (an
upload, a removal): the same parts again over the documents on disk now, reusing what the running
service already has (its embedder and vectors, backend connection, calibration, generator).
"""

from __future__ import annotations

from collections.abc import Callable

from corpus import load_corpus
from index import Embedder, backend_from_settings, embedder_from_settings, open_index
from qa.calibration import CALIBRATION_FILE, Calibration
from qa.generation import Generator
from qa.service import QAService
from qa.settings import Settings
from qa.vector_reuse import ReusingEmbedder

Progress = Callable[[str, float], None]  # (stage, fraction of the whole rebuild done)


def build_service(settings: Settings, embedder: Embedder | None = None, rebuild: bool | None = None,
                  calibration: Calibration | None = None) -> QAService:
    """Load everything once; raises ClauseQAError subclasses with a message for the user.

    ``embedder``: one already loaded (a server following a rebuild of a shared index reuses its own);
    ``rebuild``: overrides CLAUSE_QA_REBUILD_STALE_INDEX (a follower never rebuilds what it follows);
    ``calibration``: instead of the calibration file (``evaluation/calibrate.py`` starts from a neutral one).
    """
    backend = backend_from_settings(settings)  # connects first: an unreachable Milvus fails before any loading
    corpus = load_corpus(*settings.document_folders)
    # The question's vector is computed once: the QA layer embeds the question first, and the embedder's
    # query cache (CLAUSE_QA_QUERY_CACHE_SIZE) hands the same vector to the retriever's search.
    embedder = embedder or embedder_from_settings(settings)
    retriever = open_index(
        corpus, embedder, backend,
        rebuild=settings.rebuild_stale_index if rebuild is None else rebuild, rrf_k=settings.rrf_k,
        keyword_weight=settings.keyword_weight,
    )
    generator = None
    if settings.llm_base_url:
        generator = Generator(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s)
    calibration = calibration or Calibration.load(settings.calibration_file or CALIBRATION_FILE)
    return QAService(retriever, calibration, generator, cache_dir=settings.qa_cache_dir)


def rebuild_service(settings: Settings, current: QAService, progress: Progress = lambda stage, done: None) -> QAService:
    """A new service over the documents as they are on disk now: a new index generation published, then
    opened; ``current`` keeps serving, untouched, until the caller swaps the new one in.

    Only new texts are embedded (qa.vector_reuse).  Stages for ``progress``: loading, indexing, warming_up.
    """
    progress("loading", 0.0)
    corpus = load_corpus(*settings.document_folders)
    embedder = ReusingEmbedder.around(current)
    progress("indexing", 0.1)
    with embedder.reporting(lambda done, total: progress("indexing", 0.1 + 0.5 * done / total)):
        retriever = open_index(
            corpus, embedder, current.retriever.backend, rebuild=True, rrf_k=settings.rrf_k,
            keyword_weight=settings.keyword_weight,
        )
    progress("warming_up", 0.6)
    with embedder.reporting(lambda done, total: progress("warming_up", 0.6 + 0.4 * done / total)):
        service = QAService(retriever, current.calibration, current.generator, cache_dir=settings.qa_cache_dir)
    embedder.keep_used()
    return service
