"""Milvus backend benchmarks (issue 13): prints tables; not a test, nothing here asserts.

    python benchmarks/bench_milvus.py channels      # seed corpus + gold: keyword channel and fusion choices
    python benchmarks/bench_milvus.py scale --vectors var/bench/vectors-100k.npy --sizes 100000
    python benchmarks/bench_milvus.py scale --vectors var/bench/vectors-1m.npy --sizes 100000 1000000

``channels`` builds the seed corpus once (real embedder) into FAISS + local BM25 and into Milvus Lite
(embedded), and compares on evaluation/gold.jsonl, dev and test apart:
* the keyword channel: the local BM25; Milvus sparse vectors of our own BM25 weights (what the backend
  stores); Milvus's BM25 function with its jieba analyzer (search mode) and the corpus's unit names as its
  dictionary (Milvus Lite adds dictionary words to the process-global jieba, so a second BM25 collection
  without them cannot be compared in the same process);
* fusion: weighted RRF in the index layer (keyword weight 2, the backend's way) against Milvus's
  ``hybrid_search`` with ``RRFRanker(60)`` (no weights; and the keyword request given twice, which is
  weight 2 in RRF);
* the QA layer's answers (``clause-qa eval`` style: recall@1, refusals) on each backend, one calibration.
Retrieval quality: Recall@k = |gold ∩ top-k| / min(|gold|, k), MRR of the first gold clause, over the
answerable self-contained questions (benchmarks/bench_index.py's definitions).  Latencies are
milliseconds of one call without the question's embedding (precomputed), p50 / p95.

``scale`` runs, each in a fresh process (so resident memory is the backend's own): FAISS as the
FAISS backend builds it (``index.dense.DenseIndex``) and Milvus Lite embedded with the same HNSW
parameters, on the first N rows of a vectors file (benchmarks/vectors.py makes realistic ones),
with queries from var/bench/queries-1k.npy: build seconds, p50 / p95 of a top-10 search, recall@10
against exact search, and resident memory after the build.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpus import load_corpus
from corpus.text import normalise
from evaluation.gold import DEFAULT_GOLD, load_gold
from evaluation.report import build as eval_report
from evaluation.runner import run as eval_run
from index import FaissBackend, make_embedder, open_index
from index.backends.milvus import MilvusBackend
from index.backends.milvus_client import MilvusConnection
from index.build import prepare_build
from index.fusion import KEYWORD_WEIGHT, RRF_K, reciprocal_rank_fusion
from index.tokenizer import ChineseTokenizer, unit_words

QUERIES = REPO / "var" / "bench" / "queries-1k.npy"


def p50_p95(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    return f"{statistics.median(ordered):.2f} / {ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]:.2f}"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    print(f"\n### {title}\n\n| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    sys.stdout.flush()


# --- channels: the seed corpus and the gold set -----------------------------------------------------

Ranker = Callable[[str], list[int]]  # question -> positions, best first


def quality(rank: Ranker, questions: Sequence[Any], ids: Sequence[str]) -> tuple[float, float, float]:
    r1, r5, rr = [], [], []
    for question in questions:
        gold = set(question.gold)
        ranked = [ids[p] for p in rank(question.question)]
        r1.append(len(gold & set(ranked[:1])) / min(len(gold), 1))
        r5.append(len(gold & set(ranked[:5])) / min(len(gold), 5))
        first = next((i for i, cid in enumerate(ranked, 1) if cid in gold), None)
        rr.append(1 / first if first else 0.0)
    return statistics.mean(r1), statistics.mean(r5), statistics.mean(rr)


class Bm25FunctionKeyword:
    """A collection whose keyword channel is Milvus's own BM25 function over the normalised text."""

    def __init__(self, client: Any, name: str, texts: Sequence[str], dictionary: Sequence[str]) -> None:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        tokenizer: dict[str, Any] = {"type": "jieba", "mode": "search"}
        if dictionary:
            tokenizer["dict"] = ["_default_", *dictionary]
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field(
            "text",
            DataType.VARCHAR,
            max_length=65_535,
            enable_analyzer=True,
            analyzer_params={"tokenizer": tokenizer, "filter": ["removepunct"]},
        )
        schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(
            Function(
                name="bm25",
                function_type=FunctionType.BM25,
                input_field_names=["text"],
                output_field_names=["bm25"],
            )
        )
        params = client.prepare_index_params()
        params.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        client.create_collection(name, schema=schema, index_params=params)
        client.insert(name, [{"pk": n, "text": normalise(t)} for n, t in enumerate(texts)])
        client.flush(name)
        client.load_collection(name)
        self._client, self._name = client, name

    def top(self, question: str, k: int) -> list[tuple[int, float]]:
        hits = self._client.search(
            self._name,
            data=[normalise(question)],
            anns_field="bm25",
            limit=k,
            output_fields=["pk"],
            search_params={"metric_type": "BM25"},
        )
        # Milvus Lite reports BM25 distances negated (smaller is better); the order is best first either way.
        return [(int(h["pk"]), abs(float(h["distance"]))) for h in hits[0]]


