"""Every change is a revision with its time and editor; a write is durable when it returns (WAL, FULL)."""
from __future__ import annotations

from rag.standard.model import CitedMeasure
from rag.standard.store import StandardStore

CITE = [CitedMeasure(doc="d", id="二(四)4")]


def test_revisions_and_the_change_counter(tmp_path):
    s = StandardStore(tmp_path / "s.sqlite3")
    r0 = s.revision()
    a = s.create("q", "a", CITE, None, "alice")
    b = s.update(a.id, "q2", "a2", CITE, "d", "bob")
    assert b is not None and b.version == 2 and b.editor == "bob" and b.created_at == a.created_at
    assert s.update(99, "q", "a", CITE, None, "x") is None and s.delete(99, "x") is None
    s.delete(a.id, "carol")
    assert len(s) == 0 and s.revision() == r0 + 3
    h = s.history(a.id)
    assert [(r.action, r.editor, r.version) for r in h] == [("create", "alice", 1), ("update", "bob", 2),
                                                              ("delete", "carol", 3)]
    assert h[2].snapshot["question"] == "q2"


def test_durable_settings(tmp_path):
    s = StandardStore(tmp_path / "s.sqlite3")
    assert s._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
