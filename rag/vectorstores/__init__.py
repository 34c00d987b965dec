"""Vector stores behind one Protocol; `make_vector_store` picks one from settings."""

from rag.vectorstores.base import VectorStore
from rag.vectorstores.factory import make_vector_store

__all__ = ["VectorStore", "make_vector_store"]
