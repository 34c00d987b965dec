"""Chat back-ends behind one Protocol: local llama.cpp (default), any OpenAI-compatible server, or none."""

from rag.llm.base import ChatModel, ModelBusy, ModelUnavailable
from rag.llm.factory import make_chat_model

__all__ = ["ChatModel", "ModelBusy", "ModelUnavailable", "make_chat_model"]
