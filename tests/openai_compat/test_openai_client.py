"""The official `openai` client against a live server: what Open WebUI and the other front ends do."""
from __future__ import annotations

import pytest

from tests.live import live_server

openai = pytest.importorskip("openai")
pytestmark = pytest.mark.clients
QUESTION = "我们厂要接自来水和燃气，找哪个部门？"


@pytest.fixture(scope="module")
def base_url(app_with):
    with live_server(app_with(api_keys=["sk-test"]), lifespan="on") as url:
        yield url + "/v1"


def test_plain_and_streamed_answers_through_the_openai_client(base_url, services):
    client = openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0)
    assert {m.id for m in client.models.list()} == {"policy-qa", "policy-qa-extractive"}

    reply = client.chat.completions.create(model="policy-qa-extractive", messages=[{"role": "user", "content": QUESTION}])
    content = reply.choices[0].message.content
    assert "二(四)4" in content and "区自来水公司" in content
    assert reply.model_extra["citations"][0]["id"] == "二(四)4"
    count = services.token_counter.count  # no chat model here: estimated, the question and the reply
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (count(QUESTION), count(content))
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens

    pieces, last = [], None
    for chunk in client.chat.completions.create(model="policy-qa-extractive", stream=True,
                                                messages=[{"role": "user", "content": QUESTION}]):
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    assert "".join(pieces) == content
    assert last.choices[0].finish_reason == "stop" and last.model_extra["citations"][0]["id"] == "二(四)4"
    assert last.usage is None  # not asked for

    chunks = list(client.chat.completions.create(model="policy-qa-extractive", stream=True,
                                                 stream_options={"include_usage": True},
                                                 messages=[{"role": "user", "content": QUESTION}]))
    *text_chunks, usage_chunk = chunks
    assert "".join(c.choices[0].delta.content or "" for c in text_chunks) == content
    assert all(c.usage is None for c in text_chunks) and text_chunks[-1].choices[0].finish_reason == "stop"
    assert usage_chunk.choices == [] and usage_chunk.usage == reply.usage


def test_errors_come_as_the_clients_exceptions(base_url):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=base_url, api_key="wrong", max_retries=0).models.list()
    client = openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0)
    with pytest.raises(openai.NotFoundError, match="unknown model"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    with pytest.raises(openai.UnprocessableEntityError, match="last message"):
        client.chat.completions.create(model="policy-qa", messages=[{"role": "assistant", "content": QUESTION}])
