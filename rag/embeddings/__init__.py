"""Text embedders behind one Protocol; `make_embedder` picks one from settings."""

from rag.embeddings.base import Embedder
from rag.embeddings.factory import make_embedder

__all__ = ["Embedder", "make_embedder"]
