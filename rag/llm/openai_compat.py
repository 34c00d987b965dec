"""Any server that speaks the OpenAI chat-completions API (vLLM, Ollama, llama.cpp server, hosted APIs)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx

from rag.llm.base import ModelTimeout, ModelUnavailable
from rag.llm.gate import GenerationGate


class OpenAICompatibleChatModel:
    def __init__(self, base_url: str, model: str, api_key: str = "", queue_size: int = 16):
        self.name = f"openai/{model}"
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.gate = GenerationGate(queue_size)  # the server queues too; this only bounds our own callers
        self._local = threading.local()

    def stream(self, messages: list[dict], *, max_tokens: int, temperature: float, timeout_s: float) -> Iterator[str]:
        body = {
            "model": self._model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        timeout = httpx.Timeout(timeout_s, connect=min(5.0, timeout_s))
        with self.gate.slot(wait_s=timeout_s):
            try:
                with httpx.stream("POST", self._url, json=body, headers=self._headers, timeout=timeout) as resp:
                    if resp.status_code >= 400:
                        resp.read()
                        raise ModelUnavailable(f"chat server answered {resp.status_code}: {resp.text[:200]}")
                    for line in resp.iter_lines():
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            return
                        try:
                            piece = json.loads(data)["choices"][0].get("delta", {}).get("content")
                        except (ValueError, KeyError, IndexError, TypeError):
                            continue
                        if piece:
                            yield piece
            except httpx.TimeoutException as exc:
                raise ModelTimeout(f"chat server did not answer within {timeout_s:.0f} s") from exc
            except httpx.HTTPError as exc:
                raise ModelUnavailable(f"chat server unreachable at {self._url}: {exc}") from exc
