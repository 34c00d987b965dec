"""The question log in one SQLite file under the data directory: one row per answer given through the API,
the UI, the OpenAI-compatible endpoint or MCP (evaluation runs and the CLI are not logged).

Question and answer text only; the client address is stored only when `question_log.keep_client_address`
is set. Rows older than `retention_days` are deleted when the log is opened and then hourly as it is written.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from rag.corpus.citation import Citation
from rag.durable_sqlite import connect, shared

FILE_NAME = "question_log.sqlite3"
PAGE_ROWS = 500
PURGE_EVERY_S = 3600.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS question_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    refused INTEGER NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    channel TEXT NOT NULL,
    doc TEXT,
    client TEXT
);
CREATE INDEX IF NOT EXISTS question_log_at ON question_log (at);
"""


class LoggedAnswer(Protocol):
    """What the log keeps of an answer (rag.answer.model.Answer). The answer service writes to the log, so the
    log names only these fields and does not import the answer package back."""

    @property
    def answer(self) -> str: ...

    @property
    def citations(self) -> Sequence[Citation]: ...

    @property
    def refused(self) -> bool: ...

    @property
    def mode(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def timings(self) -> Mapping[str, float]: ...


class LogEntry(BaseModel):
    id: int | None = None
    at: str = Field(default="", description="UTC, ISO 8601")
    question: str
    answer: str
    citations: list[str] = Field(description="cited measures as doc:id")
    refused: bool
    mode: str = Field(description="extractive | llm")
    source: str = Field(description="retrieval | standard")
    latency_ms: float
    channel: str = Field(description="where it was asked: api | ui | openai | mcp")
    doc: str | None = None
    client: str | None = Field(None, description="only with question_log.keep_client_address")

    @classmethod
    def of(cls, answer: LoggedAnswer, question: str, doc: str | None, channel: str, client: str | None) -> LogEntry:
        return cls(
            question=question,
            answer=answer.answer,
            citations=[f"{c.doc}:{c.id}" for c in answer.citations],
            refused=answer.refused,
            mode=answer.mode,
            source=answer.source,
            latency_ms=1000 * answer.timings.get("answer", 0.0),
            channel=channel,
            doc=doc,
            client=client,
        )


def utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class QuestionLog:
    def __init__(self, path: Path, retention_days: int = 90):
        self.path = Path(path)
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._db = connect(self.path, SCHEMA)
        self._purged = 0.0
        self.purge()

    def add(self, entry: LogEntry) -> int:
        at = entry.at or utc(datetime.now(UTC))
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO question_log (at, question, answer, citations, refused, mode, source, latency_ms,"
                " channel, doc, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    at,
                    entry.question,
                    entry.answer,
                    json.dumps(entry.citations, ensure_ascii=False),
                    int(entry.refused),
                    entry.mode,
                    entry.source,
                    round(entry.latency_ms, 2),
                    entry.channel,
                    entry.doc,
                    entry.client,
                ),
            )
            assert cur.lastrowid is not None
            row_id = cur.lastrowid
        if time.monotonic() - self._purged > PURGE_EVERY_S:
            self.purge()
        return row_id

    def purge(self) -> int:
        """Delete the rows older than the retention; returns how many went."""
        cutoff = utc(datetime.now(UTC) - timedelta(days=self.retention_days))
        with self._lock:
            gone = self._db.execute("DELETE FROM question_log WHERE at < ?", (cutoff,)).rowcount
        self._purged = time.monotonic()
        return gone

    def entries(
        self,
        *,
        refused: bool | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        newest_first=False,
    ) -> Iterator[LogEntry]:
        """Matching rows, oldest first (or newest first), read in pages so the lock is held briefly."""
        where: list[str] = []
        args: list[object] = []
        if refused is not None:
            where.append("refused = ?")
            args.append(int(refused))
        if since is not None:
            where.append("at >= ?")
            args.append(utc(since))
        order, cmp = ("DESC", "<") if newest_first else ("ASC", ">")
        last: int | None = None
        given = 0
        while limit is None or given < limit:
            page = PAGE_ROWS if limit is None else min(PAGE_ROWS, limit - given)
            clause = where + ([f"id {cmp} ?"] if last is not None else [])
            sql = "SELECT * FROM question_log" + (" WHERE " + " AND ".join(clause) if clause else "")
            with self._lock:
                rows = self._db.execute(
                    f"{sql} ORDER BY id {order} LIMIT ?", [*args, *([last] if last is not None else []), page]
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            given += len(rows)
            last = rows[-1]["id"]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM question_log").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _entry(row: sqlite3.Row) -> LogEntry:
    return LogEntry(
        id=row["id"],
        at=row["at"],
        question=row["question"],
        answer=row["answer"],
        citations=json.loads(row["citations"]),
        refused=bool(row["refused"]),
        mode=row["mode"],
        source=row["source"],
        latency_ms=row["latency_ms"],
        channel=row["channel"],
        doc=row["doc"],
        client=row["client"],
    )


def open_log(data_dir: Path, retention_days: int = 90) -> QuestionLog:
    log = shared(Path(data_dir) / FILE_NAME, lambda p: QuestionLog(p, retention_days))
    log.retention_days = retention_days
    return log
