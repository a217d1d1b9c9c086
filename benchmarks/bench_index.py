"""Benchmarks of the index layer: prints tables; not a test, nothing here asserts.

    python benchmarks/bench_index.py              # seed corpus: build, load, memory, latency, quality
    python benchmarks/bench_index.py --choices    # the tokenizer and indexed-text measurements

Scale is measured elsewhere, on real embeddings: benchmarks/bench_dense.py (exact vs HNSW vs IVF at
100k and 1M) and benchmarks/bench_keyword.py (the keyword channel at 1M clauses).

Latencies are wall-clock milliseconds of single queries (p50 / p95 over every run of every question),
on whatever else the machine is doing: run it on a quiet machine for numbers to compare.
Quality uses evaluation/gold.jsonl when it exists: Recall@k = |gold ∩ top-k| / min(|gold|, k) (the
definition of evaluation/metrics.py), MRR of the first gold clause; unanswerable questions (empty gold)
and follow-ups (which need their conversation) are left out.
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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from corpus import Clause, Corpus, load_corpus
from index import Retriever, build_index, load_index, make_embedder
from index.build import indexed_text
from index.dense import DenseIndex
from index.embedders import Embedder
from index.fusion import reciprocal_rank_fusion
from index.keyword import KeywordIndex
from index.tokenizer import MODES, ChineseTokenizer, unit_words

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evaluation" / "gold.jsonl"

Ranker = Callable[[str], list[str]]  # question -> clause ids, best first
Gold = dict[str, Any]  # one line of gold.jsonl


# --- measuring ---------------------------------------------------------------------------------------


def timed_ms(call: Callable[..., object], *args: Any) -> float:
    started = time.perf_counter()
    call(*args)
    return (time.perf_counter() - started) * 1000


def p50_p95(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} / {p95:.2f}"


def rss_mb(field: str = "VmRSS") -> float:
    """Resident set size from /proc: current (VmRSS) or peak (VmHWM).

    Not getrusage's ru_maxrss: Linux carries it across fork and exec, so a child started by a big
    parent reports the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    sys.stdout.flush()


# --- gold questions and retrieval quality -----------------------------------------------------------


def load_gold_questions(path: Path = GOLD) -> list[Gold]:
    """The answerable, self-contained gold questions (JSON lines: question, gold, type, split)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["gold"] and r["type"] != "follow-up"]


def retrieval_quality(rank: Ranker, questions: Sequence[Gold]) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR of a ranking function over gold questions."""
    recall1, recall5, reciprocal = [], [], []
    for question in questions:
        gold = set(question["gold"])
        ranked = rank(str(question["question"]))
        recall1.append(len(gold & set(ranked[:1])) / min(len(gold), 1))
        recall5.append(len(gold & set(ranked[:5])) / min(len(gold), 5))
        first = next((i for i, cid in enumerate(ranked, 1) if cid in gold), None)
        reciprocal.append(1 / first if first else 0.0)
    return {
        "R@1": statistics.mean(recall1),
        "R@5": statistics.mean(recall5),
        "MRR": statistics.mean(reciprocal),
    }


def quality_rows(label: str, rank: Ranker, questions: Sequence[Gold]) -> Iterator[list[object]]:
    for split in ("dev", "test"):
        subset = [q for q in questions if q["split"] == split]
        scores = retrieval_quality(rank, subset)
        yield [label, split, len(subset), *(f"{scores[m]:.3f}" for m in ("R@1", "R@5", "MRR"))]


def retriever_ranker(retriever: Retriever, mode: str) -> Ranker:
    return lambda question: [h.clause.clause_id for h in retriever.search(question, 10, mode)]


def bench_quality(retriever: Retriever, questions: Sequence[Gold]) -> None:
    rows = [
        row
        for mode in ("keyword", "dense", "hybrid")
        for row in quality_rows(mode, retriever_ranker(retriever, mode), questions)
    ]
    table(
        "Retrieval quality on evaluation/gold.jsonl",
        ["retriever", "split", "questions", "Recall@1", "Recall@5", "MRR"],
        rows,
    )


# --- seed corpus: build, load, memory, latency ---------------------------------------------------------


def memory_probe(index_dir: Path) -> None:
    """Run in a fresh process: RSS after imports, after the embedder, after loading the index."""
    corpus = load_corpus(REPO / "corpus")
    baseline = rss_mb()
    embedder = make_embedder()
    with_embedder = rss_mb()
    started = time.perf_counter()
    load_index(corpus, embedder, index_dir, rebuild=False)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "baseline": baseline,
                "embedder": with_embedder,
                "loaded": rss_mb(),
                "peak": rss_mb("VmHWM"),
                "load_s": seconds,
            }
        )
    )


