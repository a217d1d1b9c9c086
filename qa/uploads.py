"""Documents added by staff: checked before anything is written, then kept in the upload folder.

The corpus folder (CLAUSE_QA_CORPUS_DIR) is read only; uploads go to CLAUSE_QA_UPLOAD_DIR, which the
loader reads beside it and whose files the corpus names ``<folder>/<file>`` (``uploads/x.docx``).

An upload is read and parsed from its bytes (``corpus.readers.read_bytes``: nothing touches the disk)
and refused, with nothing written, when it cannot become a document: an unsupported type, an unreadable
or corrupt file (a compression bomb included), a file without a single task item, or text the documents
already hold.  Its name is reduced to a plain file name (no folders, no control characters).  Storing
is atomic and exclusive: the bytes go to a hidden temporary file, which is then hard-linked under a name
nobody holds (a name taken by another upload gets -2, -3 …), so two uploads at once both land and a
reader never sees half a file.  A small JSON file beside the uploads keeps, per file, its text's
sha256, when it was uploaded and what the parser found (for duplicate checks and for the ids the next
rebuild will give it).  A file lock serialises writers across processes (several workers).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from corpus.errors import ClauseQAError, CorpusError, UnreadableFile
from corpus.ids import document_ids
from corpus.loader import Corpus, build_corpus
from corpus.models import Document
from corpus.parser import parse_model
from corpus.readers import SUFFIXES, read_bytes, read_file

INDEX_FILE = ".uploads.json"
LOCK_FILE = ".uploads.lock"
MAX_NAME_BYTES = 200  # under every file system's 255, with room for "-12" and the temporary prefix
_UNSAFE = re.compile(r'[<>:"|?*]')  # names Windows refuses: the folder may be copied there
_SPACES = re.compile(r"\s+")


class UploadRefused(ClauseQAError):
    """An upload that cannot become a document; ``code`` says why, the message says what to do."""

    code = "upload_refused"


class UnsupportedType(UploadRefused):
    code = "unsupported_file_type"


class EmptyFile(UploadRefused):
    code = "empty_file"


class UnreadableUpload(UploadRefused):
    code = "unreadable_file"


class NoItems(UploadRefused):
    code = "no_items"


class DuplicateDocument(UploadRefused):
    code = "duplicate_document"

    def __init__(self, message: str, existing: str, document_ids: Sequence[str]) -> None:
        super().__init__(message)
        self.existing, self.document_ids = existing, tuple(document_ids)


class NotAnUpload(ClauseQAError):
    """A document of the read-only corpus folder: only uploaded ones can be removed."""


def safe_file_name(raw: str | None, fallback: str = "upload") -> str:
    """A plain file name from what a client sent: its last path part, without control characters."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # NUL, controls, bidi overrides
    name = PurePosixPath(name).name if "/" in name else name
    name = _SPACES.sub(" ", _UNSAFE.sub("_", name)).strip(" .")  # no hidden files, no "..", no trailing dot
    stem, suffix = _split(name)
    if not stem:
        stem = fallback
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


def _split(name: str) -> tuple[str, str]:
    path = PurePosixPath(name or "x")
    suffix = path.suffix if name and path.suffix and len(path.suffix) <= 6 else ""
    return (name[: -len(suffix)] if suffix else name), suffix


