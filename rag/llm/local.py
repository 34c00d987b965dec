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


def _lower_priority(niceness: int = 10) -> None:
    """Generation is long and search is short: let searches win the cores. Linux nice values are per
    thread, and the threads llama.cpp starts from this one inherit it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):
        pass


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

    def stream(self, messages: list[dict], *, max_tokens: int, temperature: float, timeout_s: float) -> Iterator[str]:
        slot = self.gate.slot(wait_s=timeout_s)
        slot.__enter__()  # released by the worker when generation really ends, not when the caller gives up

        def produce(stop: threading.Event) -> Iterator[str]:
            _lower_priority()
            chunks = self._model().create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
            )
            try:
                for chunk in chunks:
                    if stop.is_set():
                        break
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            finally:
                chunks.close()

        def release() -> None:
            slot.__exit__(None, None, None)

        return stream_with_deadline(produce, timeout_s, on_finish=release)
