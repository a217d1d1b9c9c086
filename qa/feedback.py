"""Staff votes on answers (thumbs up or down, an optional note), kept in one SQLite file.

The API adds votes and lists them for admins; `clause-qa feedback export` reads them back as gold-set
candidates.  It lives in the qa layer because both of those (api, evaluation) sit above qa.

A connection per call: sqlite3 connections must not cross threads and FastAPI runs sync routes in a
thread pool; opening one costs far less than answering a question.  WAL mode lets an export read while
the service writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from corpus.errors import ClauseQAError

Rating = Literal["up", "down"]
RATINGS: tuple[Rating, ...] = ("up", "down")
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    history TEXT NOT NULL,          -- JSON list of the earlier user questions, oldest first
    answer TEXT NOT NULL,
    answerable INTEGER NOT NULL,
    question_type TEXT NOT NULL,
    citations TEXT NOT NULL,        -- JSON list of the cited clause ids, in answer order
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_rating ON feedback (rating, id);
"""


class FeedbackStoreError(ClauseQAError):
    """The feedback file cannot be opened, read or written (a server-side problem, not the client's)."""


@dataclass(frozen=True)
class Feedback:
    """One vote on one answer, with what the voter saw."""

    rating: Rating
    question: str
    answer: str
    answerable: bool
    question_type: str
    citations: tuple[str, ...]  # clause ids the answer cited
    history: tuple[str, ...] = ()  # earlier user questions of the conversation
    note: str = ""


@dataclass(frozen=True)
class StoredFeedback:
    id: int
    created_at: str  # ISO 8601, UTC, seconds
    feedback: Feedback


def _row(row: sqlite3.Row) -> StoredFeedback:
    return StoredFeedback(
        id=row["id"],
        created_at=row["created_at"],
        feedback=Feedback(
            rating=row["rating"],
            question=row["question"],
            answer=row["answer"],
            answerable=bool(row["answerable"]),
            question_type=row["question_type"],
            citations=tuple(json.loads(row["citations"])),
            history=tuple(json.loads(row["history"])),
            note=row["note"],
        ),
    )


class FeedbackStore:
    """The feedback file at ``path``; created, with its folder, on the first vote."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=5)
            elif not self.path.exists():
                raise FeedbackStoreError(f"no feedback has been stored yet ({self.path} does not exist)")
            else:
                connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            with closing(connection):
                connection.row_factory = sqlite3.Row
                if write:
                    connection.execute("PRAGMA journal_mode=WAL")
                    if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                        connection.executescript(_SCHEMA)
                        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                with connection:  # one transaction: committed on success, rolled back on error
                    yield connection
        except (sqlite3.Error, OSError) as exc:
            raise FeedbackStoreError(f"the feedback file {self.path} cannot be used: {exc}") from exc

    def add(self, feedback: Feedback) -> StoredFeedback:
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, rating, question, history, answer, answerable, question_type,"
                " citations, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    feedback.rating,
                    feedback.question,
                    json.dumps(list(feedback.history), ensure_ascii=False),
                    feedback.answer,
                    int(feedback.answerable),
                    feedback.question_type,
                    json.dumps(list(feedback.citations), ensure_ascii=False),
                    feedback.note,
                ),
            )
            identifier = cursor.lastrowid
        assert identifier is not None
        return StoredFeedback(identifier, created, feedback)

    def page(self, rating: Rating | None = None, limit: int = 100, offset: int = 0) -> tuple[int, list[StoredFeedback]]:
        """(how many votes match, the ``limit`` newest after skipping ``offset``); (0, []) before the first vote."""
        if not self.path.exists():
            return 0, []
        where, args = ("WHERE rating = ?", (rating,)) if rating else ("", ())
        with self._connect(write=False) as db:
            total = db.execute(f"SELECT COUNT(*) FROM feedback {where}", args).fetchone()[0]
            rows = db.execute(
                f"SELECT * FROM feedback {where} ORDER BY id DESC LIMIT ? OFFSET ?", (*args, limit, offset)
            ).fetchall()
        return total, [_row(r) for r in rows]

    def all(self) -> list[StoredFeedback]:
        """Every vote, oldest first; FeedbackStoreError when there is no file yet."""
        with self._connect(write=False) as db:
            return [_row(r) for r in db.execute("SELECT * FROM feedback ORDER BY id").fetchall()]
