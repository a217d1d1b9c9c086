"""The default backend: a generation directory on disk (FAISS vectors, local BM25, clause ids).

Publication is ``index.store``'s: a new generation directory, then one symlink rename.  A process
reads the generation it opened until it restarts (``follows_rebuilds`` is False): the index is not
shared with other processes.  Filters run in process as boolean masks over the positions.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.backends.base import NO_FILTERS, ClauseRecord, Filters, IndexBuild, Ranking
from index.dense import DenseIndex
from index.errors import StaleIndex
from index.keyword import KeywordIndex
from index.manifest import Manifest
from index.store import read_index, write_index

DENSE_FILE = "dense.faiss"
KEYWORD_FILE = "keyword.npz"
CLAUSE_IDS_FILE = "clause_ids.json"
FILES = (DENSE_FILE, KEYWORD_FILE, CLAUSE_IDS_FILE)


class FilterMasks:
    """Positions by document, year and unit, so a filter becomes a mask without a pass over clauses."""

    def __init__(self, records: Sequence[ClauseRecord]) -> None:
        self.size = len(records)
        self._by: dict[str, dict[object, list[int]]] = {
            "document": defaultdict(list),
            "year": defaultdict(list),
            "unit": defaultdict(list),
        }
        for record in records:
            self._by["document"][record.document_id].append(record.position)
            self._by["year"][record.year].append(record.position)
            for unit in record.units:
                self._by["unit"][unit].append(record.position)

    def _any_of(self, kind: str, values: Iterable[object]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for value in values:
            mask[self._by[kind].get(value, [])] = True
        return mask

    def mask(self, filters: Filters) -> np.ndarray | None:
        """The positions ``filters`` keep, or None when it keeps everything."""
        if not filters:
            return None
        mask = np.ones(self.size, dtype=bool)
        for kind, values in (
            ("document", filters.documents),
            ("year", filters.years),
            ("unit", filters.units),
        ):
            if values:
                mask &= self._any_of(kind, values)
        return mask


class FaissSnapshot:
    """A generation directory, loaded into memory."""

    def __init__(
        self,
        generation: str,
        dense: DenseIndex,
        keyword: KeywordIndex,
        ids: list[str],
        records: Sequence[ClauseRecord],
    ) -> None:
        self.generation, self._dense, self._keyword, self._ids = generation, dense, keyword, ids
        self._masks = FilterMasks(records)
        self.size, self.dim = dense.size, dense.dim

    def clause_ids(self) -> Sequence[str]:
        return self._ids

    def keyword(self, tokens: Sequence[str], k: int, filters: Filters = NO_FILTERS) -> Ranking:
        return self._keyword.top(tokens, k, self._masks.mask(filters))

    def dense(self, vector: np.ndarray, k: int, filters: Filters = NO_FILTERS) -> Ranking:
        allowed = self._masks.mask(filters)
        if allowed is not None and not allowed.any():
            return []
        return self._dense.search(vector, k, allowed)

    def vector(self, position: int) -> np.ndarray:
        return self._dense.vector(position)


class FaissBackend:
    kind = "faiss"
    follows_rebuilds = False

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.location = str(index_dir)

    def publish(self, build: IndexBuild) -> Manifest:
        started = time.perf_counter()
        dense = DenseIndex.build(build.vectors)
        keyword = KeywordIndex.build(build.tokens)
        ids = json.dumps([r.clause_id for r in build.records], ensure_ascii=False)
        writers = {
            DENSE_FILE: dense.save,
            KEYWORD_FILE: keyword.save,
            CLAUSE_IDS_FILE: lambda path: path.write_text(ids, encoding="utf-8"),
        }
        manifest = replace(
            build.manifest,
            dense_kind=dense.kind,
            dense_params=dense.params,
            dense_recall=dense.recall,
            backend=self.kind,
            keyword_kind="bm25",
            build_seconds=round(build.manifest.build_seconds + time.perf_counter() - started, 3),
        )
        return write_index(self.index_dir, manifest, writers)

    def current(self) -> tuple[str, Manifest]:
        generation, manifest = read_index(self.index_dir)  # every artefact's sha256 checked
        missing = set(FILES) - set(manifest.files)
        if missing:
            raise StaleIndex(self.index_dir, f"manifest.json does not list {', '.join(sorted(missing))}")
        return str(generation), manifest

    def open(self, generation: str, manifest: Manifest, records: Sequence[ClauseRecord]) -> FaissSnapshot:
        folder = Path(generation)
        try:
            dense = DenseIndex.load(folder / DENSE_FILE)
            keyword = KeywordIndex.load(folder / KEYWORD_FILE)
            ids = json.loads((folder / CLAUSE_IDS_FILE).read_text("utf-8"))
        except (RuntimeError, OSError, ValueError, KeyError) as exc:
            raise StaleIndex(self.index_dir, f"an index file cannot be read ({exc})") from exc
        known = {r.clause_id for r in records}
        unknown = next((cid for cid in ids if cid not in known), None)
        if unknown is not None:
            raise StaleIndex(self.index_dir, f"it lists a clause the corpus does not have ({unknown})")
        sizes = {"clause list": len(ids), "dense index": dense.size, "keyword index": keyword.size}
        if set(sizes.values()) != {len(records)}:
            counts = ", ".join(f"{name} {size}" for name, size in sizes.items())
            raise StaleIndex(
                self.index_dir, f"it does not hold the corpus's {len(records)} clauses ({counts})"
            )
        by_id = {r.clause_id: r for r in records}
        in_index_order = [replace(by_id[cid], position=n) for n, cid in enumerate(ids)]
        return FaissSnapshot(folder.name, dense, keyword, ids, in_index_order)

    def serving(self) -> str | None:
        return self.index_dir.resolve().name if self.index_dir.is_symlink() else None

    def close(self) -> None:
        """Nothing to release: the files are read into memory."""
