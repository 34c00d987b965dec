"""Every kind of bad input on every endpoint gets a 4xx whose "detail" says what is wrong; never a 500.

The POST endpoints are listed with one valid body each; an endpoint this app does not have yet is skipped,
so the checks apply to /api/ask and /api/feedback as soon as they are registered.
"""
from __future__ import annotations

import json

import pytest

from fastapi.testclient import TestClient

from rag.schemas.fields import MAX_BODY_BYTES, MAX_TEXT_CHARS

QUESTION = "企业开办需要多长时间？"
# endpoint → (a valid body, its free-text field)
POSTS = {
    "/api/search": ({"query": QUESTION, "top_k": 3}, "query"),
    "/api/ask": ({"question": QUESTION, "mode": "extractive"}, "question"),
    "/api/ask/stream": ({"question": QUESTION, "mode": "extractive"}, "question"),
    "/api/feedback": ({"question": QUESTION, "answer": "一个工作日。", "rating": "up"}, "question"),
}


def has_route(client, path: str, method: str = "post") -> bool:
    return method in client.app.openapi().get("paths", {}).get(path, {})


@pytest.fixture(scope="module")
def client(app_with):
    """Without the ask rate limit: this module sends far more than 30 bad questions (tests/api/test_ratelimit.py
    covers the limit)."""
    with TestClient(app_with(ask_rate_per_minute=0)) as c:
        yield c


@pytest.fixture(params=sorted(POSTS))
def post(request, client):
    path = request.param
    if not has_route(client, path):
        pytest.skip(f"{path} is not registered in this app yet")
    body, field = POSTS[path]
    return path, body, field


def detail(r) -> str:
    assert r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/json"), r.headers
    d = r.json()["detail"]
    assert isinstance(d, str) and d.strip(), r.text
    return d


def raw(client, path, data: bytes, content_type: str | None = "application/json"):
    headers = {"content-type": content_type} if content_type else {}
    return client.post(path, content=data, headers=headers)


# --- the body as bytes: syntax, encoding, media type, size ----------------------------------------------------

@pytest.mark.parametrize("data", [b"{", b'{"query": "x",}', b"{'query': 'x'}", b'{"a":1}{"a":2}', b"nul", b"[" * 5000])
def test_malformed_json_is_400_with_position(client, post, data):
    r = raw(client, post[0], data)
    assert r.status_code == 400
    assert "malformed JSON" in detail(r)


def test_invalid_utf8_is_400(client, post):
    r = raw(client, post[0], b'{"' + post[2].encode() + b'": "\xff\xfe\xc3"}')
    assert r.status_code == 400
    assert "UTF-8" in detail(r)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_wrong_content_type_is_415(client, post, content_type):
    r = raw(client, post[0], json.dumps(post[1]).encode(), content_type)
    assert r.status_code == 415
    assert "application/json" in detail(r)


def test_json_with_charset_is_accepted(client):
    r = raw(client, "/api/search", json.dumps({"query": QUESTION}).encode(), "application/json; charset=utf-8")
    assert r.status_code == 200, r.text


def test_body_over_the_limit_is_413(client, post):
    body = dict(post[1])
    body[post[2]] = "x" * (MAX_BODY_BYTES + 10)
    r = raw(client, post[0], json.dumps(body).encode())
    assert r.status_code == 413
    assert str(MAX_BODY_BYTES) in detail(r)


def test_bad_content_length_is_400(client):
    r = client.post("/api/search", content=b'{"query": "x"}', headers={"content-type": "application/json", "content-length": "ten"})
    assert r.status_code == 400 and "Content-Length" in detail(r)