def bench_channels() -> None:
    from pymilvus import AnnSearchRequest, RRFRanker

    from qa.factory import build_service
    from qa.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="bench-milvus-"))
    corpus = load_corpus(*Settings(upload_dir=work / "uploads").document_folders)
    embedder = make_embedder()
    tokenizer = ChineseTokenizer.for_corpus(corpus)
    started = time.perf_counter()
    build = prepare_build(corpus, embedder, tokenizer)
    print(
        f"embedded and tokenised {len(build.records)} clauses in {time.perf_counter() - started:.1f} s; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    faiss_backend = FaissBackend(work / "faiss")
    milvus_backend = MilvusBackend(MilvusConnection(str(work / "milvus.db"), timeout_s=30))
    builds = {}
    for name, backend in (("faiss", faiss_backend), ("milvus", milvus_backend)):
        started = time.perf_counter()
        backend.publish(build)
        builds[name] = time.perf_counter() - started
    table(
        "Publishing the seed build (embedding excluded)",
        ["backend", "seconds"],
        [[k, f"{v:.2f}"] for k, v in builds.items()],
    )
    faiss = open_index(corpus, embedder, faiss_backend, rebuild=False)
    milvus = open_index(corpus, embedder, milvus_backend, rebuild=False)
    ids = list(milvus._snapshot.clause_ids())
    texts = [" ".join((*c.section, c.text, *c.units)) for c in corpus.citable]
    client = milvus_backend._connection.client
    bm25_dict = Bm25FunctionKeyword(client, "bench_bm25_dict", texts, unit_words(corpus))

    questions = [q for q in load_gold(DEFAULT_GOLD) if q.gold and not q.history]
    vectors = {q.question: embedder.embed_queries([q.question])[0] for q in questions}
    keyword_rankers: dict[str, Callable[[str], list[tuple[int, float]]]] = {
        "local BM25 (FAISS backend)": lambda q: faiss._snapshot.keyword(faiss.tokenize(q), 100),
        "Milvus sparse, our BM25 weights": lambda q: milvus._snapshot.keyword(milvus.tokenize(q), 100),
        "Milvus BM25 function, jieba + unit names": lambda q: bm25_dict.top(q, 100),
    }

    def index_layer_rrf(q: str) -> list[tuple[int, float]]:
        rankings = {
            "keyword": milvus._snapshot.keyword(milvus.tokenize(q), 100),
            "dense": milvus._snapshot.dense(vectors[q], 100),
        }
        return [
            (f.doc, f.score) for f in reciprocal_rank_fusion(rankings, RRF_K, {"keyword": KEYWORD_WEIGHT})
        ]

    def milvus_rrf(q: str, keyword_requests: int) -> list[tuple[int, float]]:
        from index.backends.milvus import query_vector

        sparse = AnnSearchRequest(
            [query_vector(milvus.tokenize(q))], "keyword", {"metric_type": "IP"}, limit=100
        )
        dense = AnnSearchRequest([vectors[q].tolist()], "dense", {"metric_type": "IP"}, limit=100)
        hits = client.hybrid_search(
            milvus.generation,
            [*([sparse] * keyword_requests), dense],
            RRFRanker(RRF_K),
            limit=100,
            output_fields=["pk"],
        )
        return [(int(h["pk"]), float(h["distance"])) for h in hits[0]]

    fusion_rankers = {
        "index layer, weighted RRF (keyword x2)": index_layer_rrf,
        "Milvus hybrid_search, RRFRanker(60)": lambda q: milvus_rrf(q, 1),
        "Milvus hybrid_search, keyword request twice": lambda q: milvus_rrf(q, 2),
    }
    for title, rankers in (("Keyword channel", keyword_rankers), ("Fusion of both channels", fusion_rankers)):
        rows = []
        for label, ranker in rankers.items():
            for split in ("dev", "test"):
                subset = [q for q in questions if q.split == split]
                r1, r5, mrr = quality(lambda q, ranker=ranker: [p for p, _ in ranker(q)], subset, ids)
                rows.append([label, split, len(subset), f"{r1:.3f}", f"{r5:.3f}", f"{mrr:.3f}"])
            samples = []
            for _ in range(3):
                for q in questions:
                    started = time.perf_counter()
                    ranker(q.question)
                    samples.append((time.perf_counter() - started) * 1000)
            rows.append([label, "latency ms p50 / p95", len(samples), p50_p95(samples), "", ""])
        table(
            f"{title} on evaluation/gold.jsonl (retrieval only)",
            ["ranker", "split", "questions", "Recall@1", "Recall@5", "MRR"],
            rows,
        )

    # The QA layer on each backend: the answers users get, as `clause-qa eval` measures them (one calibration).
    common = {
        "qa_cache_dir": work / "qa",
        "feedback_db": work / "feedback.sqlite3",
        "upload_dir": work / "uploads",
        "rebuild_stale_index": False,
    }
    faiss_service = build_service(Settings(index_dir=work / "faiss", **common), embedder)
    milvus_service = build_service(
        Settings(index_backend="milvus", milvus_uri=str(work / "milvus.db"), milvus_timeout_s=30, **common),
        embedder,
        calibration=faiss_service.calibration,
    )
    every = load_gold(DEFAULT_GOLD)
    rows = []
    for mode in ("keyword", "hybrid"):
        refused_by_faiss: dict[str, set[str]] = {}
        for label, service in (
            ("faiss + local BM25", faiss_service),
            ("milvus, sparse (ours)", milvus_service),
        ):
            for split in ("dev", "test"):
                answers = eval_run(service, [q for q in every if q.split == split], mode, progress=False)
                summary = eval_report(answers, mode, str(DEFAULT_GOLD), split)["summary"]
                refused = {a.id for a in answers if not a.answerable}
                same = refused == refused_by_faiss.setdefault(split, refused)
                rows.append(
                    [
                        mode,
                        label,
                        split,
                        f"{summary['recall@1']:.3f}",
                        f"{summary['mrr']:.3f}",
                        len(refused),
                        "yes" if same else "no",
                    ]
                )
    table(
        "QA answers on evaluation/gold.jsonl (clause-qa eval --retriever MODE)",
        ["mode", "index", "split", "recall@1", "mrr", "refused", "same refusals as FAISS"],
        rows,
    )


# --- scale: dense search on realistic vectors ---------------------------------------------------------


def _scale_one(
    backend: str, vectors_path: Path, size: int, queries_path: Path, queries: int, work: Path
) -> dict[str, Any]:
    """Runs in its own process: build, search, recall against exact, memory."""
    import faiss as faiss_lib

    from index.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, DenseIndex

    vectors = np.ascontiguousarray(np.load(vectors_path, mmap_mode="r")[:size], dtype=np.float32)
    query = np.ascontiguousarray(np.load(queries_path, mmap_mode="r")[:queries], dtype=np.float32)
    exact = faiss_lib.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    truth = exact.search(query, 10)[1]
    del exact
    before = rss_mb()
    started = time.perf_counter()
    if backend == "faiss":
        index = DenseIndex.build(vectors)
        kind = index.kind
        search = lambda q: [d for d, _ in index.search(q, 10)]
    else:
        from pymilvus import DataType, MilvusClient, MilvusException

        client = MilvusConnection(
            str(work / f"scale-{size}.db"), timeout_s=600
        ).client  # the backend's options
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=vectors.shape[1])
        client.create_collection("scale", schema=schema)
        for start in range(0, size, 5_000):
            client.insert(
                "scale",
                [
                    {"pk": start + i, "dense": row.tolist()}
                    for i, row in enumerate(vectors[start : start + 5_000])
                ],
            )
        client.flush("scale")
        params = client.prepare_index_params()
        kind = "hnsw" if size >= 10_000 else "flat"
        if kind == "hnsw":
            params.add_index(
                "dense",
                index_type="HNSW",
                metric_type="IP",
                params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
            )
        else:
            params.add_index("dense", index_type="FLAT", metric_type="IP")
        try:
            client.create_index("scale", params)
        except MilvusException as exc:
            # A build longer than the gRPC connection lives (1M rows on Milvus Lite: the server drops the
            # client for its keepalive pings) makes pymilvus retry, which finds the index being built.
            if "already exists" not in str(exc):
                raise
        while (state := client.describe_index("scale", "dense").get("state")) not in (None, "Finished"):
            if state == "Failed":
                raise SystemExit(f"milvus-lite: the index build failed: {client.describe_index('scale', 'dense')}")
            time.sleep(5)
        client.load_collection("scale")
        search_params = {"metric_type": "IP", "params": {"ef": HNSW_EF_SEARCH}}

        def search(q: np.ndarray) -> list[int]:
            hits = client.search(
                "scale",
                [q.tolist()],
                anns_field="dense",
                limit=10,
                output_fields=["pk"],
                search_params=search_params,
            )
            return [int(h["pk"]) for h in hits[0]]

    build_s = time.perf_counter() - started
    after_build = rss_mb()
    latencies, recalls = [], []
    for row, expected in zip(query, truth, strict=True):
        started = time.perf_counter()
        found = search(row)
        latencies.append((time.perf_counter() - started) * 1000)
        recalls.append(len(set(found) & set(expected.tolist())) / 10)
    return {
        "backend": backend,
        "size": size,
        "kind": kind,
        "build_s": round(build_s, 1),
        "latency": p50_p95(latencies),
        "recall@10": round(statistics.mean(recalls), 4),
        "rss_mb": round(after_build),
        "rss_growth_mb": round(after_build - before),
    }


