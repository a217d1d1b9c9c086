"""The index on disk: its manifest, and atomic publication of a new build.

Layout (``out_dir`` = var/index by default)::

    var/index -> .index.gen-20240101T000000-1a2b3c   (symlink, swapped atomically)
    var/.index.gen-…/manifest.json, dense.faiss, keyword.npz, clause_ids.json
    var/.index.lock                                  (serialises builders)

A build writes a fresh generation directory next to ``out_dir`` and then
replaces the symlink with ``os.replace``, so a reader resolves either the old
or the new generation, never a half-written one.  The previous generation is
kept (a reader may still be reading it); older ones are removed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from index.errors import NotAnIndexDir, StaleIndex

SCHEMA_VERSION = 2
MANIFEST_FILE = "manifest.json"


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
        return found


@dataclass(frozen=True)
class Manifest:
    """manifest.json, field for field."""

    spec: IndexSpec
    dense_kind: str  # "flat" | "hnsw"
    versions: dict[str, str]  # library versions at build time
    built_at: str  # UTC, ISO 8601
    build_seconds: float
    files: dict[str, str] = field(default_factory=dict)  # artefact file name -> sha256
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse manifest.json; raises ValueError, KeyError or TypeError when it is not one."""
        data: dict[str, Any] = json.loads(text)
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"schema version {data.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        return cls(**{**data, "spec": IndexSpec(**data["spec"])})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_index(index_dir: Path) -> tuple[Path, Manifest]:
    """The generation directory ``index_dir`` points to and its manifest, every artefact checked.

    Raises StaleIndex when the index is missing, its manifest unreadable, or a file missing or altered.
    """
    generation = index_dir.resolve()
    manifest_path = generation / MANIFEST_FILE
    if not manifest_path.is_file():
        raise StaleIndex(
            index_dir,
            "no index has been built there" if not generation.exists() else "manifest.json is missing",
        )
    try:
        manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise StaleIndex(index_dir, f"manifest.json is not a valid manifest ({exc})") from exc
    for name, expected in manifest.files.items():
        path = generation / name
        if not path.is_file():
            raise StaleIndex(index_dir, f"{name} is missing")
        if sha256_file(path) != expected:
            raise StaleIndex(index_dir, f"{name} is damaged (its sha256 differs from the manifest)")
    return generation, manifest


@contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """One builder at a time per index directory, across processes."""
    with (out_dir.parent / f".{out_dir.name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_plain_dir(out_dir: Path) -> bool:
    """True for a real folder at ``out_dir``; refuse one that holds anything but an index."""
    if not out_dir.exists() or out_dir.is_symlink():
        return False
    if not out_dir.is_dir() or any(out_dir.iterdir()) and not (out_dir / MANIFEST_FILE).exists():
        raise NotAnIndexDir(out_dir)
    return True


def _swap_in(out_dir: Path, generation: Path) -> None:
    """Point ``out_dir`` at ``generation`` in one rename."""
    if _is_plain_dir(out_dir):
        # An empty folder or an index written by hand cannot be swapped for a symlink in one step.
        shutil.rmtree(out_dir)
    link = out_dir.parent / f".{out_dir.name}.link-{secrets.token_hex(4)}"
    os.symlink(generation.name, link)
    os.replace(link, out_dir)


def _prune(out_dir: Path, keep: set[Path]) -> None:
    for old in out_dir.parent.glob(f".{out_dir.name}.gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def write_index(out_dir: Path, manifest: Manifest, writers: Mapping[str, Callable[[Path], None]]) -> Manifest:
    """Write each artefact with its writer, then manifest.json with their hashes, then swap the build in."""
    _is_plain_dir(out_dir)  # refuse a foreign folder before any work
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        generation = out_dir.parent / f".{out_dir.name}.gen-{stamp}-{secrets.token_hex(3)}"
        generation.mkdir()
        try:
            for name, write in writers.items():
                write(generation / name)
            manifest = replace(manifest, files={name: sha256_file(generation / name) for name in writers})
            (generation / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
            for path in (*generation.iterdir(), generation):
                _fsync(path)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        previous = out_dir.resolve() if out_dir.is_symlink() else None
        _swap_in(out_dir, generation)
        _prune(out_dir, {generation.resolve(), *([previous] if previous else [])})
    return manifest
