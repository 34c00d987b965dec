"""Run a blocking token generator in a worker thread so the caller can enforce a deadline: llama.cpp
blocks inside prompt reading, where no Python check can interrupt it."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from rag.llm.base import ModelTimeout

_END = object()
T = TypeVar("T")


def stream_with_deadline(
    produce: Callable[[threading.Event], Iterator[T]], timeout_s: float, on_finish: Callable[[], None] = lambda: None
) -> Iterator[T]:
    """Yield what `produce` yields; raise ModelTimeout once timeout_s has passed. `produce` receives a stop
    event and must stop soon after it is set; on_finish runs in the worker when it is done (releases the gate)."""
    out: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for piece in produce(stop):
                if stop.is_set():
                    break
                out.put(piece)
        except BaseException as exc:  # handed to the caller's thread
            out.put(exc)
        finally:
            out.put(_END)
            on_finish()

    threading.Thread(target=work, name="chat-generation", daemon=True).start()
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ModelTimeout(f"the chat model took longer than {timeout_s:.0f} s")
            try:
                item = out.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