def bench_scale(vectors: Path, sizes: Sequence[int], queries_path: Path, queries: int) -> None:
    rows = []
    print(
        f"{vectors} ({np.load(vectors, mmap_mode='r').shape[0]} rows); {queries} queries from {queries_path}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-milvus-") as work:
        for size in sizes:
            for backend in ("faiss", "milvus-lite"):
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "_scale_one",
                        backend,
                        str(vectors),
                        str(size),
                        str(queries_path),
                        str(queries),
                        work,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode != 0:
                    raise SystemExit(f"{backend} at {size} failed:\n{out.stderr[-3000:]}")
                result = json.loads(out.stdout.strip().splitlines()[-1])
                rows.append(
                    [
                        result[k]
                        for k in (
                            "size",
                            "backend",
                            "kind",
                            "build_s",
                            "latency",
                            "recall@10",
                            "rss_mb",
                            "rss_growth_mb",
                        )
                    ]
                )
                print("  ", rows[-1], flush=True)
    table(
        "Dense top-10 search at scale (one query at a time)",
        [
            "vectors",
            "backend",
            "index",
            "build s",
            "p50 / p95 ms",
            "recall@10 vs exact",
            "RSS MB",
            "RSS growth MB",
        ],
        rows,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("channels")
    scale = commands.add_parser("scale")
    scale.add_argument(
        "--vectors", type=Path, required=True, help=".npy of unit rows (benchmarks/vectors.py)"
    )
    scale.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    scale.add_argument(
        "--query-vectors", type=Path, default=QUERIES, help=".npy of query rows (default: %(default)s)"
    )
    scale.add_argument("--queries", type=int, default=200, help="how many of them to search with")
    one = commands.add_parser("_scale_one")
    for name in ("backend", "vectors", "size", "query_vectors", "queries", "work"):
        one.add_argument(name)
    args = parser.parse_args(argv)
    if args.command == "channels":
        bench_channels()
    elif args.command == "scale":
        bench_scale(args.vectors, args.sizes, args.query_vectors, args.queries)
    else:
        print(
            json.dumps(
                _scale_one(
                    args.backend,
                    Path(args.vectors),
                    int(args.size),
                    Path(args.query_vectors),
                    int(args.queries),
                    Path(args.work),
                )
            )
        )


if __name__ == "__main__":
    main()
