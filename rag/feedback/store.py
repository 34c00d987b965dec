"""The feedback store: one SQLite file under the data directory.

WAL with synchronous=FULL: `add` returns only after the row is on disk, so whatever the API or the UI
has acknowledged survives a crash or a kill -9 of the server.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rag.durable_sqlite import connect, shared

FILE_NAME = "feedback.sqlite3"
RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
PAGE_ROWS = 500  # rows read per lock hold while iterating

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
"""


@dataclass
class Feedback:
    rating: str
    question: str
    answer: str
    citations: list = field(default_factory=list)  # citation dicts as the answer gave them (or bare ids)
    comment: str = ""
    mode: str = ""  # how the answer was made: extractive | llm | header
    source: str = ""  # where it was given: api | ui
    id: int | None = None
    created_at: str = ""

    def validate(self) -> None:
        if self.rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {self.rating!r}")
        if not self.question.strip() or not self.answer.strip():
            raise ValueError("question and answer must not be empty")
        if len(self.comment) > MAX_COMMENT_CHARS:
            raise ValueError(f"comment is longer than {MAX_COMMENT_CHARS} characters")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "rating": self.rating,
            "question": self.question,
            "answer": self.answer,
            "citations": self.citations,
            "comment": self.comment,
            "mode": self.mode,
            "source": self.source,
        }


class FeedbackStore:
    """Thread-safe: one connection shared by the server's threads, serialised by a lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = connect(self.path, SCHEMA)

    def add(self, fb: Feedback) -> int:
        """Store one feedback and return its id once it is durable."""
        fb.validate()
        created = fb.created_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (created_at, rating, question, answer, citations, comment, mode, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    fb.rating,
                    fb.question,
                    fb.answer,
                    json.dumps(fb.citations, ensure_ascii=False),
                    fb.comment,
                    fb.mode,
                    fb.source,
                ),
            )
            assert cur.lastrowid is not None  # an INSERT always sets it
            return cur.lastrowid

    def get(self, feedback_id: int) -> Feedback | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
        return _row(row) if row else None

    def recent(self, rating: str | None = None, limit: int = 50) -> list[Feedback]:
        """The newest feedback, newest first (of one rating, when given): what the admin tab lists."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM feedback WHERE (? IS NULL OR rating = ?) ORDER BY id DESC LIMIT ?",
                (rating, rating, limit),
            ).fetchall()
        return [_row(r) for r in rows]

    def __iter__(self) -> Iterator[Feedback]:
        """Every feedback, oldest first; read in pages so a large table does not hold the lock for long."""
        last = 0
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT * FROM feedback WHERE id > ? ORDER BY id LIMIT ?", (last, PAGE_ROWS)
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row(row)
            last = rows[-1]["id"]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]

    def pragma(self, name: str):
        with self._lock:
            return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _row(row: sqlite3.Row) -> Feedback:
    return Feedback(
        id=row["id"],
        created_at=row["created_at"],
        rating=row["rating"],
        question=row["question"],
        answer=row["answer"],
        citations=json.loads(row["citations"]),
        comment=row["comment"],
        mode=row["mode"],
        source=row["source"],
    )


def open_store(data_dir: Path) -> FeedbackStore:
    """The store under a data directory, opened once per process (the API, the UI and the export share it)."""
    return shared(Path(data_dir) / FILE_NAME, FeedbackStore)
