"""POST /api/feedback: 201 with the id of a stored row; every malformed body is a 422 that stores nothing."""
from __future__ import annotations

import pytest

from rag.feedback import open_store

GOOD = {
    "question": "我们厂要接自来水，找哪个单位？",
    "answer": "请联系区自来水公司（二(四)4）。",
    "citations": [{"id": "二(四)4", "doc": "jiading-2021-7", "units": ["区自来水公司"], "text": "4.供气、供水…",
                   "section": "二、… > (四)获得用电用气用水"}],
    "rating": "up",
    "comment": "清楚",
    "mode": "extractive",
}


@pytest.fixture
def store(services):
    return open_store(services.settings.data_dir)


def test_created_and_stored(client, store):
    r = client.post("/api/feedback", json=GOOD)
    assert r.status_code == 201
    fid = r.json()["id"]
    got = store.get(fid)
    assert (got.question, got.answer, got.rating, got.comment, got.mode, got.source) == (
        GOOD["question"], GOOD["answer"], "up", "清楚", "extractive", "api")
    assert got.citations == GOOD["citations"]


def test_comment_mode_and_citations_are_optional(client, store):
    body = {k: GOOD[k] for k in ("question", "answer")} | {"rating": "down"}
    r = client.post("/api/feedback", json=body)
    assert r.status_code == 201
    got = store.get(r.json()["id"])
    assert (got.rating, got.comment, got.citations, got.mode) == ("down", "", [], "")


@pytest.mark.parametrize("change", [
    {"rating": "good"},
    {"rating": None},
    {"question": "   "},
    {"answer": ""},
    {"comment": "很" * 2001},
    {"citations": [{"doc": "no id"}]},
    {"citations": "二(四)4"},
])
def test_invalid_bodies_are_422_and_store_nothing(client, store, change):
    before = len(store)
    r = client.post("/api/feedback", json=GOOD | change)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert len(store) == before


def test_missing_fields_are_422(client):
    for field in ("question", "answer", "rating"):
        body = {k: v for k, v in GOOD.items() if k != field}
        assert client.post("/api/feedback", json=body).status_code == 422


def test_comment_of_2000_chars_is_accepted(client, store):
    r = client.post("/api/feedback", json=GOOD | {"comment": "很" * 2000})
    assert r.status_code == 201
    assert len(store.get(r.json()["id"]).comment) == 2000
