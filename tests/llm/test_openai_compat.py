import pytest

from rag.answer.service import Answerer
from rag.llm.base import ModelTimeout, ModelUnavailable
from rag.llm.openai_compat import OpenAICompatibleChatModel
from rag.llm.usage import Usage
from tests.llm.fake_openai_server import FakeOpenAIServer, free_port

REPLY = "根据【二(四)4】，接水不用来回跑现场，全程在网上就能办。"


def test_streams_from_an_openai_compatible_server():
    with FakeOpenAIServer(REPLY) as server:
        chat = OpenAICompatibleChatModel(server.base_url, "qwen-test", api_key="sk-test")
        generation = chat.stream([{"role": "user", "content": "hi"}], max_tokens=50, temperature=0.1, timeout_s=10)
        assert "".join(generation) == REPLY
        body = server.requests[0]
        assert body["model"] == "qwen-test" and body["stream"] is True and body["max_tokens"] == 50
        assert body["stream_options"] == {"include_usage": True}  # the server's own counts, on a last chunk
        assert generation.usage == Usage(prompt_tokens=42, completion_tokens=len(REPLY))


def test_a_server_that_refuses_stream_options_is_not_asked():
    with FakeOpenAIServer(REPLY) as server:
        chat = OpenAICompatibleChatModel(server.base_url, "m", api_key="sk-test", ask_usage=False)
        generation = chat.stream([{"role": "user", "content": "hi"}], max_tokens=5, temperature=0, timeout_s=10)
        assert "".join(generation) == REPLY and generation.usage is None
        assert "stream_options" not in server.requests[0]


def test_bad_key_and_unreachable_server_are_unavailable():
    with FakeOpenAIServer(REPLY) as server:
        chat = OpenAICompatibleChatModel(server.base_url, "m", api_key="wrong")
        with pytest.raises(ModelUnavailable, match="401"):
            list(chat.stream([], max_tokens=5, temperature=0, timeout_s=5))
    nobody = OpenAICompatibleChatModel(f"http://127.0.0.1:{free_port()}/v1", "m")
    with pytest.raises(ModelUnavailable):
        list(nobody.stream([], max_tokens=5, temperature=0, timeout_s=5))


def test_slow_server_times_out():
    with FakeOpenAIServer(REPLY, delay=2.0) as server:
        chat = OpenAICompatibleChatModel(server.base_url, "m", api_key="sk-test")
        with pytest.raises(ModelTimeout):
            list(chat.stream([], max_tokens=5, temperature=0, timeout_s=0.5))


def test_remote_back_end_answers_through_the_pipeline(services):
    with FakeOpenAIServer(REPLY) as server:
        chat = OpenAICompatibleChatModel(server.base_url, "m", api_key="sk-test")
        answer = Answerer(services.corpus, services.retriever, chat, services.settings).ask("我们厂要接自来水，找哪个单位？", mode="llm")
    assert answer.mode == "llm" and "不用来回跑现场" in answer.answer and "区自来水公司" in answer.answer
    assert answer.usage == Usage(prompt_tokens=42, completion_tokens=len(REPLY))


def test_settings_choose_the_back_end(tmp_path):
    from rag.llm import make_chat_model
    from tests.conftest import make_settings

    assert make_chat_model(make_settings(tmp_path)) is None  # backend none
    remote = make_chat_model(make_settings(tmp_path, llm={"backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "x"}))
    assert isinstance(remote, OpenAICompatibleChatModel)
    missing = make_chat_model(make_settings(tmp_path, llm={"backend": "local", "model_path": str(tmp_path / "none.gguf")}))
    assert missing is None  # auto mode then answers extractively
