"""The keyword channel at 1M clauses: the hand-written BM25 (index/keyword.py) against bm25s and tantivy.

    python benchmarks/bench_keyword.py                   # 1M clauses (tokens cached in var/bench/)
    python benchmarks/bench_keyword.py --clauses 100000

Documents: the 100k clause-like texts of benchmarks/vectors.py (sentences of the seed and of the layout
documents, recombined), tokenised by the service's own tokenizer (index/tokenizer.py, search mode +
bigrams); from 100k to 1M, each further document joins the first half of one tokenised text to the
second half of another (tokenising 1M texts with jieba would take ~20 min and add nothing the
recombination does not).  The vocabulary is so that of a few dozen documents, with posting lists far
longer than a real corpus of that size would have: a pessimistic case for every engine alike.
Queries: 300 unique questions (benchmarks/questions.py), tokenised the same way; top 100, as the
retriever asks for fusion.  Each engine runs in its own process, so its resident memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import pairwise
from multiprocessing import Pool
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "var" / "bench"
ENGINES = ("hand-written (index/keyword.py)", "bm25s 0.3 (numpy backend)", "tantivy 0.27 (in RAM, BM25 k1=1.2)")
DEPTH = 100


def _tokenize(texts: list[str]) -> list[list[str]]:
    sys.path.insert(0, str(REPO))
    from index.tokenizer import ChineseTokenizer

    tokenizer = ChineseTokenizer()
    return [tokenizer.tokenize(t) for t in texts]


def tokens_file(clauses: int) -> Path:
    """Token ids of ``clauses`` documents in var/bench (built once): vocabulary, ids, offsets."""
    path = BENCH / f"keyword-{clauses}.npz"
    if path.exists():
        return path
    from vectors import clause_like_texts, sentence_pool, source_files

    texts = clause_like_texts(sentence_pool(source_files()), min(clauses, 100_000))
    with Pool(len(os.sched_getaffinity(0))) as pool:
        documents = [doc for part in pool.map(_tokenize, [texts[i : i + 2000] for i in range(0, len(texts), 2000)])
                     for doc in part]
    vocabulary: dict[str, int] = {}
    encoded = [np.array([vocabulary.setdefault(t, len(vocabulary)) for t in doc], dtype=np.int32) for doc in documents]
    rng = np.random.default_rng(12)
    for _ in range(clauses - len(encoded)):
        first, second = encoded[rng.integers(len(documents))], encoded[rng.integers(len(documents))]
        encoded.append(np.concatenate((first[: len(first) // 2], second[len(second) // 2 :])))
    offsets = np.concatenate(([0], np.cumsum([len(e) for e in encoded]))).astype(np.int64)
    BENCH.mkdir(parents=True, exist_ok=True)
    np.savez(path, vocabulary=np.array(list(vocabulary), dtype=np.str_), ids=np.concatenate(encoded), offsets=offsets)
    return path


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def run_engine(engine: int, path: Path, queries_path: Path) -> dict[str, object]:
    """In this process: build ``engine`` over the documents, time the queries (JSON on stdout)."""
    with np.load(path) as data:
        vocabulary, ids, offsets = list(data["vocabulary"]), data["ids"], data["offsets"]
    queries: list[list[str]] = json.loads(queries_path.read_text(encoding="utf-8"))
    words = np.array(vocabulary, dtype=object)

    def documents():
        for start, end in pairwise(offsets):
            yield words[ids[start:end]].tolist()

    baseline = rss_mb()
    started = time.perf_counter()
    if engine == 0:
        from index.keyword import KeywordIndex

        index = KeywordIndex.build(documents())
        search = lambda q: index.top(q, DEPTH)
    elif engine == 1:
        import bm25s

        index = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        index.index(list(documents()), show_progress=False)
        known = index.vocab_dict

        def search(q: list[str]) -> list[tuple[int, float]]:
            q = [t for t in dict.fromkeys(q) if t in known]
            if not q:
                return []
            found, scores = index.retrieve([q], k=DEPTH, show_progress=False, n_threads=0)
            return [(int(d), float(s)) for d, s in zip(found[0], scores[0], strict=True) if s > 0]
    else:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
        builder.add_unsigned_field("position", stored=True)
        schema = builder.build()
        index = tantivy.Index(schema)
        writer = index.writer(heap_size=512 * 2**20, num_threads=len(os.sched_getaffinity(0)))
        for position, doc in enumerate(documents()):
            writer.add_document(tantivy.Document(body=" ".join(doc), position=position))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        searcher = index.searcher()

        def search(q: list[str]) -> list[tuple[int, float]]:
            terms = [tantivy.Query.term_query(schema, "body", t) for t in dict.fromkeys(q)]
            query = tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])
            hits = searcher.search(query, DEPTH).hits
            # A hit names a segment and its local document: the clause's position is a stored field.
            return [(searcher.doc(address)["position"][0], score) for score, address in hits]
    build_s = time.perf_counter() - started
    del documents
    samples, top10 = [], []
    for q in queries:
        t = time.perf_counter()
        ranking = search(q)
        samples.append((time.perf_counter() - t) * 1000)
        top10.append([d for d, _ in ranking[:10]])
    ordered = sorted(samples)
    return {
        "engine": ENGINES[engine],
        "build_s": build_s,
        "p50_ms": statistics.median(samples),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "rss_mb": rss_mb() - baseline,
        "peak_mb": rss_mb("VmHWM"),
        "top10": top10,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--engine", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tokens", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--query-tokens", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine is not None:
        print(json.dumps(run_engine(args.engine, args.tokens, args.query_tokens)))
        return
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {len(os.sched_getaffinity(0))} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    path = tokens_file(args.clauses)
    from questions import unique_questions

    questions = unique_questions(args.queries + 1000)[1000:]
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(_tokenize(questions), handle, ensure_ascii=False)
    results = []
    try:
        for engine in range(len(ENGINES)):
            command = [sys.executable, __file__, "--engine", str(engine), "--tokens", str(path),
                       "--query-tokens", handle.name]
            done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"  {results[-1]['engine']}: p50 {results[-1]['p50_ms']:.1f} ms", flush=True)
    finally:
        os.unlink(handle.name)
    with np.load(path) as data:
        postings, terms = len(data["ids"]), len(data["vocabulary"])
    print(f"\n{args.clauses:,} clauses, {terms:,} distinct tokens, {postings:,} tokens; {args.queries} questions, top {DEPTH}\n")
    print("| engine | build s | p50 ms | p95 ms | resident MB (index) | peak MB (process) | top-10 overlap with hand-written |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    reference = results[0]["top10"]
    for r in results:
        overlap = np.mean([len(set(a) & set(b)) / len(a) for a, b in zip(reference, r["top10"], strict=True) if a])
        print(f"| {r['engine']} | {r['build_s']:.1f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['rss_mb']:.0f} | "
              f"{r['peak_mb']:.0f} | {overlap:.2f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
