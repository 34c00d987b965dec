"""One short end-to-end run with the real local model (Qwen2.5-Coder-1.5B GGUF through llama.cpp)."""
import time

import pytest

from rag.answer.events import Done, Token
from rag.llm.model_files import is_prepared
from rag.llm.usage import Usage


@pytest.mark.slow
def test_real_local_model_answer_is_checked(services):
    from rag.answer.service import Answerer
    from rag.llm.local import LocalChatModel
    from rag.settings import get_settings

    path = get_settings().gguf_path
    if not is_prepared(path):
        pytest.skip(f"no assembled model at {path}: run `rag model prepare` (make test does)")
    chat = LocalChatModel(path, n_ctx=2048, n_threads=2)
    answerer = Answerer(services.corpus, services.retriever, chat, services.settings)
    started, first = time.perf_counter(), None
    answer = None
    for event in answerer.stream("企业间不动产转移登记多长时间能办结？", mode="llm"):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter() - started
        if isinstance(event, Done):
            answer = event.answer
    assert answer is not None and not answer.refused
    assert answer.mode in ("llm", "extractive")  # the model's phrasing, or the checked fallback
    assert {c.id for c in answer.citations} <= set(answer.retrieved)
    assert "区规划资源局" in answer.answer and "90分钟" in answer.answer
    assert first is not None and first < 10



@pytest.mark.slow
def test_real_local_model_counts_its_tokens_as_llama_cpp_does():
    # llama.cpp counts only a whole (not streamed) completion: the streamed counts must agree with it
    from rag.llm.local import LocalChatModel
    from rag.settings import get_settings

    path = get_settings().gguf_path
    if not is_prepared(path):
        pytest.skip(f"no assembled model at {path}: run `rag model prepare` (make test does)")
    chat = LocalChatModel(path, n_ctx=1024, n_threads=2)
    messages = [{"role": "system", "content": "用一句话回答。"}, {"role": "user", "content": "接水找谁？"}]
    whole = chat._model().create_chat_completion(messages=messages, max_tokens=4, temperature=0.0)
    assert whole["choices"][0]["finish_reason"] == "length" and whole["usage"]["completion_tokens"] == 4

    cut = chat.stream(messages, max_tokens=4, temperature=0.0, timeout_s=120)  # ended by the length limit
    assert "".join(cut) and cut.usage == Usage(prompt_tokens=whole["usage"]["prompt_tokens"], completion_tokens=4)

    ended = chat.stream(messages, max_tokens=200, temperature=0.0, timeout_s=120)  # ended by end-of-text
    text = "".join(ended)
    written = chat._model().tokenize(text.encode(), add_bos=False, special=True)
    assert ended.usage == Usage(prompt_tokens=whole["usage"]["prompt_tokens"], completion_tokens=len(written))