@pytest.mark.parametrize("data", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_body_that_is_not_an_object_is_422(client, post, data):
    r = raw(client, post[0], data)
    assert r.status_code == 422
    detail(r)


# --- the fields ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", " ", "\n\t  ", "\u3000\u3000", "\x00", "\x00\x01\x1b\x7f", "\u200b\u200b"])
def test_empty_or_blank_text_is_422(client, post, text):
    path, body, field = post
    r = client.post(path, json={**body, field: text})
    assert r.status_code == 422
    assert field in detail(r)


def test_text_over_the_limit_is_422_and_names_the_limit(client, post):
    path, body, field = post
    r = client.post(path, json={**body, field: "税" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 422
    d = detail(r)
    assert field in d and str(MAX_TEXT_CHARS) in d


def test_text_at_the_limit_is_served(client):
    r = client.post("/api/search", json={"query": "企业开办" * (MAX_TEXT_CHARS // 4)})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("value", [123, 1.5, True, None, ["企业开办"], {"text": "企业开办"}])
def test_text_of_the_wrong_type_is_422(client, post, value):
    path, body, field = post
    r = client.post(path, json={**body, field: value})
    assert r.status_code == 422
    assert field in detail(r)


def test_missing_text_is_422(client, post):
    path, body, field = post
    r = client.post(path, json={k: v for k, v in body.items() if k != field})
    assert r.status_code == 422
    assert field in detail(r)


@pytest.mark.parametrize("top_k", [0, -1, 51, 10**30, "5", "abc", 2.5, True, None, [5]])
def test_top_k_out_of_range_or_wrong_type_is_422(client, top_k):
    r = client.post("/api/search", json={"query": QUESTION, "top_k": top_k})
    assert r.status_code == 422
    assert "top_k" in detail(r)


@pytest.mark.parametrize("top_k", [1, 50])
def test_top_k_bounds_are_served(client, top_k):
    r = client.post("/api/search", json={"query": QUESTION, "top_k": top_k})
    assert r.status_code == 200 and len(r.json()["hits"]) == top_k


def test_misspelt_search_field_is_422(client):
    r = client.post("/api/search", json={"query": QUESTION, "topk": 3})
    assert r.status_code == 422 and "topk" in detail(r)


def test_lone_surrogate_escape_is_422(client):
    r = raw(client, "/api/search", b'{"query": "\\ud800"}')
    assert r.status_code == 422 and "query" in detail(r)


def test_configured_text_limit_below_the_schema_is_enforced(app_with):
    from fastapi.testclient import TestClient

    with TestClient(app_with(max_query_chars=10)) as c:
        r = c.post("/api/search", json={"query": "税" * 11})
        assert r.status_code == 422 and "10" in detail(r)
        assert c.post("/api/search", json={"query": "税" * 10}).status_code == 200


@pytest.mark.parametrize("doc", ["nope", "../../etc/passwd", "/etc/passwd", "jiading-2021-7\x00", "C:\\Windows"])
def test_unknown_document_is_404_on_search(client, doc):
    r = client.post("/api/search", json={"query": QUESTION, "doc": doc})
    assert r.status_code == 404 and "unknown document" in detail(r)


@pytest.mark.parametrize("doc", ["nope", "../corpus", "%2e%2e"])
def test_unknown_document_is_404_on_measures(client, doc):
    assert client.get("/api/measures", params={"doc": doc}).status_code == 404
    r = client.get("/api/measures/二(四)4", params={"doc": doc})
    assert r.status_code == 404 and "unknown document" in detail(r)


def test_overlong_document_id_is_422(client):
    r = client.post("/api/search", json={"query": QUESTION, "doc": "d" * 101})
    assert r.status_code == 422 and "doc" in detail(r)


# --- ids and names in the path -----------------------------------------------------------------------------------

@pytest.mark.parametrize("measure_id", ["九十九(一)1", "二(四)99", "hello", "x:y:z", "nope:二(四)4", "...", "%00", "%ff", "十十十(一)1",
                                        "第九十九部分第一节", "'; DROP TABLE measures; --"])
def test_unknown_measure_is_404_with_the_id_forms(client, measure_id):
    r = client.get(f"/api/measures/{measure_id}")
    assert r.status_code == 404
    assert "二(四)4" in detail(r)


def test_overlong_measure_id_and_unit_name_are_422(client):
    assert client.get("/api/measures/" + "二" * 101).status_code == 422
    r = client.get("/api/units/" + "局" * 101 + "/measures")
    assert r.status_code == 422 and "100" in detail(r)


@pytest.mark.parametrize("name", ["不存在局", "...", "%2e%2e", "%00", "%ff"])
def test_unknown_unit_is_404(client, name):
    r = client.get(f"/api/units/{name}/measures")
    assert r.status_code == 404
    detail(r)


# --- the /api/ask body, once the route exists --------------------------------------------------------------------

@pytest.fixture(params=["/api/ask", "/api/ask/stream"])
def ask(request, client):
    if not has_route(client, request.param):
        pytest.skip(f"{request.param} is not registered in this app yet")
    return request.param


@pytest.mark.parametrize("mode", ["fast", "LLM ", "", 1, None])
def test_unknown_mode_is_422(client, ask, mode):
    r = client.post(ask, json={"question": QUESTION, "mode": mode})
    assert r.status_code == 422 and "mode" in detail(r)


@pytest.mark.parametrize("history", ["hi", [1], [{"role": "hacker", "content": "x"}], [{"role": "user"}],
                                     [{"role": "user", "content": 5}], [{"role": "user", "content": "x" * 20_000}],
                                     [{"role": "user", "content": "x"}] * 200])
def test_malformed_history_is_422(client, ask, history):
    # each of these fits the 64 KiB body limit (20,000 characters, 200 short turns): the history's own
    # limits (2,000 characters a turn, 10 turns) refuse them, and say so
    r = client.post(ask, json={"question": QUESTION, "mode": "extractive", "history": history})
    assert r.status_code == 422, r.text
    assert "history" in detail(r)


def test_unknown_document_is_404_on_ask(client, ask):
    r = client.post(ask, json={"question": QUESTION, "mode": "extractive", "doc": "nope"})
    assert r.status_code == 404 and "unknown document" in detail(r)


# --- methods, paths, and the server staying up -------------------------------------------------------------------

@pytest.mark.parametrize("method, path, allowed", [("GET", "/api/search", "POST"), ("DELETE", "/api/search", "POST"),
                                                   ("PUT", "/api/measures", "GET")])
def test_a_wrong_method_is_405_naming_the_allowed_one(client, method, path, allowed):
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allowed
    detail(r)


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/../../etc/passwd"])  # the client resolves the dots
def test_an_unknown_path_is_404_with_detail(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["detail"] == "Not Found"


def test_server_still_answers_after_all_of_that(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.post("/api/search", json={"query": QUESTION}).status_code == 200
