"""The documents and how each parsed (GET), and adding and removing documents (admin: POST, DELETE).

An upload is checked completely before anything is written (qa.uploads), stored in CLAUSE_QA_UPLOAD_DIR,
and taken in by a background rebuild (qa.rebuild): the answer is a 202 with the ids its documents will
have and what the parser found; GET /api/index/status tells when it answers.  Every upload and removal,
accepted or refused, writes one audit line (api.audit).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.admin import ADMIN_ERRORS, check_admin, presented_key
from api.audit import audit
from api.deps import get_rebuilder, get_service, get_settings, get_uploads
from api.errors import ApiError
from api.schemas import DocumentList, DocumentOut, ErrorResponse, RemovalOut, UploadOut
from corpus.errors import UnknownDocument
from corpus.loader import Corpus
from corpus.models import Document
from qa.rebuild import Change, Rebuilder
from qa.service import QAService
from qa.settings import Settings
from qa.uploads import (
    DuplicateDocument,
    NotAnUpload,
    UnsupportedType,
    UploadRefused,
    UploadStore,
    check_upload,
    safe_file_name,
)

router = APIRouter(tags=["documents"])
# Room for the multipart framing around the file (boundaries, part headers): the body limit of the upload
# path is CLAUSE_QA_MAX_UPLOAD_BYTES plus this; the file itself is checked against the setting exactly.
MULTIPART_SLACK = 64 * 1024
_REFUSED_STATUS = {UnsupportedType: 415, DuplicateDocument: 409}
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "the document: .txt .md .docx .pdf .html .htm, at most CLAUSE_QA_MAX_UPLOAD_BYTES",
                    }
                },
            }
        }
    },
}


def too_large_message(settings: Settings) -> str:
    return f"the upload is larger than the limit of {settings.max_upload_bytes} bytes (CLAUSE_QA_MAX_UPLOAD_BYTES)"


def audited_admin(action: str):
    """``require_admin`` that also writes the audit line of a refused key (no key, a user key, a wrong one)."""

    def dependency(request: Request, presented: Annotated[str | None, Depends(presented_key)]) -> str:
        try:
            return check_admin(request, presented)
        except ApiError as exc:
            audit(action, request.path_params.get("document_id"), None, exc.code, status=exc.status)
            raise

    return dependency


def described(document: Document, uploads: UploadStore, recorded: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A document as the API shows it: its record, where it came from, and when an upload arrived."""
    data = document.to_dict()
    data["origin"] = "upload" if uploads.is_upload(document.source) else "corpus"
    data["uploaded_at"] = recorded.get(document.source, {}).get("uploaded_at")
    return data


@router.get("/api/documents", response_model=DocumentList)
def list_documents(
    service: Annotated[QAService, Depends(get_service)], uploads: Annotated[UploadStore, Depends(get_uploads)]
) -> dict[str, Any]:
    """Every document with its issuers, 文号, date, clause count, parse report and origin."""
    corpus, recorded = service.corpus, uploads.recorded()
    return {
        "count": len(corpus.documents),
        "corpus": {"title": corpus.title, "places": list(corpus.places)},
        "documents": [described(d, uploads, recorded) for d in corpus.documents],
        "unreadable": [{"file": u.source, "problem": u.problem} for u in corpus.unreadable],
    }


@router.get("/api/documents/{document_id}", response_model=DocumentOut, responses={404: {"model": ErrorResponse}})
def get_document(
    document_id: str,
    service: Annotated[QAService, Depends(get_service)],
    uploads: Annotated[UploadStore, Depends(get_uploads)],
) -> dict[str, Any]:
    """One document (by id, title or short name) with its parse report; unknown → 404 naming it."""
    return described(service.corpus.document(document_id), uploads, uploads.recorded())


