"""The feedback store: WAL and full sync, validation, persistence across reopen and across a kill -9."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.feedback import store as store_mod
from rag.feedback.store import Feedback, FeedbackStore, open_store

CITATION = {"id": "二(四)4", "doc": "jiading-2021-7", "units": ["区自来水公司"], "text": "4.供气、供水…", "section": "二 > (四)"}


def fb(**kw) -> Feedback:
    base = dict(rating="up", question="我们厂要接自来水，找哪个单位？", answer="找区自来水公司（二(四)4）。",
                citations=[CITATION], comment="很清楚", mode="extractive", source="api")
    return Feedback(**(base | kw))


def test_wal_and_full_sync(tmp_path):
    s = FeedbackStore(tmp_path / "f.sqlite3")
    assert s.pragma("journal_mode") == "wal"
    assert s.pragma("synchronous") == 2  # FULL


def test_add_get_roundtrip_keeps_everything(tmp_path):
    s = FeedbackStore(tmp_path / "f.sqlite3")
    fid = s.add(fb())
    got = s.get(fid)
    assert got.to_dict() | {"created_at": ""} == fb(id=fid).to_dict() | {"created_at": ""}
    assert got.created_at.startswith("20")
    assert s.get(fid + 1) is None


@pytest.mark.parametrize("bad, why", [
    (dict(rating="meh"), "rating"),
    (dict(question="  "), "empty"),
    (dict(answer=""), "empty"),
    (dict(comment="x" * 2001), "2000"),
])
def test_invalid_feedback_is_refused(tmp_path, bad, why):
    s = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(ValueError, match=why):
        s.add(fb(**bad))
    assert len(s) == 0


def test_survives_reopen_in_order(tmp_path):
    path = tmp_path / "data" / "f.sqlite3"
    s = FeedbackStore(path)
    ids = [s.add(fb(question=f"问题{i}", rating="down" if i % 2 else "up")) for i in range(5)]
    s.close()
    again = FeedbackStore(path)
    assert [f.id for f in again] == ids
    assert [f.question for f in again] == [f"问题{i}" for i in range(5)]
    assert [f.rating for f in again] == ["up", "down", "up", "down", "up"]


def test_iteration_pages_through_everything(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "PAGE_ROWS", 2)
    s = FeedbackStore(tmp_path / "f.sqlite3")
    ids = [s.add(fb(question=f"q{i}")) for i in range(5)]
    assert [f.id for f in s] == ids


def test_open_store_shares_one_store_per_data_dir(tmp_path):
    a = open_store(tmp_path / "d1")
    assert open_store(tmp_path / "d1") is a
    assert open_store(tmp_path / "d2") is not a
    assert a.path == (tmp_path / "d1" / "feedback.sqlite3").resolve()


WRITER = """
import sys
from rag.feedback.store import Feedback, FeedbackStore
s = FeedbackStore(sys.argv[1])
i = 0
while True:
    fid = s.add(Feedback(rating="up", question=f"问题{i}", answer="答案", citations=[{"id": "二(四)4"}], source="api"))
    print(fid, i, flush=True)  # the acknowledgement: only after add() returned
    i += 1
"""


def test_kill_9_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "f.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    acked: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 60
        while len(acked) < 25 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            fid, i = line.split()
            acked[int(fid)] = f"问题{i}"
        os.kill(proc.pid, signal.SIGKILL)  # mid-write, very likely inside the next insert
    finally:
        proc.wait(10)
    assert len(acked) == 25, "the writer did not acknowledge 25 writes"
    stored = {f.id: f for f in FeedbackStore(path)}
    for fid, question in acked.items():
        assert fid in stored and stored[fid].question == question
        assert json.dumps(stored[fid].citations, ensure_ascii=False) == '[{"id": "二(四)4"}]'
