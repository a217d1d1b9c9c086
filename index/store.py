"""The FAISS backend's index on disk: its manifest file, and atomic publication of a new build.

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
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from index.errors import NotAnIndexDir, StaleIndex
from index.manifest import SCHEMA_VERSION, IndexSpec, Manifest

__all__ = ["MANIFEST_FILE", "SCHEMA_VERSION", "IndexSpec", "Manifest", "read_index", "sha256_file", "write_index"]

MANIFEST_FILE = "manifest.json"


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
