from __future__ import annotations

from rag.settings import VectorStoreSettings
from rag.vectorstores.base import VectorStore


def make_vector_store(cfg: VectorStoreSettings, dim: int, size: int = 0) -> VectorStore:
    """The configured store for `size` vectors (FAISS's "auto" chooses its index by size)."""
    if cfg.backend == "faiss":
        from rag.vectorstores.faiss_store import FaissStore, resolve_kind

        kind = resolve_kind(cfg.faiss_index, size, cfg.faiss_exact_below)
        return FaissStore(dim, kind, cfg.hnsw_m, cfg.hnsw_ef_search, cfg.ivf_nlist, cfg.ivf_nprobe)
    if cfg.backend == "milvus":
        from rag.vectorstores.milvus_store import MilvusStore

        return MilvusStore(dim, uri=cfg.milvus_uri, token=cfg.milvus_token)
    raise ValueError(f"unknown vector store backend {cfg.backend!r}")
