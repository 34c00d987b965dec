"""Fakes shared by the tests."""
from __future__ import annotations

import hashlib

import numpy as np


class CountingEmbedder:
    """Cheap and deterministic (the same text always gets the same vector); counts the passages it embeds."""

    def __init__(self, dim: int = 8, name: str = "counting-test"):
        self.dim, self.name = dim, name
        self.embedded = 0

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def _vec(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)