async def _read_upload(request: Request, settings: Settings) -> tuple[str | None, bytes]:
    """The file name as sent and the bytes of the multipart field ``file``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise ApiError(415, "not_multipart", "send the document as multipart/form-data, in the field `file`")
    try:
        form = await request.form(max_files=1, max_fields=8)
    except StarletteHTTPException as exc:
        if exc.status_code == 413:  # the body limit of api.limits, met while streaming
            raise ApiError(413, "upload_too_large", too_large_message(settings)) from None
        raise ApiError(400, "invalid_multipart", f"the multipart body cannot be read: {exc.detail}") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "missing_file", "no file in the field `file` of the multipart form")
        data = await upload.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise ApiError(413, "upload_too_large", too_large_message(settings))
        return upload.filename, data
    finally:
        await form.close()


@router.post(
    "/api/documents",
    status_code=202,
    response_model=UploadOut,
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        **ADMIN_ERRORS,
        400: {"model": ErrorResponse, "description": "not a readable multipart body"},
        409: {"model": ErrorResponse, "description": "the same text is already in the documents (named)"},
        413: {"model": ErrorResponse, "description": "over CLAUSE_QA_MAX_UPLOAD_BYTES"},
        415: {"model": ErrorResponse, "description": "not multipart, or a file type the readers do not know"},
        422: {"model": ErrorResponse, "description": "no file, an empty, unreadable or corrupt one, or no task in it"},
        503: {"model": ErrorResponse, "description": "the upload folder cannot be written"},
    },
)
async def upload_document(
    request: Request,
    key: Annotated[str, Depends(audited_admin("upload"))],
    settings: Annotated[Settings, Depends(get_settings)],
    uploads: Annotated[UploadStore, Depends(get_uploads)],
    rebuilder: Annotated[Rebuilder, Depends(get_rebuilder)],
) -> dict[str, Any]:
    """Add a document (admin key): checked, stored in the upload folder, indexed in the background."""
    sent: str | None = None
    try:
        sent, data = await _read_upload(request, settings)
        candidate = await run_in_threadpool(check_upload, sent, data)
        corpus = request.app.state.service.corpus
        stored = await run_in_threadpool(uploads.add, candidate, corpus, key)
    except UploadRefused as exc:
        status = _REFUSED_STATUS.get(type(exc), 422)
        audit("upload", safe_file_name(sent), key, exc.code, status=status, sent_name=sent)
        raise ApiError(status, exc.code, str(exc)) from None
    except ApiError as exc:
        audit("upload", safe_file_name(sent) if sent else None, key, exc.code, status=exc.status)
        raise
    except OSError as exc:
        audit("upload", safe_file_name(sent), key, "storage_unavailable", status=503, error=str(exc))
        raise ApiError(503, "storage_unavailable", f"the upload folder cannot be written: {exc.strerror}") from None
    rebuilder.request(Change("upload", stored.file, key))
    planned = await run_in_threadpool(uploads.planned_ids, corpus)
    ids = planned.get(stored.file, [])
    renamed = [{"document_id": old, "becomes": new} for old, new in _renamed(corpus, planned)]
    documents = []
    for document, document_id in zip(candidate.documents, ids, strict=False):
        shown = document.to_dict() | {"document_id": document_id, "origin": "upload",
                                       "uploaded_at": stored.uploaded_at}
        shown["source"] = {**shown["source"], "file": stored.file}
        documents.append(shown)
    audit("upload", stored.file, key, "accepted", status=202, document_ids=ids, sent_name=sent)
    return {
        "file": stored.file, "document_ids": ids, "documents": documents, "renamed": renamed,
        "sent_name": sent or "", "status": rebuilder.status(),
    }


def _renamed(corpus: Corpus, planned: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(id now, id after the rebuild) of each loaded document whose id the change qualifies."""
    now: dict[str, list[str]] = {}
    for document in corpus.documents:
        now.setdefault(document.source, []).append(document.document_id)
    return [
        (old, new)
        for file, ids in now.items()
        for old, new in zip(ids, planned.get(file, ids), strict=False)
        if old != new
    ]


def _file_of(document_id: str, service: QAService, uploads: UploadStore) -> tuple[str, list[str]]:
    """The file holding a document and the ids of all its documents: loaded, or uploaded and not yet indexed."""
    corpus = service.corpus
    try:
        source = corpus.document(document_id).source
    except UnknownDocument:
        loaded = {f.name for f in corpus.files}
        for file, ids in uploads.planned_ids(corpus).items():
            if document_id in ids and file not in loaded:
                return file, ids
        raise
    return source, [d.document_id for d in corpus.documents if d.source == source]


@router.delete(
    "/api/documents/{document_id}",
    status_code=202,
    response_model=RemovalOut,
    responses={
        **ADMIN_ERRORS,
        404: {"model": ErrorResponse, "description": "no such document, or it was removed already"},
        409: {"model": ErrorResponse, "description": "a document of the read-only corpus folder, or the last one"},
        503: {"model": ErrorResponse, "description": "the upload folder cannot be written"},
    },
)
def remove_document(
    document_id: str,
    request: Request,
    key: Annotated[str, Depends(audited_admin("remove"))],
    uploads: Annotated[UploadStore, Depends(get_uploads)],
    rebuilder: Annotated[Rebuilder, Depends(get_rebuilder)],
) -> dict[str, Any]:
    """Remove an uploaded document (admin key) with its file; the rebuild that takes it out runs in the background.

    A file may hold several documents (a notice with two plans): all of them go.
    """
    service: QAService = request.app.state.service
    try:
        file, ids = _file_of(document_id, service, uploads)
        if not uploads.is_upload(file):
            raise NotAnUpload(f"{document_id} comes from {file} in the read-only corpus folder "
                              "(CLAUSE_QA_CORPUS_DIR): only uploaded documents can be removed")
        if file.removeprefix(uploads.prefix) not in uploads.names():
            raise ApiError(404, "already_removed", f"{document_id} ({file}) was removed already; the rebuild "
                           "under way takes it out (GET /api/index/status)")
        others = [f for f in service.corpus.files if not uploads.is_upload(f.name)] + uploads.names()
        if len(others) <= 1:
            raise ApiError(409, "last_document", f"{document_id} is the last document: the service needs one")
        uploads.remove(file)
    except UnknownDocument as exc:
        audit("remove", document_id, key, "unknown_document", status=404)
        raise ApiError(404, "unknown_document", str(exc)) from None
    except NotAnUpload as exc:
        audit("remove", document_id, key, "read_only_document", status=409)
        raise ApiError(409, "read_only_document", str(exc)) from None
    except ApiError as exc:
        audit("remove", document_id, key, exc.code, status=exc.status)
        raise
    except OSError as exc:
        audit("remove", document_id, key, "storage_unavailable", status=503, error=str(exc))
        raise ApiError(503, "storage_unavailable", f"the upload folder cannot be written: {exc.strerror}") from None
    rebuilder.request(Change("remove", file, key))
    audit("remove", ids, key, "removed", status=202, file=file)
    return {"file": file, "document_ids": ids, "status": rebuilder.status()}
