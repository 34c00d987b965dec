"""POST /v1/chat/completions and GET /v1/models: OpenAI's shapes, /api/ask's answers, checks and limits."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from rag.answer.service import Answerer
from rag.api.app import create_app
from rag.openai_compat.service import REPLACED, ChatCompletions, question_of
from rag.openai_compat.schema import ChatCompletionRequest
from tests.answer.fakes import ScriptedChat

HOOKUP = "接电接水接气有哪些便利措施？"
HOOKUP_UNITS = ("燃气市北销售有限公司嘉定分公司", "区自来水公司", "区水务局")


def ask(client, content=HOOKUP, model="policy-qa-extractive", **extra):
    return client.post("/v1/chat/completions", json={"model": model, "messages": [{"role": "user", "content": content}], **extra})


def sse_chunks(text: str) -> list:
    frames = [line.removeprefix("data: ") for line in text.splitlines() if line.startswith("data: ")]
    assert frames[-1] == "[DONE]"
    return [json.loads(f) for f in frames[:-1]]


def test_models_lists_both_answer_modes(client):
    r = client.get("/v1/models")
    assert r.status_code == 200
    assert [m["id"] for m in r.json()["data"]] == ["policy-qa", "policy-qa-extractive"]
    assert client.get("/v1/models/policy-qa").json()["object"] == "model"
    assert client.get("/v1/models/gpt-4").json()["error"]["type"] == "not_found_error"


def test_plain_answer_names_the_measure_and_its_units(client):
    r = ask(client)
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["choices"][0]["finish_reason"] == "stop"
    content = body["choices"][0]["message"]["content"]
    assert "**二(四)4**" in content and all(u in content for u in HOOKUP_UNITS)
    assert body["citations"][0]["id"] == "二(四)4" and set(HOOKUP_UNITS) <= set(body["citations"][0]["units"])
    assert body["refused"] is False


def test_stream_sends_openai_chunks_then_done(client):
    r = ask(client, stream=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    chunks = sse_chunks(r.text)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
    assert [c["choices"][0]["finish_reason"] for c in chunks].count("stop") == 1 and chunks[-1]["choices"][0]["finish_reason"] == "stop"
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert content == ask(client).json()["choices"][0]["message"]["content"]  # the same text as the plain answer
    assert chunks[-1]["citations"][0]["id"] == "二(四)4"


def test_last_message_is_the_question_and_earlier_ones_the_history(client):
    first = ask(client).json()["choices"][0]["message"]["content"]
    r = client.post("/v1/chat/completions", json={"model": "policy-qa-extractive", "messages": [
        {"role": "system", "content": "你是一个乐于助人的助手。"},
        {"role": "user", "content": HOOKUP}, {"role": "assistant", "content": first},
        {"role": "user", "content": [{"type": "text", "text": "第二条是什么？"}]}]})
    assert r.status_code == 200
    assert r.json()["citations"][0]["id"] == "二(四)2"  # the second measure the first answer quoted


def test_out_of_scope_question_is_refused(client):
    body = ask(client, "明年的高考分数线是多少？").json()
    assert body["refused"] is True and body["citations"] == []
    assert "未涉及" in body["choices"][0]["message"]["content"]


@pytest.mark.parametrize("payload, status, param", [
    ({"model": "gpt-4o", "messages": [{"role": "user", "content": "接水找谁"}]}, 404, "model"),
    ({"model": "policy-qa", "messages": []}, 422, "messages"),
    ({"model": "policy-qa", "messages": [{"role": "assistant", "content": "接水找谁"}]}, 422, "messages"),
    ({"model": "policy-qa", "messages": [{"role": "user", "content": " \u200b "}]}, 422, "messages"),
    ({"model": "policy-qa", "messages": [{"role": "user", "content": "问" * 2001}]}, 422, "messages"),
    ({"model": "policy-qa", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, 422, "messages"),
    ({"model": "policy-qa", "messages": [{"role": "robot", "content": "hi"}]}, 422, "messages.0.role"),
    ({"model": "policy-qa", "messages": [{"role": "user", "content": "接水"}], "doc": "no-such-doc"}, 404, None),
])
def test_bad_requests_get_openai_errors(client, payload, status, param):
    r = client.post("/v1/chat/completions", json=payload)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["message"] and error["type"] in ("invalid_request_error", "not_found_error")
    if param:
        assert error["param"] == param


def test_unknown_fields_that_clients_send_are_accepted(client):
    r = ask(client, temperature=0.7, top_p=1, stream_options={"include_usage": True}, user="window-3", max_tokens=50)
    assert r.status_code == 200


def test_malformed_json_gets_an_openai_error(client):
    r = client.post("/v1/chat/completions", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "malformed JSON" in r.json()["error"]["message"]


def test_api_keys_guard_v1_and_mcp_but_not_api(app_with):
    with TestClient(app_with(api_keys=["k1", "k2"])) as c:
        assert c.get("/v1/models").status_code == 401
        assert c.get("/v1/models", headers={"Authorization": "Bearer nope"}).json()["error"]["type"] == "authentication_error"
        assert c.get("/v1/models", headers={"Authorization": "Bearer k2"}).status_code == 200
        assert c.post("/mcp", json={}).status_code == 401
        assert c.post("/api/search", json={"query": "接水"}).status_code == 200


def test_rate_limit_covers_chat_completions(app_with):
    with TestClient(app_with(ask_rate_per_minute=1)) as c:
        assert ask(c).status_code == 200
        r = ask(c)
        assert r.status_code == 429 and r.headers["retry-after"] and r.json()["error"]["type"] == "rate_limit_error"


def _answerer(services, chat):
    settings = services.settings.model_copy(deep=True)
    settings.answer.rewrite = False
    return Answerer(services.corpus, services.retriever, chat, settings)


def _streamed(service: ChatCompletions, model="policy-qa") -> tuple[str, dict]:
    q = question_of(ChatCompletionRequest(model=model, messages=[{"role": "user", "content": HOOKUP}]), 2000)
    chunks = list(service.chunks(service.events(q), model))
    return "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1]


def test_model_phrasing_streams_and_keeps_units_from_the_data(services):
    honest = "根据【二(四)4】，接水不用来回跑现场，全程在网上就能办。"
    text, last = _streamed(ChatCompletions(_answerer(services, ScriptedChat(honest)), services.token_counter.count))
    assert "不用来回跑现场" in text and all(u in text for u in HOOKUP_UNITS) and REPLACED not in text
    assert last.citations[0].id == "二(四)4"


def test_a_lie_caught_after_streaming_is_marked_and_replaced(services):
    # the first sentence passes and is streamed; the second names a unit not responsible: the chunks
    # cannot be taken back, so the stream says so and goes on with the notice's own words
    lie = "根据【二(四)4】，接水不用来回跑现场。接水请找区税务局办理。"
    text, last = _streamed(ChatCompletions(_answerer(services, ScriptedChat(lie)), services.token_counter.count))
    assert "区税务局" not in text and REPLACED in text
    assert "请联系：" in text.split(REPLACED)[1] and last.notes


def test_a_lie_caught_before_anything_but_the_measures_line_is_seamless(services):
    text, last = _streamed(ChatCompletions(_answerer(services, ScriptedChat("今天天气很好。我们聊聊足球吧。")), services.token_counter.count))
    assert "足球" not in text and REPLACED not in text
    assert text.count("请联系：") == 1 and "相关措施原文" in text
