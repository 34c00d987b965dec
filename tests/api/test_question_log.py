"""The question log: on by default, one entry per answer given through the API (not through evaluation),
read with GET /api/admin/log?refused=&since= and `rag log export`; no client address unless asked."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app
from rag.questionlog.store import LogEntry, QuestionLog
from tests.api.conftest import ADMIN as AUTH
from tests.api.conftest import ADMIN_TOKEN as TOKEN

OUT_OF_SCOPE = "怎么办理户口迁移？"


@pytest.fixture
def admin(admin_api):
    return admin_api


def test_a_refused_question_is_found_in_the_log(admin):
    assert admin.post("/api/ask", json={"question": OUT_OF_SCOPE}).json()["refused"]
    admin.post("/api/ask", json={"question": "我们厂要接自来水，找哪个单位？", "mode": "extractive"})
    page = admin.get("/api/admin/log?refused=true", headers=AUTH).json()
    assert [e["question"] for e in page["entries"]] == [OUT_OF_SCOPE] and page["total"] == 2
    e = page["entries"][0]
    assert e["refused"] and e["channel"] == "api" and e["source"] == "retrieval" and e["mode"] == "extractive"
    assert e["latency_ms"] > 0 and e["client"] is None and e["answer"]
    answered = admin.get("/api/admin/log?refused=false", headers=AUTH).json()["entries"]
    assert answered[0]["citations"][0].endswith(":二(四)4")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert admin.get(f"/api/admin/log?since={tomorrow}", headers=AUTH).json()["entries"] == []
    assert admin.get("/api/admin/log?since=yesterday", headers=AUTH).status_code == 422
    assert admin.get("/api/admin/log").status_code == 401


def test_the_client_address_is_kept_only_when_a_setting_asks(admin):
    cfg = admin.svc.settings  # a copy of its own: the session's settings object is not touched
    cfg.question_log = cfg.question_log.model_copy(update={"keep_client_address": True})
    admin.post("/api/ask", json={"question": OUT_OF_SCOPE})
    assert admin.get("/api/admin/log", headers=AUTH).json()["entries"][0]["client"] == "testclient"


def test_evaluation_runs_are_not_logged(admin):
    from rag.evaluation.runners import InProcessRunner

    InProcessRunner(admin.svc).ask(OUT_OF_SCOPE, "extractive")
    assert len(admin.svc.question_log) == 0


def test_the_log_can_be_turned_off(make_services, tmp_path):
    svc = make_services(admin_token=TOKEN)
    svc.settings.data_dir = tmp_path / "off"
    svc.settings.question_log = svc.settings.question_log.model_copy(update={"enabled": False})
    with TestClient(create_app(svc, ui=False)) as c:
        c.post("/api/ask", json={"question": OUT_OF_SCOPE})
        assert c.get("/api/admin/log", headers=AUTH).status_code == 404
    assert not (tmp_path / "off" / "question_log.sqlite3").exists()


def test_entries_past_the_retention_are_deleted(tmp_path):
    log = QuestionLog(tmp_path / "log.sqlite3", retention_days=30)
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat(timespec="seconds")
    for at in (old, ""):
        log.add(LogEntry(at=at, question="q", answer="a", citations=[], refused=True, mode="extractive",
                         source="retrieval", latency_ms=1.0, channel="api"))
    assert log.purge() == 1 and len(log) == 1


def test_rag_log_export_writes_json_lines(admin, tmp_path, monkeypatch):
    import json

    from rag.cli import main

    admin.post("/api/ask", json={"question": OUT_OF_SCOPE})
    monkeypatch.setenv("RAG_DATA_DIR", str(admin.svc.settings.data_dir))
    from rag.settings import get_settings

    get_settings.cache_clear()
    out = tmp_path / "log.jsonl"
    try:
        assert main(["log", "export", "--refused", "--out", str(out)]) == 0
    finally:
        get_settings.cache_clear()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in rows] == [OUT_OF_SCOPE]
