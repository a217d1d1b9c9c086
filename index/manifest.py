"""What an index was built from and how: stored with every build, by every backend.

The FAISS backend writes it as ``manifest.json`` beside its files; the Milvus backend stores the same
JSON as a property of the collection.  At start the spec of the current corpus, embedder and
tokenizer is compared with the stored one: any difference makes the index stale.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class IndexSpec:
    """What an index was built from: it serves only a corpus and embedder with the same spec."""

    corpus_fingerprint: str
    corpus_files: dict[str, str]  # corpus file name -> sha256
    clause_count: int
    texts_sha256: str  # over the exact texts embedded and tokenised: catches parser and recipe changes
    embedder: str
    dim: int
    tokenizer: str
    # sha256 of the tokenizer's user dictionary (the unit names the lexicon's rules find in the corpus):
    # a change of those rules changes the tokens even where the clause texts stay the same.
    lexicon: str = ""

    def differences(self, current: IndexSpec) -> list[str]:
        """What changed since the build, in words; [] when the index still fits."""
        found: list[str] = []
        if self.corpus_fingerprint != current.corpus_fingerprint:
            names = sorted(set(self.corpus_files) | set(current.corpus_files))
            changed = [n for n in names if self.corpus_files.get(n) != current.corpus_files.get(n)]
            found.append(f"the corpus changed since the build ({', '.join(changed)})")
        elif self.clause_count != current.clause_count:
            found.append(f"it holds {self.clause_count} clauses, the corpus has {current.clause_count}")
        elif self.texts_sha256 != current.texts_sha256:
            found.append(
                "the clause texts differ from the indexed ones (the parser or the text recipe changed)"
            )
        if (self.embedder, self.dim) != (current.embedder, current.dim):
            found.append(
                f"it was built with embedder {self.embedder} (dim {self.dim}), "
                f"the configured one is {current.embedder} (dim {current.dim})"
            )
        if self.tokenizer != current.tokenizer:
            found.append(f"it was tokenised with {self.tokenizer}, this version uses {current.tokenizer}")
        elif self.lexicon != current.lexicon:
            found.append(
                "the tokenizer's dictionary of unit names changed since the build (the lexicon changed)"
            )
        return found


@dataclass(frozen=True)
class Manifest:
    """The build record, field for field (manifest.json for FAISS, a collection property for Milvus)."""

    spec: IndexSpec
    dense_kind: str  # "flat" | "hnsw"
    versions: dict[str, str]  # library versions at build time
    built_at: str  # UTC, ISO 8601
    build_seconds: float
    files: dict[str, str] = field(default_factory=dict)  # artefact file name -> sha256 (FAISS)
    schema_version: int = SCHEMA_VERSION
    backend: str = "faiss"  # "faiss" | "milvus"
    keyword_kind: str = "bm25"  # how the keyword channel is stored: "bm25" (local), "sparse-bm25" (Milvus)
    # An approximate dense index is recorded with its parameters and its recall@10 against exact search,
    # measured at build (index.dense.sampled_recall); exact search: "" and 1.0; None: not measured.
    dense_params: str = ""
    dense_recall: float | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest; raises ValueError, KeyError or TypeError when it is not one."""
        data: dict[str, Any] = json.loads(text)
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            found = data.get("schema_version") if isinstance(data, dict) else None
            raise ValueError(f"schema version {found!r}, expected {SCHEMA_VERSION}")
        return cls(**{**data, "spec": IndexSpec(**data["spec"])})
