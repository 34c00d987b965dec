"""Standard answers and their revisions in one SQLite file under the data directory.

Every change (create, update, delete, import) adds a revision row holding the answer as it then stood, its
time and its editor; a delete keeps the answer's last state there. The highest revision id is the store's
change counter: the matcher re-reads the answers when it moves, even if another process made the change.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from rag.durable_sqlite import connect, shared
from rag.standard.model import CitedMeasure, Revision, StandardAnswer

FILE_NAME = "standard_answers.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS standard_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    doc TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    editor TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS standard_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    editor TEXT NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS standard_revisions_answer ON standard_revisions (answer_id, id);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StandardStore:
    """Thread-safe; each write is one transaction, durable when the call returns."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = connect(self.path, SCHEMA)

    def create(
        self,
        question: str,
        answer: str,
        citations: list[CitedMeasure],
        doc: str | None,
        editor: str,
    ) -> StandardAnswer:
        now = _now()
        with self._lock, self._tx():
            cur = self._db.execute(
                "INSERT INTO standard_answers (question, answer, citations, doc, created_at, updated_at, editor,"
                " version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                (question, answer, _cites(citations), doc, now, now, editor),
            )
            saved = self._get(cur.lastrowid)
            assert saved is not None
            self._revise(saved, "create", editor, now)
            return saved

    def import_all(self, rows: list[tuple[str, str, list[CitedMeasure], str | None, str]]) -> dict[str, int]:
        """(question, answer, citations, doc, editor) rows in one transaction: all saved or none. A row whose
        question and document are saved already replaces that answer."""
        now = _now()
        created = replaced = 0
        with self._lock, self._tx():
            saved = {(r["question"], r["doc"]): r["id"] for r in self._db.execute("SELECT * FROM standard_answers")}
            for question, answer, citations, doc, editor in rows:
                if (question, doc) in saved:
                    self._db.execute(
                        "UPDATE standard_answers SET answer = ?, citations = ?, updated_at = ?, editor = ?,"
                        " version = version + 1 WHERE id = ?",
                        (answer, _cites(citations), now, editor, saved[(question, doc)]),
                    )
                    action, replaced = "update", replaced + 1
                else:
                    cur = self._db.execute(
                        "INSERT INTO standard_answers (question, answer, citations, doc, created_at, updated_at,"
                        " editor, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                        (question, answer, _cites(citations), doc, now, now, editor),
                    )
                    saved[(question, doc)] = cur.lastrowid
                    action, created = "import", created + 1
                current = self._get(saved[(question, doc)])
                assert current is not None
                self._revise(current, action, editor, now)
        return {"created": created, "replaced": replaced}

    def update(
        self, answer_id: int, question: str, answer: str, citations: list[CitedMeasure], doc: str | None, editor: str
    ) -> StandardAnswer | None:
        now = _now()
        with self._lock, self._tx():
            cur = self._db.execute(
                "UPDATE standard_answers SET question = ?, answer = ?, citations = ?, doc = ?, updated_at = ?,"
                " editor = ?, version = version + 1 WHERE id = ?",
                (question, answer, _cites(citations), doc, now, editor, answer_id),
            )
            if not cur.rowcount:
                return None
            saved = self._get(answer_id)
            assert saved is not None
            self._revise(saved, "update", editor, now)
            return saved

    def delete(self, answer_id: int, editor: str) -> StandardAnswer | None:
        now = _now()
        with self._lock, self._tx():
            gone = self._get(answer_id)
            if gone is None:
                return None
            self._db.execute("DELETE FROM standard_answers WHERE id = ?", (answer_id,))
            self._revise(gone.model_copy(update={"version": gone.version + 1}), "delete", editor, now)
            return gone

    def get(self, answer_id: int) -> StandardAnswer | None:
        with self._lock:
            return self._get(answer_id)

    def all(self) -> list[StandardAnswer]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM standard_answers ORDER BY id").fetchall()
        return [_answer(r) for r in rows]

    def history(self, answer_id: int) -> list[Revision]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM standard_revisions WHERE answer_id = ? ORDER BY id", (answer_id,)
            ).fetchall()
        return [
            Revision(
                answer_id=r["answer_id"],
                version=r["version"],
                action=r["action"],
                at=r["at"],
                editor=r["editor"],
                snapshot=json.loads(r["snapshot"]),
            )
            for r in rows
        ]

    def revision(self) -> int:
        """Moves on every change, in any process."""
        with self._lock:
            return self._db.execute("SELECT COALESCE(MAX(id), 0) FROM standard_revisions").fetchone()[0]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM standard_answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self):
        return _Transaction(self._db)

    def _get(self, answer_id: int | None) -> StandardAnswer | None:
        row = self._db.execute("SELECT * FROM standard_answers WHERE id = ?", (answer_id,)).fetchone()
        return _answer(row) if row else None

    def _revise(self, a: StandardAnswer, action: str, editor: str, at: str) -> None:
        self._db.execute(
            "INSERT INTO standard_revisions (answer_id, version, action, at, editor, snapshot)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (a.id, a.version, action, at, editor, json.dumps(a.model_dump(), ensure_ascii=False)),
        )


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error (the connection runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _cites(citations: list[CitedMeasure]) -> str:
    return json.dumps([c.model_dump() for c in citations], ensure_ascii=False)


def _answer(row: sqlite3.Row) -> StandardAnswer:
    return StandardAnswer(
        id=row["id"],
        question=row["question"],
        answer=row["answer"],
        citations=[CitedMeasure(**c) for c in json.loads(row["citations"])],
        doc=row["doc"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        editor=row["editor"],
        version=row["version"],
    )


def open_store(data_dir: Path) -> StandardStore:
    return shared(Path(data_dir) / FILE_NAME, StandardStore)
