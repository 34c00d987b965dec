"""OpenAI's `usage` for a reply: the chat model's own token counts when it ran for the answer, an estimate
otherwise (rag/embeddings/token_count.py counts). Clients need it on every reply: the `llm` command line
reads `usage` of every plain reply, and OpenAI's final stream chunk carries it when
`stream_options.include_usage` asks."""

from __future__ import annotations

from collections.abc import Callable

from rag.llm.usage import Usage
from rag.openai_compat.schema import CompletionUsage

Count = Callable[[str], int]


def completion_usage(model: Usage | None, asked: list[str], reply: str, count: Count) -> CompletionUsage:
    """The chat model's counts when it ran (what it read includes the measures and instructions it was
    given); else estimated: what was asked (the question and the history sent) and the reply's text."""
    if model is not None:
        prompt, completion = model.prompt_tokens, model.completion_tokens
    else:
        prompt, completion = sum(count(t) for t in asked), count(reply)
    return CompletionUsage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)
