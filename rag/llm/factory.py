from __future__ import annotations

from rag.llm.base import ChatModel, ModelUnavailable
from rag.settings import Settings


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when none is configured or it cannot be used here."""
    cfg = settings.llm
    if cfg.backend == "none":
        return None
    try:
        if cfg.backend == "local":
            from rag.llm.local import LocalChatModel

            return LocalChatModel(settings.gguf_path, cfg.n_ctx, cfg.n_threads, cfg.queue_size)
        if cfg.backend == "openai":
            from rag.llm.openai_compat import OpenAICompatibleChatModel

            return OpenAICompatibleChatModel(cfg.base_url, cfg.model, cfg.api_key, cfg.queue_size, cfg.ask_usage)
    except ModelUnavailable:
        return None
    raise ValueError(f"unknown llm backend {cfg.backend!r}")
