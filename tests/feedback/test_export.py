"""Export for evaluators: JSON Lines, oldest first, readable Chinese, from the function and from `rag feedback export`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rag.feedback import export_jsonl, open_store
from rag.feedback.store import Feedback, FeedbackStore

ROOT = Path(__file__).resolve().parents[2]


def _fill(store: FeedbackStore) -> list[int]:
    return [
        store.add(Feedback(rating="up", question="我们厂要接自来水，找哪个单位？", answer="区自来水公司",
                           citations=[{"id": "二(四)4", "units": ["区自来水公司"]}], mode="extractive", source="ui")),
        store.add(Feedback(rating="down", question="火星上怎么开公司？", answer="不在通知范围内", comment="应当说明找谁",
                           source="api")),
    ]


def test_export_jsonl_one_object_per_line(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    ids = _fill(store)
    lines = list(export_jsonl(store))
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == ids
    assert set(rows[0]) == {"id", "created_at", "rating", "question", "answer", "citations", "comment", "mode", "source"}
    assert rows[0]["citations"][0]["units"] == ["区自来水公司"]
    assert rows[1]["comment"] == "应当说明找谁" and rows[1]["rating"] == "down"
    assert "自来水" in lines[0]  # not \\u escapes: evaluators read these files


def test_export_of_empty_store_is_empty(tmp_path):
    assert list(export_jsonl(FeedbackStore(tmp_path / "f.sqlite3"))) == []


def _rag(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"RAG_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_cli_export_to_stdout_and_file(tmp_path):
    data = tmp_path / "data"
    ids = _fill(open_store(data))
    out = _rag(["feedback", "export"], data)
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ids
    target = tmp_path / "fb.jsonl"
    out = _rag(["feedback", "export", "--out", str(target)], data)
    assert out.returncode == 0, out.stderr
    assert "wrote 2 feedback records" in out.stderr
    assert [json.loads(line)["question"] for line in target.read_text(encoding="utf-8").splitlines()] == [
        "我们厂要接自来水，找哪个单位？", "火星上怎么开公司？"]
