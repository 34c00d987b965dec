from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable


class ModelUnavailable(RuntimeError):
    """No model can be used (not installed, file missing, server down); answers fall back to extractive."""


class ModelBusy(RuntimeError):
    """The generation queue is full; the API answers 503 with Retry-After."""

    def __init__(self, retry_after: float = 5.0):
        super().__init__(f"the chat model is busy; retry in {retry_after:.0f} s")
        self.retry_after = retry_after


class ModelTimeout(RuntimeError):
    """A generation ran past its time limit."""


@runtime_checkable
class ChatModel(Protocol):
    name: str

    def stream(self, messages: list[dict], *, max_tokens: int, temperature: float, timeout_s: float) -> Iterator[str]:
        """Yield text pieces as generated. Raises ModelBusy, ModelUnavailable or ModelTimeout. A back-end that
        counts tokens returns a Generation (rag/llm/usage.py), which has the counts once it has ended."""
        ...
