"""Any server that speaks the OpenAI chat-completions API (vLLM, Ollama, llama.cpp server, hosted APIs),
through the official `openai` client, which owns the HTTP and the server-sent-event parsing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from rag.llm.base import ModelTimeout, ModelUnavailable
from rag.llm.gate import GenerationGate
from rag.llm.usage import Generation, Usage

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam


class OpenAICompatibleChatModel:
    def __init__(self, base_url: str, model: str, api_key: str = "", queue_size: int = 16, ask_usage: bool = True):
        import openai

        self.name = f"openai/{model}"
        self._url = base_url.rstrip("/")
        self._model = model
        # no retries: the answer pipeline falls back to the extractive answer at once instead
        self._client = openai.OpenAI(base_url=self._url, api_key=api_key or "unused", max_retries=0)
        self._keyless = not api_key  # a local server without keys: send no Authorization header at all
        self.gate = GenerationGate(queue_size)  # the server queues too; this only bounds our own callers
        # OpenAI's way to have a stream's token counts: one last chunk with no choices and the usage
        self._stream_options = {"include_usage": True} if ask_usage else openai.omit

    def stream(self, messages: list[dict], *, max_tokens: int, temperature: float, timeout_s: float) -> Generation:
        return Generation(self._pieces(messages, max_tokens, temperature, timeout_s))

    def _pieces(
        self, messages: list[dict], max_tokens: int, temperature: float, timeout_s: float
    ) -> Iterator[str | Usage]:
        import httpx
        import openai

        timeout = httpx.Timeout(timeout_s, connect=min(5.0, timeout_s))
        headers: dict[str, str | openai.Omit] | None = {"Authorization": openai.Omit()} if self._keyless else None
        with self.gate.slot(wait_s=timeout_s):
            try:
                with self._client.chat.completions.create(  # type: ignore[call-overload]  # mypy reads stream=True as bool
                    model=self._model,
                    messages=cast("list[ChatCompletionMessageParam]", messages),
                    max_tokens=max_tokens,
                    temperature=temperature,
                    stream=True,
                    stream_options=self._stream_options,
                    timeout=timeout,
                    extra_headers=headers,
                ) as chunks:
                    usage = None
                    for chunk in chunks:
                        piece = chunk.choices[0].delta.content if chunk.choices else None
                        if piece:
                            yield piece
                        if chunk.usage is not None:  # the last chunk's; some servers count on every chunk
                            usage = Usage(
                                prompt_tokens=chunk.usage.prompt_tokens,
                                completion_tokens=chunk.usage.completion_tokens,
                            )
                    if usage is not None:
                        yield usage
            except openai.APITimeoutError as exc:
                raise ModelTimeout(f"chat server did not answer within {timeout_s:.0f} s") from exc
            except openai.APIStatusError as exc:
                raise ModelUnavailable(f"chat server answered {exc.status_code}: {str(exc)[:200]}") from exc
            except openai.APIError as exc:
                raise ModelUnavailable(f"chat server unreachable at {self._url}: {exc}") from exc
