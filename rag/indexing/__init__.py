"""The persisted index: chunk texts, their embeddings and the vector store, with a manifest."""

from rag.indexing.store import IndexError_, LoadedIndex, build_index, load_or_build, rebuild

__all__ = ["IndexError_", "LoadedIndex", "build_index", "load_or_build", "rebuild"]
