"""sentence-transformers over a local model directory (install extra `st`); never downloads."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class SentenceTransformerEmbedder:
    def __init__(self, model_path: str, query_prefix: str = "", passage_prefix: str = ""):
        if not model_path or not Path(model_path).is_dir():
            raise ValueError(
                f"sentence-transformers needs a local model directory (RAG_EMBEDDING__MODEL_PATH); got {model_path!r}"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_path), device="cpu")
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = dim_of()
        if dim is None:
            raise ValueError(f"{model_path}: the model does not say its embedding dimension")
        self.dim = int(dim)
        self.name = f"sentence-transformers/{Path(model_path).resolve().name}"
        self._qp, self._pp = query_prefix, passage_prefix

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self._qp + text])[0]

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._pp + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)
