"""Qwen2.5-Coder-1.5B-Instruct (GGUF) through llama-cpp-python, loaded once, one generation at a time."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

from rag.llm.base import ModelUnavailable
from rag.llm.gate import GenerationGate
from rag.llm.model_files import is_prepared
from rag.llm.threaded import stream_with_deadline
from rag.llm.usage import Generation, Usage


def _lower_priority(niceness: int = 10) -> None:
    """Generation is long and search is short: let searches win the cores. Linux nice values are per
    thread, and the threads llama.cpp starts from this one inherit it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):
        pass


def _usage(prompt: int, evaluated: int, finish: str | None) -> Usage:
    """Counts from the context llama.cpp evaluated, as its own non-streamed `usage` gives them (it has none
    for streams). When the first chunk arrives the prompt has been read and one token sampled, not yet
    evaluated: the context holds the prompt (a token or two more where llama.cpp held the first tokens back,
    a character split between them). At the end it holds the prompt and every token written but the last
    one sampled: the end-of-text token, not counted as written, or, when the length limit ended it, the last
    token written. Checked against llama.cpp's own counts (tests/llm/test_local_model.py)."""
    written = evaluated - prompt + (1 if finish == "length" else 0)
    return Usage(prompt_tokens=prompt, completion_tokens=max(written, 0))


class LocalChatModel:
    def __init__(self, model_path: Path, n_ctx: int = 4096, n_threads: int = 2, queue_size: int = 4):
        if not is_prepared(model_path):
            raise ModelUnavailable(f"no verified model at {model_path}: run `rag model prepare`")
        try:
            import llama_cpp  # noqa: F401
        except ImportError as exc:
            raise ModelUnavailable("llama-cpp-python is not installed: pip install -e '.[llm]'") from exc
        self.name = f"local/{model_path.name}"
        self._path, self._n_ctx, self._threads = model_path, n_ctx, n_threads
        self._llm = None
        self._load_lock = threading.Lock()
        self.gate = GenerationGate(queue_size)

    def _model(self):
        with self._load_lock:
            if self._llm is None:
                from llama_cpp import Llama

                self._llm = Llama(model_path=str(self._path), n_ctx=self._n_ctx, n_threads=self._threads, verbose=False)
            return self._llm

    def stream(self, messages: list[dict], *, max_tokens: int, temperature: float, timeout_s: float) -> Generation:
        slot = self.gate.slot(wait_s=timeout_s)
        slot.__enter__()  # released by the worker when generation really ends, not when the caller gives up

        def produce(stop: threading.Event) -> Iterator[str | Usage]:
            _lower_priority()
            llm = self._model()
            chunks = llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
            )
            prompt, finish = None, None
            try:
                for chunk in chunks:
                    if stop.is_set():
                        return
                    if prompt is None:
                        prompt = llm.n_tokens
                    choice = chunk["choices"][0]
                    finish = choice.get("finish_reason") or finish
                    piece = choice.get("delta", {}).get("content")
                    if piece:
                        yield piece
            finally:
                chunks.close()
            if prompt is not None:
                yield _usage(prompt, llm.n_tokens, finish)

        def release() -> None:
            slot.__exit__(None, None, None)

        return Generation(stream_with_deadline(produce, timeout_s, on_finish=release))
