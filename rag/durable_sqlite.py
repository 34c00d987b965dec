"""The SQLite files the server writes (feedback, standard answers, the question log): WAL with
synchronous=FULL, so whatever has been acknowledged survives a crash or a kill -9; one connection per file
and process, shared by the server's threads behind the caller's lock."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def connect(path: Path, schema: str) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
    db.row_factory = sqlite3.Row
    mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode.lower() != "wal":
        db.close()
        raise RuntimeError(f"{path}: SQLite refused WAL mode (got {mode}); is it on a network file system?")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(schema)
    return db


_open: dict[Path, object] = {}
_open_lock = threading.Lock()


def shared(path: Path, make: Callable[[Path], T]) -> T:
    """The store at `path`, opened once per process (the API, the UI and the CLI share it)."""
    path = Path(path).resolve()
    with _open_lock:
        if path not in _open:
            _open[path] = make(path)
        return _open[path]  # type: ignore[return-value]
