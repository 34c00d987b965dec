"""FAISS, in process: exact inner product (the default), IVF-Flat or HNSW for large corpora."""
from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np


class FaissStore:
    def __init__(self, dim: int, index: str = "flat", hnsw_m: int = 32, ef_search: int = 128,
                 nlist: int = 4096, nprobe: int = 32):
        self.dim, self._index_kind, self._m, self._ef = dim, index, hnsw_m, ef_search
        self._nlist, self._nprobe = nlist, nprobe
        self.kind = f"faiss-{index}"
        self.keys: list[str] = []
        self._index = self._new_index()

    def _new_index(self):
        if self._index_kind == "hnsw":
            index = faiss.IndexHNSWFlat(self.dim, self._m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 200
            index.hnsw.efSearch = self._ef
            return index
        if self._index_kind == "ivf":
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, self._nlist, faiss.METRIC_INNER_PRODUCT)
            index.nprobe = self._nprobe
            return index
        return faiss.IndexFlatIP(self.dim)

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(keys), self.dim)
        if not self._index.is_trained:  # IVF learns its cells from the first batch; small corpora get fewer cells
            if len(vectors) < 39 * self._nlist:
                self._nlist = max(1, len(vectors) // 39)
                self._index = self._new_index()
            self._index.train(vectors)
        self._index.add(vectors)
        self.keys.extend(keys)

    def search(self, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        if not self.keys:
            return []
        k = min(k, len(self.keys))
        scores, positions = self._index.search(np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim), k)
        return [(self.keys[p], float(s)) for s, p in zip(scores[0], positions[0]) if p >= 0]

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def __len__(self) -> int:
        return len(self.keys)

    def save(self, directory: Path) -> list[str]:
        faiss.write_index(self._index, str(directory / "faiss.index"))
        (directory / "faiss.keys.json").write_text(json.dumps(self.keys, ensure_ascii=False), encoding="utf-8")
        return ["faiss.index", "faiss.keys.json"]

    def load(self, directory: Path) -> None:
        index = faiss.read_index(str(directory / "faiss.index"))
        keys = json.loads((directory / "faiss.keys.json").read_text(encoding="utf-8"))
        if index.d != self.dim or index.ntotal != len(keys):
            raise ValueError(f"faiss index holds {index.ntotal}×{index.d}, manifest expects {len(keys)}×{self.dim}")
        if self._index_kind == "hnsw":
            index.hnsw.efSearch = self._ef
        if self._index_kind == "ivf":
            faiss.extract_index_ivf(index).nprobe = self._nprobe
        self._index, self.keys = index, keys
