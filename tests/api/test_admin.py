"""Admin endpoints: disabled without a token, 401 with a wrong one; re-index swaps the live index in one step
while searches keep being served from the old one; the feedback export is JSON Lines."""
from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app
from rag.indexing.chunks import chunk_text

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY = {"query": "企业开办全程网办", "top_k": 5}


@pytest.fixture
def admin(make_services, index_copy, tmp_path):
    svc = make_services(index_dir=index_copy, admin_token=TOKEN)
    svc.settings.data_dir = tmp_path / "data"
    with TestClient(create_app(svc, ui=False)) as c:
        c.svc = svc
        yield c


@pytest.mark.parametrize("method, path", [("POST", "/api/admin/reindex"), ("GET", "/api/admin/reindex"),
                                          ("GET", "/api/admin/feedback/export")])
def test_disabled_without_a_token_in_settings(client, method, path):
    assert client.app.state.services.settings.server.admin_token == ""
    r = client.request(method, path, headers={"Authorization": "Bearer "})
    assert r.status_code == 403 and "disabled" in r.json()["detail"]
    r = client.request(method, path, headers=AUTH)
    assert r.status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": TOKEN}, {"Authorization": f"Bearer {TOKEN}x"},
                                     {"Authorization": "Bearer ".encode() + "é".encode() * 10}])
def test_wrong_or_missing_token_is_401(admin, headers):
    for method, path in [("POST", "/api/admin/reindex"), ("GET", "/api/admin/feedback/export")]:
        r = admin.request(method, path, headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["www-authenticate"] == "Bearer"
        assert "token" in r.json()["detail"]


def test_reindex_reuses_vectors_and_swaps_the_live_index(admin):
    old = admin.svc.index
    before = admin.post("/api/search", json=QUERY).json()
    r = admin.post("/api/admin/reindex?wait=true", headers=AUTH)
    assert r.status_code == 200, r.text
    state = r.json()
    assert state["status"] == "done" and state["embedded"] == 0 and state["measures"] == len(old.keys)
    assert admin.svc.index is not old and admin.svc.index.path.name == state["build"]
    assert (admin.svc.settings.index_dir / "CURRENT").read_text() == state["build"]
    assert admin.post("/api/search", json=QUERY).json() == before
    assert admin.get("/api/admin/reindex", headers=AUTH).json()["status"] == "done"


class SlowEmbedder:
    """Gives the session index's own vectors back, after a pause that holds the rebuild open."""

    def __init__(self, services, pause_s):
        self.vectors = {chunk_text(services.corpus.by_key[k]): v for k, v in zip(services.index.keys, services.index.vectors)}
        self.name, self.dim, self.pause_s = services.embedder.name, services.embedder.dim, pause_s
        self.started = threading.Event()

    def embed_query(self, text):
        raise AssertionError("a rebuild embeds passages only")

    def embed_passages(self, texts):
        self.started.set()
        time.sleep(self.pause_s)
        return np.stack([self.vectors[t] for t in texts])


def test_searches_are_served_from_the_old_index_during_a_full_rebuild(admin, services, monkeypatch):
    slow = SlowEmbedder(services, pause_s=3.0)
    monkeypatch.setattr("rag.indexing.reindex.make_embedder", lambda cfg: slow)
    old = admin.svc.index
    before = admin.post("/api/search", json=QUERY).json()
    r = admin.post("/api/admin/reindex?full=true", headers=AUTH)
    assert r.status_code == 202 and r.json()["status"] == "running"
    assert slow.started.wait(10)
    # a second re-index while one runs is refused
    r2 = admin.post("/api/admin/reindex", headers=AUTH)
    assert r2.status_code == 409 and "running since" in r2.json()["detail"]
    during = []
    while admin.get("/api/admin/reindex", headers=AUTH).json()["status"] == "running":
        started = time.perf_counter()
        res = admin.post("/api/search", json=QUERY)
        during.append((res.status_code, time.perf_counter() - started, res.json()))
    assert len(during) >= 3, "searches were blocked by the rebuild"
    assert all(code == 200 and body == before for code, _, body in during)
    assert max(seconds for _, seconds, _ in during) < 2.0
    state = admin.get("/api/admin/reindex", headers=AUTH).json()
    assert state["status"] == "done" and state["embedded"] == len(old.keys) and state["full"] is True
    assert admin.svc.index is not old
    assert admin.post("/api/search", json=QUERY).json() == before


def test_a_failed_reindex_leaves_the_old_index_serving(admin, tmp_path):
    old = admin.svc.index
    admin.svc.settings.corpus_dir = tmp_path / "no-such-corpus"
    r = admin.post("/api/admin/reindex?wait=true", headers=AUTH)
    assert r.status_code == 500 and "previous index keeps serving" in r.json()["detail"]
    assert admin.get("/api/admin/reindex", headers=AUTH).json()["status"] == "failed"
    assert admin.svc.index is old
    assert (admin.svc.settings.index_dir / "CURRENT").read_text() == old.path.name
    assert admin.post("/api/search", json=QUERY).status_code == 200


def test_feedback_export_is_json_lines(admin):
    from rag.feedback import open_store
    from rag.feedback.store import Feedback

    store = open_store(admin.svc.settings.data_dir)
    store.add(Feedback(rating="up", question="企业开办要多久？", answer="一个工作日", citations=["二(一)1"], source="api"))
    store.add(Feedback(rating="down", question="How long?", answer="?", comment="wrong measure", source="ui"))
    r = admin.get("/api/admin/feedback/export", headers=AUTH)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert [(row["rating"], row["question"]) for row in rows] == [("up", "企业开办要多久？"), ("down", "How long?")]
    assert r.text.endswith("\n") and "企业开办" in r.text  # UTF-8 kept readable


def test_admin_options_are_documented_with_bearer_auth(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/admin/reindex"]["post"]
    assert {p["name"] for p in op["parameters"]} == {"full", "wait"}
    assert any("HTTPBearer" in s for s in op.get("security", []))


def test_search_in_process_sees_the_new_corpus_after_a_reindex(tmp_path, services):
    """With searches in the serving process (search_workers=0, as `rag serve --workers N` forces), the
    searcher is rebuilt with the index: a notice added between two searches is found by the second."""
    import shutil

    from rag.services import Services
    from tests.conftest import CORPUS, ROOT, make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "jiading-2021-7.txt", corpus)
    index = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    svc = Services(make_settings(tmp_path, corpus_dir=corpus, index_dir=index,
                                 server={"admin_token": TOKEN, "search_workers": 0, "ask_rate_per_minute": 0}))
    with TestClient(create_app(svc, ui=False)) as c:
        query = {"query": "企业开办", "top_k": 5, "doc": "baoshan-2021-12"}
        assert c.post("/api/search", json=query).status_code == 404  # no such document yet
        assert c.post("/api/search", json={"query": "企业开办"}).json()["hits"]  # the searcher is now built
        shutil.copy(ROOT / "tests" / "fixtures" / "notices" / "baoshan-2021-12.txt", corpus)
        assert c.post("/api/admin/reindex?wait=true", headers=AUTH).json()["status"] == "done"
        hits = c.post("/api/search", json=query).json()["hits"]
        assert hits and {h["doc"] for h in hits} == {"baoshan-2021-12"}
