from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors; queries and passages may be encoded differently."""

    name: str  # recorded in the index manifest: a change of model invalidates the index
    dim: int

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


@runtime_checkable
class QueryEncoder(Protocol):
    """Encodes one question (the "query: " side of e5) to an L2-normalised float32 vector; safe to call
    from many threads at once."""

    def encode_one(self, text: str) -> np.ndarray: ...
