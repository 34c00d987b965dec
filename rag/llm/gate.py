"""One generation at a time behind a bounded queue: a 2-core machine runs one model pass well and two
badly, and an unbounded queue turns a burst into minutes of waiting for everyone."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from rag.llm.base import ModelBusy, ModelTimeout


class GenerationGate:
    def __init__(self, queue_size: int = 4, typical_s: float = 20.0):
        self._run = threading.Lock()
        self._state = threading.Lock()
        self._waiting = 0
        self.queue_size = queue_size
        self.typical_s = typical_s

    @property
    def waiting(self) -> int:
        return self._waiting

    @contextmanager
    def slot(self, wait_s: float):
        with self._state:
            if self._run.locked() and self._waiting >= self.queue_size:
                raise ModelBusy(retry_after=self.typical_s * (self._waiting + 1))
            self._waiting += 1
        try:
            acquired = self._run.acquire(timeout=max(wait_s, 0.001))
        finally:
            with self._state:
                self._waiting -= 1
        if not acquired:
            raise ModelTimeout(f"waited {wait_s:.0f} s for the chat model")
        try:
            yield
        finally:
            self._run.release()
