"""One short end-to-end run with the real local model (Qwen2.5-Coder-1.5B GGUF through llama.cpp)."""
import time

import pytest

from rag.answer.events import Done, Token
from rag.llm.model_files import is_prepared


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
