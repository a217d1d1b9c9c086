"""The shared backend: every build is a new Milvus collection, and an alias names the current one.

A build writes a collection ``<alias>__g<UTC stamp>_<hex>``: rows of (position, clause id, document
id, year, units, dense vector, sparse BM25 vector), then its indexes; it loads it, waits until the
rows are visible at the consistency readers use, stores the manifest as a collection property, and
only then points the alias at it (``alter_alias`` is one metadata operation), so readers never see a
half-built index.  The previous collection is kept for readers still on it; older ones are dropped.

The keyword channel is stored as sparse vectors we compute: each clause's BM25 weight per term,
with the same tokenizer and formula as the local index (``KeywordIndex.build``), terms hashed to
32-bit dimensions; a query is 1.0 on each of its distinct terms, so the inner product is the BM25
score.  ``benchmarks/bench_milvus.py channels`` measures this against Milvus's own BM25 function.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from pymilvus import DataType, MilvusClient

from index.backends.base import NO_FILTERS, ClauseRecord, Filters, IndexBuild, Ranking
from index.backends.milvus_client import MilvusConnection
from index.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_MIN_VECTORS, sampled_recall
from index.errors import IndexUnavailable, NotAnIndexCollection, StaleIndex
from index.keyword import KeywordIndex
from index.manifest import Manifest

log = logging.getLogger(__name__)

MANIFEST_PROPERTY = "clause_qa.manifest"
KEYWORD_KIND = "sparse-bm25/blake2b-32"
_GENERATION = re.compile(r"__g(\d{8}T\d{6})_[0-9a-f]{6}$")
_TERM_SPACE = 2**32 - 1  # sparse dimensions are 0 … 2**32 - 2
_MAX_TOPK = 16_384  # Milvus's limit on one search's results
_TEXT_BYTES = 1024  # VARCHAR limits are bytes: 341 CJK characters for an id or a unit name
_INSERT_ROWS = 1_000  # rows per insert: ~3 KB each at 384 dimensions, far under gRPC's message limit
_SLOW_CALL_S = 600.0  # deadline of build steps and of loading at start, which take long on big corpora
_ABANDONED_S = 3_600  # a collection without a manifest this old is a crashed build: pruned


def term_id(term: str) -> int:
    """The sparse dimension of a token: stable across processes (not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little") % _TERM_SPACE


def query_vector(tokens: Sequence[str]) -> dict[int, float]:
    return {term_id(token): 1.0 for token in set(tokens)}


def sparse_rows(tokens: Sequence[Sequence[str]]) -> tuple[list[dict[int, float]], int]:
    """Each document's {dimension: BM25 weight}, and how many terms share a dimension with another.

    Colliding terms add up in a row, as they would in Milvus's own BM25 function, which hashes too.
    """
    keyword = KeywordIndex.build(tokens)
    vocabulary = sorted(keyword.terms, key=keyword.terms.__getitem__)
    dims = np.array([term_id(term) for term in vocabulary], dtype=np.int64)
    collisions = len(dims) - len(np.unique(dims))
    term_of_posting = np.repeat(np.arange(len(dims)), np.diff(keyword.indptr))
    order = np.argsort(keyword.docs, kind="stable")
    docs, weights = keyword.docs[order], keyword.weights[order]
    posting_dims = dims[term_of_posting[order]]
    bounds = np.searchsorted(docs, np.arange(keyword.size + 1))
    rows: list[dict[int, float]] = []
    for doc in range(keyword.size):
        row: dict[int, float] = {}
        span = slice(bounds[doc], bounds[doc + 1])
        for dim, weight in zip(posting_dims[span].tolist(), weights[span].tolist(), strict=True):
            row[dim] = row.get(dim, 0.0) + weight
        rows.append(row)
    return rows, collisions


def _strings(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)  # a Milvus string list, quotes escaped


def filter_expression(filters: Filters) -> str:
    """The Milvus boolean expression of ``filters``; "" keeps everything."""
    parts = []
    if filters.documents:
        parts.append(f"document_id in {_strings(filters.documents)}")
    if filters.years:
        parts.append(f"year in {json.dumps([int(y) for y in filters.years])}")
    if filters.units:
        parts.append(f"array_contains_any(units, {_strings(filters.units)})")
    return " and ".join(parts)


def _ranking(hits: list[list[dict[str, Any]]], positive_only: bool) -> Ranking:
    pairs = [(int(hit["pk"]), float(hit["distance"])) for hit in (hits[0] if hits else [])]
    # Ties in position order, as the local index breaks them.
    return sorted((p for p in pairs if p[1] > 0 or not positive_only), key=lambda p: (-p[1], p[0]))


class MilvusSnapshot:
    """One collection, loaded; searches name it (not the alias), so a rebuild never changes it underfoot."""

    def __init__(
        self, connection: MilvusConnection, generation: str, clause_ids: list[str], dim: int, dense_kind: str
    ) -> None:
        self.generation, self.size, self.dim = generation, len(clause_ids), dim
        self._connection, self._ids, self._hnsw = connection, clause_ids, dense_kind == "hnsw"

    def clause_ids(self) -> Sequence[str]:
        return self._ids

    def _search(self, data: Any, field: str, k: int, filters: Filters, params: dict[str, Any]) -> list:
        client = self._connection.client
        return self._connection.call(
            client.search,
            self.generation,
            data=[data],
            anns_field=field,
            limit=min(k, _MAX_TOPK),
            filter=filter_expression(filters),
            output_fields=["pk"],
            search_params=params,
            reload=self.generation,
        )

    def keyword(self, tokens: Sequence[str], k: int, filters: Filters = NO_FILTERS) -> Ranking:
        query = query_vector(tokens)
        if not query:
            return []
        return _ranking(self._search(query, "keyword", k, filters, {"metric_type": "IP"}), positive_only=True)

    def dense(self, vector: np.ndarray, k: int, filters: Filters = NO_FILTERS) -> Ranking:
        params = _dense_params(k) if self._hnsw else {"metric_type": "IP"}
        data = np.asarray(vector, dtype=np.float32).tolist()
        return _ranking(self._search(data, "dense", k, filters, params), positive_only=False)

    def vector(self, position: int) -> np.ndarray:
        client = self._connection.client
        rows = self._connection.call(
            client.get, self.generation, ids=[position], output_fields=["dense"], reload=self.generation
        )
        return np.asarray(rows[0]["dense"], dtype=np.float32)


def _dense_params(k: int) -> dict[str, Any]:
    return {"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, k)}}


class _CollectionSearch:
    """A collection's dense search in FAISS's shape, for ``index.dense.sampled_recall`` (one batched call)."""

    def __init__(self, connection: MilvusConnection, name: str) -> None:
        self._connection, self._name = connection, name

    def search(self, queries: np.ndarray, k: int) -> tuple[None, np.ndarray]:
        hits = self._connection.call(
            self._connection.client.search,
            self._name,
            data=queries.tolist(),
            anns_field="dense",
            limit=k,
            output_fields=["pk"],
            search_params=_dense_params(k),
            timeout=_SLOW_CALL_S,
        )
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        for row, found in enumerate(hits):
            ids[row, : len(found)] = [int(hit["pk"]) for hit in found]
        return None, ids


class MilvusBackend:
    kind = "milvus"
    follows_rebuilds = True

    def __init__(self, connection: MilvusConnection, alias: str = "clause_qa") -> None:
        self._connection, self.alias = connection, alias
        self.location = f"{connection.location}, collection alias {alias}"

    # --- reading ---------------------------------------------------------------------------------
    def _target(self) -> str | None:
        """The collection the alias names, None when there is no such alias."""
        client = self._connection.client
        if self.alias not in self._connection.call(client.list_aliases).get("aliases", []):
            return None
        return self._connection.call(client.describe_alias, self.alias)["collection_name"]

    def _manifest_of(self, collection: str) -> Manifest | None:
        client = self._connection.client
        text = (
            self._connection.call(client.describe_collection, collection)
            .get("properties", {})
            .get(MANIFEST_PROPERTY)
        )
        if text is None:
            return None
        try:
            return Manifest.from_json(text)
        except (ValueError, KeyError, TypeError) as exc:
            raise StaleIndex(
                self.location, f"the manifest of {collection} is not a valid manifest ({exc})"
            ) from exc

    def serving(self) -> str | None:
        return self._target() if self._connection.use_database(create=False) else None

    def current(self) -> tuple[str, Manifest]:
        if not self._connection.use_database(create=False):
            raise StaleIndex(self.location, f"database {self._connection.database} does not exist yet")
        target = self._target()
        if target is None:
            if self._connection.call(self._connection.client.has_collection, self.alias):
                raise NotAnIndexCollection(self.location, self.alias)
            raise StaleIndex(self.location, "no index has been built there")
        manifest = self._manifest_of(target)
        if manifest is None:
            raise NotAnIndexCollection(self.location, target)
        return target, manifest

    def open(self, generation: str, manifest: Manifest, records: Sequence[ClauseRecord]) -> MilvusSnapshot:
        connection, client = self._connection, self._connection.client
        connection.call(client.load_collection, generation, timeout=_SLOW_CALL_S)
        rows = connection.call(client.query, generation, filter="", output_fields=["count(*)"])[0]["count(*)"]
        if rows != len(records):
            raise StaleIndex(
                self.location, f"{generation} holds {rows} clauses, the corpus has {len(records)}"
            )
        ids = [r.clause_id for r in records]
        ends = sorted({0, len(ids) - 1}) if ids else []
        stored = connection.call(client.get, generation, ids=ends, output_fields=["pk", "clause_id"])
        if {int(r["pk"]): r["clause_id"] for r in stored} != {n: ids[n] for n in ends}:
            raise StaleIndex(self.location, f"the clause ids in {generation} differ from the corpus's")
        fields = connection.call(client.describe_collection, generation)["fields"]
        dim = int(next(f for f in fields if f["name"] == "dense")["params"]["dim"])
        return MilvusSnapshot(connection, generation, ids, dim, manifest.dense_kind)

    # --- writing ---------------------------------------------------------------------------------
    def _refuse_foreign(self) -> str | None:
        """The collection the alias names now (None: no alias yet); refuses a name clause-qa does not own."""
        target = self._target()
        if target is None and self._connection.call(self._connection.client.has_collection, self.alias):
            raise NotAnIndexCollection(self.location, self.alias)
        if target is not None and self._manifest_of(target) is None:
            raise NotAnIndexCollection(self.location, target)
        return target

    def _schema(self, dim: int, max_units: int) -> Any:
        schema = MilvusClient.create_schema(
            auto_id=False, enable_dynamic_field=False, description="clause-qa index generation"
        )
        schema.add_field("pk", DataType.INT64, is_primary=True, description="position in the build")
        schema.add_field("clause_id", DataType.VARCHAR, max_length=_TEXT_BYTES)
        schema.add_field("document_id", DataType.VARCHAR, max_length=_TEXT_BYTES)
        schema.add_field("year", DataType.INT64, nullable=True)
        schema.add_field(
            "units",
            DataType.ARRAY,
            element_type=DataType.VARCHAR,
            max_capacity=max(1, max_units),
            max_length=_TEXT_BYTES,
        )
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("keyword", DataType.SPARSE_FLOAT_VECTOR)
        return schema

    def _indexes(self, dense_kind: str) -> Any:
        params = self._connection.client.prepare_index_params()
        if dense_kind == "hnsw":
            params.add_index(
                "dense",
                index_type="HNSW",
                metric_type="IP",
                params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
            )
        else:
            params.add_index("dense", index_type="FLAT", metric_type="IP")
        params.add_index("keyword", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        params.add_index("document_id", index_type="INVERTED")
        params.add_index("year", index_type="INVERTED")
        return params

    def _rows(self, build: IndexBuild, sparse: list[dict[int, float]]) -> Iterator[list[dict[str, Any]]]:
        for start in range(0, len(build.records), _INSERT_ROWS):
            yield [
                {
                    "pk": r.position,
                    "clause_id": r.clause_id,
                    "document_id": r.document_id,
                    "year": r.year,
                    "units": list(r.units),
                    "dense": build.vectors[r.position].tolist(),
                    "keyword": sparse[r.position],
                }
                for r in build.records[start : start + _INSERT_ROWS]
            ]

    def _wait_indexed(self, name: str) -> None:
        """Until every index of the collection is built (searches of unindexed segments scan them)."""
        client, deadline = self._connection.client, time.monotonic() + _SLOW_CALL_S
        while True:
            states = {
                index: self._connection.call(client.describe_index, name, index)["state"]
                for index in self._connection.call(client.list_indexes, name)
            }
            failed = [index for index, state in states.items() if state == "Failed"]
            if failed:
                raise IndexUnavailable(
                    self.location, f"Milvus failed to build the {', '.join(failed)} index of {name}"
                )
            if all(state == "Finished" for state in states.values()):
                return
            if time.monotonic() > deadline:
                raise IndexUnavailable(
                    self.location, f"the indexes of {name} were not built within {_SLOW_CALL_S} s"
                )
            time.sleep(0.1)

    def _wait_visible(self, name: str, rows: int) -> None:
        """Until a read at the collection's consistency level counts every row."""
        client, deadline = self._connection.client, time.monotonic() + _SLOW_CALL_S
        while (
            self._connection.call(client.query, name, filter="", output_fields=["count(*)"])[0]["count(*)"]
            < rows
        ):
            if time.monotonic() > deadline:
                raise IndexUnavailable(
                    self.location, f"{name} did not show its {rows} rows within {_SLOW_CALL_S} s"
                )
            time.sleep(0.2)

    def publish(self, build: IndexBuild) -> Manifest:
        started = time.perf_counter()
        connection, client = self._connection, self._connection.client
        connection.use_database(create=True)
        previous = self._refuse_foreign()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"{self.alias}__g{stamp}_{secrets.token_hex(3)}"
        dense_kind = "hnsw" if len(build.records) >= HNSW_MIN_VECTORS else "flat"
        sparse, collisions = sparse_rows(build.tokens)
        if collisions:
            log.warning("%d of the vocabulary's terms share a sparse dimension with another term", collisions)
        schema = self._schema(build.vectors.shape[1], max((len(r.units) for r in build.records), default=0))
        connection.call(
            client.create_collection, name, schema=schema, consistency_level="Bounded", timeout=_SLOW_CALL_S
        )
        try:
            for rows in self._rows(build, sparse):
                connection.call(client.insert, name, rows, timeout=_SLOW_CALL_S)
            connection.call(client.flush, name, timeout=_SLOW_CALL_S)
            # sync=False and our own wait: pymilvus polls each index every 0.5 s, 2 s for four small ones.
            connection.call(
                client.create_index, name, self._indexes(dense_kind), timeout=_SLOW_CALL_S, sync=False
            )
            self._wait_indexed(name)
            connection.call(client.load_collection, name, timeout=_SLOW_CALL_S)
            self._wait_visible(name, len(build.records))
            hnsw = dense_kind == "hnsw"
            # An approximate index is published with its recall@10 against exact search, as FAISS's is.
            recall = (
                round(sampled_recall(_CollectionSearch(connection, name), build.vectors), 3) if hnsw else 1.0
            )
            manifest = replace(
                build.manifest,
                dense_kind=dense_kind,
                dense_params=f"M={HNSW_M} efConstruction={HNSW_EF_CONSTRUCTION} ef={HNSW_EF_SEARCH}"
                if hnsw
                else "",
                dense_recall=recall,
                backend=self.kind,
                keyword_kind=KEYWORD_KIND,
                build_seconds=round(build.manifest.build_seconds + time.perf_counter() - started, 3),
            )
            connection.call(client.alter_collection_properties, name, {MANIFEST_PROPERTY: manifest.to_json()})
            if previous is None:
                connection.call(client.create_alias, name, self.alias)
            else:
                connection.call(client.alter_alias, name, self.alias)
        except BaseException:
            self._drop_quietly(name)
            raise
        self._prune({name, previous})
        return manifest

    def _drop_quietly(self, name: str) -> None:
        try:
            self._connection.call(self._connection.client.drop_collection, name)
        except Exception as exc:  # noqa: BLE001 - the build's own error is the one to report
            log.warning("could not drop the unfinished collection %s: %s", name, exc)

    def _prune(self, keep: set[str | None]) -> None:
        """Drop our older generations: finished ones, and unfinished ones old enough to be abandoned."""
        client, now = self._connection.client, datetime.now(UTC)
        for name in self._connection.call(client.list_collections):
            match = _GENERATION.search(name)
            if name in keep or not name.startswith(f"{self.alias}__g") or match is None:
                continue
            age = (
                now - datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            ).total_seconds()
            if age > _ABANDONED_S or self._manifest_of(name) is not None:
                self._connection.call(client.drop_collection, name)

    def close(self) -> None:
        self._connection.close()
