"""Assemble the QA service from settings: corpus, embedder, index, calibration, generator."""

from __future__ import annotations

from corpus import load_corpus
from index import embedder_from_settings, load_index
from qa.generation import Generator
from qa.service import QAService
from qa.settings import Settings
from qa.support import Calibration


def build_service(settings: Settings) -> QAService:
    """Load everything once; raises ClauseQAError subclasses with a message for the user."""
    corpus = load_corpus(settings.corpus_dir)
    embedder = embedder_from_settings(settings)
    retriever = load_index(
        corpus, embedder, settings.index_dir, rebuild=settings.rebuild_stale_index, rrf_k=settings.rrf_k,
        keyword_weight=settings.keyword_weight,
    )
    generator = None
    if settings.llm_base_url:
        generator = Generator(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s)
    return QAService(retriever, Calibration.load(), generator)
