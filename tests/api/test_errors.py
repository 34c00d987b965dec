"""The app-wide handlers: a busy model is a 503 with Retry-After, a real bug a logged 500 without internals,
and a client that never finishes its body is cut off with a 408 instead of holding a worker."""
from __future__ import annotations

import asyncio
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rag.api import errors
from rag.api.request_guard import RequestGuard, check_body, BodyRejected
from rag.llm.base import ModelBusy, ModelTimeout, ModelUnavailable


@pytest.fixture(scope="module")
def failing():
    app = FastAPI()
    errors.install(app)

    @app.post("/api/busy")
    def busy():
        raise ModelBusy(retry_after=12.3)

    @app.post("/api/unavailable")
    def unavailable():
        raise ModelUnavailable("no GGUF file")

    @app.post("/api/slow")
    def slow():
        raise ModelTimeout("the chat model took longer than 60 s")

    @app.get("/api/bug")
    def bug():
        raise RuntimeError("secret path /home/someone/index")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_model_busy_is_503_with_retry_after(failing):
    r = failing.post("/api/busy")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "13"
    assert "busy" in r.json()["detail"] and "extractive" in r.json()["detail"]


def test_model_unavailable_and_timeout_point_to_extractive(failing):
    r = failing.post("/api/unavailable")
    assert r.status_code == 503 and "extractive" in r.json()["detail"]
    r = failing.post("/api/slow")
    assert r.status_code == 504 and "60 s" in r.json()["detail"]


def test_a_real_bug_is_a_generic_500_and_is_logged(failing, caplog):
    with caplog.at_level("ERROR", logger="rag.api.errors"):
        r = failing.get("/api/bug")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error; it has been logged"}
    assert "secret" not in r.text
    assert any("GET /api/bug" in rec.getMessage() for rec in caplog.records)


def test_validation_errors_say_where_and_what(client):
    r = client.post("/api/search", json={"query": "", "top_k": 99})
    assert r.status_code == 422
    body = r.json()
    assert "query:" in body["detail"] and "top_k:" in body["detail"]
    assert {tuple(e["loc"]) for e in body["errors"]} == {("body", "query"), ("body", "top_k")}


def _run(messages, timeout_s=0.3):
    """Drive an ASGI app with a receive that hands out `messages` and then never returns."""
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    async def inner(scope, receive, send):
        sent.append({"type": "reached-app"})

    scope = {"type": "http", "method": "POST", "path": "/api/search", "headers": [(b"content-type", b"application/json")]}
    asyncio.run(asyncio.wait_for(RequestGuard(inner, body_timeout_s=timeout_s)(scope, receive, send), 5))
    return sent


def test_a_body_that_never_finishes_is_408_not_a_hang():
    sent = _run([{"type": "http.request", "body": b'{"query": "', "more_body": True}])
    assert sent[0]["status"] == 408
    assert {"type": "reached-app"} not in sent
    assert b"did not arrive" in sent[1]["body"]


def test_a_body_trickled_past_the_limit_is_413():
    chunks = [{"type": "http.request", "body": b"x" * 40_000, "more_body": True} for _ in range(3)]
    sent = _run(chunks)
    assert sent[0]["status"] == 413


def test_a_body_in_chunks_reaches_the_app_whole():
    body = json.dumps({"query": "企业开办"}).encode()
    sent = _run([{"type": "http.request", "body": body[:5], "more_body": True},
                       {"type": "http.request", "body": body[5:], "more_body": False}])
    assert sent == [{"type": "reached-app"}]


@pytest.mark.parametrize("body, status", [(b"", None), (b"{}", None), (b'{"a": "\xe4\xb8\xad"}', None), (b"\xe4\xb8", 400),
                                          (b"{", 400), (b"[" * 100_000, 400)])
def test_check_body(body, status):
    if status is None:
        check_body(body, "application/json")
    else:
        with pytest.raises(BodyRejected) as exc:
            check_body(body, "application/json")
        assert exc.value.status == status
