"""Retrieval: structure (ids, units), BM25 over jieba tokens and dense e5 search, fused."""

from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever

__all__ = ["Hit", "HybridRetriever"]
