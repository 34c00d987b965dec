from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class VectorStore(Protocol):
    """Inner-product search over normalised vectors, addressed by string keys (doc:id)."""

    kind: str  # recorded in the manifest, e.g. "faiss-flat"

    def add(self, keys: list[str], vectors: np.ndarray) -> None: ...

    def search(self, query: np.ndarray, k: int, doc: str | None = None) -> list[tuple[str, float]]:
        """The k keys nearest the query, best first, with their inner products; `doc` keeps one
        document's (keys are `doc:id`), filtered inside the store."""
        ...

    def __len__(self) -> int: ...

    def save(self, directory: Path) -> list[str]:
        """Write the store into a build directory; return the files written (for checksums)."""
        ...

    def load(self, directory: Path, keys: list[str] | None = None) -> None:
        """Read the store from a build directory. `keys`: the build's keys as the caller already holds them
        (the manifest's); the store checks its own record against them and keeps that list, so a process
        holds one list of the keys, not two (a million keys are a hundred MB of small strings)."""
        ...