def bench_seed(
    corpus: Corpus, embedder: Embedder, questions: Sequence[str], runs: int, work: Path
) -> Retriever:
    index_dir = work / "index"
    builds = [timed_ms(build_index, corpus, embedder, index_dir) / 1000 for _ in range(3)]
    loads = [timed_ms(load_index, corpus, embedder, index_dir, False) / 1000 for _ in range(5)]
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe", str(index_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    memory = json.loads(probe.stdout.strip().splitlines()[-1])
    retriever = load_index(corpus, embedder, index_dir, rebuild=False)
    rows: list[list[object]] = [
        [
            "index build (s, median of 3)",
            f"{statistics.median(builds):.2f}",
            "≤ 10",
            f"min {min(builds):.2f}",
        ],
        [
            "index load (s, median of 5; tokenizer + files + checks)",
            f"{statistics.median(loads):.2f}",
            "≤ 1",
            f"fresh process {memory['load_s']:.2f}",
        ],
        ["RSS: after imports (MB)", f"{memory['baseline']:.0f}", "", ""],
        ["RSS: + embedder (MB)", f"{memory['embedder'] - memory['baseline']:+.0f}", "", ""],
        ["RSS: + loaded index (MB)", f"{memory['loaded'] - memory['embedder']:+.0f}", "", ""],
        ["RSS: total loaded / peak (MB)", f"{memory['loaded']:.0f} / {memory['peak']:.0f}", "≤ 300", ""],
    ]
    table(
        f"Seed corpus ({len(corpus.clauses)} clauses, {retriever.manifest.dense_kind} index)",
        ["measure", "value", "goal", "note"],
        rows,
    )
    latency_rows: list[list[object]] = []
    for mode in ("keyword", "dense", "hybrid"):
        samples = [timed_ms(retriever.search, q, 10, mode) for _ in range(runs) for q in questions]
        latency_rows.append([mode, len(samples), p50_p95(samples), "≤ 20 / ≤ 40" if mode == "hybrid" else ""])
    tokens = [timed_ms(retriever.tokenize, q) for _ in range(runs) for q in questions]
    latency_rows.append(["(tokenize only)", len(tokens), p50_p95(tokens), ""])
    table("Query latency, seed corpus, k=10 (ms)", ["channel", "queries", "p50 / p95", "goal"], latency_rows)
    return retriever


# --- choices: tokenizer and indexed text -------------------------------------------------------------


def keyword_ranker(
    clauses: Sequence[Clause], tokenizer: ChineseTokenizer, text: Callable[[Clause], str], depth: int = 10
) -> Ranker:
    index = KeywordIndex.build([tokenizer.tokenize(text(c)) for c in clauses])
    return lambda q: [clauses[d].clause_id for d, _ in index.top(tokenizer.tokenize(q), depth)]


def dense_ranker(
    clauses: Sequence[Clause], embedder: Embedder, text: Callable[[Clause], str], depth: int = 10
) -> Ranker:
    index = DenseIndex.build(embedder.embed_passages([text(c) for c in clauses]))
    return lambda q: [clauses[d].clause_id for d, _ in index.search(embedder.embed_queries([q])[0], depth)]


INDEXED_TEXTS: dict[str, Callable[[Clause], str]] = {
    "body": lambda c: c.body,
    "section + body": lambda c: " ".join((*c.section, c.body)),
    "text (body + responsibility)": lambda c: c.text,
    "section + text": lambda c: " ".join((*c.section, c.text)),
    "section + text + unit names (chosen)": indexed_text,
}


def bench_choices(corpus: Corpus, embedder: Embedder, questions: Sequence[Gold]) -> None:
    clauses, words = corpus.clauses, unit_words(corpus)
    header = ["variant", "split", "questions", "Recall@1", "Recall@5", "MRR"]
    rows: list[list[object]] = []
    for mode in MODES:
        tokenizer = ChineseTokenizer(words, mode)
        rows += quality_rows(f"{mode}", keyword_ranker(clauses, tokenizer, indexed_text), questions)
    rows += quality_rows(
        "search+bigrams, no user dictionary",
        keyword_ranker(clauses, ChineseTokenizer(()), indexed_text),
        questions,
    )
    table("Keyword channel: tokenizer mode", header, rows)
    tokenizer = ChineseTokenizer(words)
    rows = [
        row
        for name, text in INDEXED_TEXTS.items()
        for row in quality_rows(name, keyword_ranker(clauses, tokenizer, text), questions)
    ]
    table("Keyword channel: indexed text (search+bigrams)", header, rows)
    rows = [
        row
        for name, text in INDEXED_TEXTS.items()
        for row in quality_rows(name, dense_ranker(clauses, embedder, text), questions)
    ]
    table("Dense channel: embedded text", header, rows)
    # Fusion constant, on the chosen channels' top-100 lists (what the retriever fuses).
    ids = {c.clause_id: i for i, c in enumerate(clauses)}
    keyword = keyword_ranker(clauses, tokenizer, indexed_text, 100)
    dense = dense_ranker(clauses, embedder, indexed_text, 100)
    cached = {q["question"]: (keyword(q["question"]), dense(q["question"])) for q in questions}
    rows = [
        *quality_rows("keyword only", lambda q: cached[q][0], questions),
        *quality_rows("dense only", lambda q: cached[q][1], questions),
    ]
    for k in (1, 5, 10, 30, 60, 100):

        def fused(question: str, k: int = k) -> list[str]:
            keyword_ids, dense_ids = cached[question]
            lists = {
                "keyword": [(ids[c], 0.0) for c in keyword_ids],
                "dense": [(ids[c], 0.0) for c in dense_ids],
            }
            return [clauses[f.doc].clause_id for f in reciprocal_rank_fusion(lists, k)]

        rows += quality_rows(f"rrf k={k}", fused, questions)
    table("Fusion constant", header, rows)


# --- main ----------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of every question for latency")
    parser.add_argument(
        "--choices", action="store_true", help="only the tokenizer / indexed-text measurements"
    )
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return
    corpus = load_corpus(REPO / "corpus")
    gold = load_gold_questions() if GOLD.exists() else []
    questions = [str(q["question"]) for q in gold] or [c.body[:20] for c in corpus.clauses]
    print(f"machine: {len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f} at start")
    embedder = make_embedder()
    if args.choices:
        bench_choices(corpus, embedder, gold)
        return
    with tempfile.TemporaryDirectory() as work:
        retriever = bench_seed(corpus, embedder, questions, args.runs, Path(work))
    if gold:
        bench_quality(retriever, gold)
    else:
        print(f"\n(no {GOLD}: retrieval quality skipped; retrieval_quality() is ready for it)")


if __name__ == "__main__":
    main()