def text_sha256(text: str) -> str:
    """The content digest the corpus keeps per file (``SourceFile.sha256``): of the extracted text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Candidate:
    """A checked upload, not yet stored: its safe name, bytes, and its documents as parsed alone."""

    name: str
    data: bytes
    sha256: str
    documents: tuple[Document, ...]  # ids as if it were alone; ``UploadStore.planned_ids`` gives the real ones


def check_upload(raw_name: str | None, data: bytes) -> Candidate:
    """Read and parse an upload from its bytes; UploadRefused naming the problem when it is no document."""
    name = safe_file_name(raw_name)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "no suffix"
        raise UnsupportedType(f"{name}: {shown} is not a supported type; send one of {', '.join(SUFFIXES)}")
    if not data:
        raise EmptyFile(f"{name} is empty")
    try:
        model = read_bytes(name, data)
    except UnreadableFile as exc:
        raise UnreadableUpload(f"{name}: {exc.problem}") from None
    parsed = parse_model(model)
    try:
        alone = build_corpus([parsed])
    except CorpusError as exc:
        raise UnreadableUpload(f"{name}: {exc}") from None
    if not alone.clauses:
        raise NoItems(
            f"{name}: no numbered task was found in it (a task-division plan lists numbered items with their "
            "responsible units); nothing was stored"
        )
    return Candidate(name, data, parsed.sha256, alone.documents)


@dataclass(frozen=True)
class StoredUpload:
    file: str  # as the corpus names it: uploads/x.docx
    name: str  # the file name in the upload folder
    uploaded_at: str
    key: str | None  # short id of the admin key that uploaded it


class UploadStore:
    """The upload folder: add and remove files, tell uploads from corpus documents."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix = f"{folder.name}/"
        self._lock = threading.Lock()

    # --- what is there ----------------------------------------------------------------------
    def is_upload(self, file: str) -> bool:
        """Whether a corpus file name (``Document.source``) is one of this folder's."""
        return file.startswith(self.prefix)

    def names(self) -> list[str]:
        """The document files in the folder, in the loader's order."""
        if not self.folder.is_dir():
            return []
        return [p.name for p in sorted(self.folder.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]

    def recorded(self) -> dict[str, dict[str, Any]]:
        """What was recorded per upload, by corpus file name (uploads/x.docx); files put there by hand have none."""
        return {self.prefix + name: entry for name, entry in self._read_index().items()}

    # --- changes ----------------------------------------------------------------------------
    def add(self, candidate: Candidate, corpus: Corpus, key: str | None) -> StoredUpload:
        """Store ``candidate`` under a free name; DuplicateDocument when its text is already there."""
        with self._locked():
            index = self._read_index()
            names = self.names()
            existing = self._existing(candidate.sha256, corpus, index, names)
            if existing is not None:
                file, ids = existing
                which = f"{file} ({', '.join(ids)})" if ids else f"{file} (not yet indexed)"
                raise DuplicateDocument(f"{candidate.name}: the same text is already in the documents: {which}",
                                        file, ids)
            self.folder.mkdir(parents=True, exist_ok=True)
            name = self._write(candidate)
            stored = StoredUpload(self.prefix + name, name, datetime.now(UTC).isoformat(timespec="seconds"), key)
            index[name] = {
                "sha256": candidate.sha256,
                "uploaded_at": stored.uploaded_at,
                "key": key,
                "documents": [[d.year, d.short_name, list(d.places)] for d in candidate.documents],
            }
            self._write_index(index)
            return stored

    def remove(self, file: str) -> None:
        """Delete an uploaded file (uploads/x.docx); NotAnUpload for any other."""
        if not self.is_upload(file):
            raise NotAnUpload(f"{file} is in the read-only corpus folder (CLAUSE_QA_CORPUS_DIR): only uploaded "
                              "documents can be removed")
        name = file.removeprefix(self.prefix)
        with self._locked():
            (self.folder / name).unlink(missing_ok=True)
            index = self._read_index()
            index.pop(name, None)
            self._write_index(index)

    # --- the ids the next rebuild gives -----------------------------------------------------
    def planned_ids(self, corpus: Corpus) -> dict[str, list[str]]:
        """Each file's document ids as the next rebuild will give them: the corpus folder's files as loaded,
        then the upload folder's files as they are now (ids are unique across all, so one upload can
        qualify another document's id: two 2024 分工方案 both get their issuer's name)."""
        by_file: dict[str, list[Document]] = {}
        for document in corpus.documents:
            by_file.setdefault(document.source, []).append(document)
        index = self._read_index()
        plan: list[tuple[str, list[tuple[int | None, str, Sequence[str]]]]] = []
        for source in corpus.files:
            if not self.is_upload(source.name):
                plan.append((source.name, [(d.year, d.short_name, d.places) for d in by_file[source.name]]))
        for name in self.names():
            file = self.prefix + name
            recorded = index.get(name, {}).get("documents")
            drafts = (
                [(year, short, tuple(places)) for year, short, places in recorded]
                if recorded is not None
                else [(d.year, d.short_name, d.places) for d in by_file.get(file, [])]
            )
            plan.append((file, drafts))
        ids = iter(document_ids([draft for _, drafts in plan for draft in drafts]))
        return {file: [next(ids) for _ in drafts] for file, drafts in plan}

    # --- inside ------------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / LOCK_FILE).open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _existing(
        self, sha256: str, corpus: Corpus, index: dict[str, Any], names: list[str]
    ) -> tuple[str, list[str]] | None:
        """The file (and its document ids) that already holds this text, if one does."""
        loaded = {source.name: source.sha256 for source in corpus.files}
        ids: dict[str, list[str]] = {}
        for document in corpus.documents:
            ids.setdefault(document.source, []).append(document.document_id)
        for source in corpus.files:
            if not self.is_upload(source.name) and source.sha256 == sha256:
                return source.name, ids.get(source.name, [])
        for name in names:  # the folder as it is now: a removed upload is no duplicate, a pending one is
            file = self.prefix + name
            known = index.get(name, {}).get("sha256") or loaded.get(file) or self._sha_of(name)
            if known == sha256:
                return file, ids.get(file, [])
        return None

    def _sha_of(self, name: str) -> str | None:
        """The text digest of a file put into the folder by hand (not in the index)."""
        try:
            return text_sha256(read_file(self.folder / name).text)
        except (UnreadableFile, OSError):
            return None

    def _write(self, candidate: Candidate) -> str:
        """Write the bytes under a free name, atomically; the name it got."""
        temporary = self.folder / f".incoming-{secrets.token_hex(6)}"  # no document suffix: the loader skips it
        try:
            with temporary.open("xb") as handle:
                handle.write(candidate.data)
                handle.flush()
                os.fsync(handle.fileno())
            stem, suffix = _split(candidate.name)
            for attempt in range(1, 10_000):
                name = candidate.name if attempt == 1 else f"{stem}-{attempt}{suffix}"
                try:
                    os.link(temporary, self.folder / name)  # fails if the name is taken: never overwrites
                except FileExistsError:
                    continue
                return name
            raise OSError(f"no free name for {candidate.name} in {self.folder}")
        finally:
            temporary.unlink(missing_ok=True)

    def _read_index(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / INDEX_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or damaged: the files themselves are the truth, digests are recomputed
        return data if isinstance(data, dict) else {}

    def _write_index(self, index: dict[str, Any]) -> None:
        present = set(self.names())
        kept = {name: entry for name, entry in index.items() if name in present}
        temporary = self.folder / f".{INDEX_FILE}.{secrets.token_hex(4)}"
        temporary.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.folder / INDEX_FILE)
