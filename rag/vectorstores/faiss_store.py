"""FAISS, in process: exact inner product for small corpora, IVF-Flat (or HNSW, by setting) for large ones.

`index="auto"` picks by size when the store is made: exact below `exact_below` vectors, IVF-Flat above.
IVF rather than HNSW: on clustered vectors at 1M, IVF (nlist 4096, nprobe 32) reaches recall@10 0.965 after
a one-minute build, where HNSW (M=16) stayed at 0.80 after six (bench/scale.py; README, Scale benchmark).
HNSW stays available by setting. The document filter reaches the
index as an id selector over that document's positions (keys are `doc:id`), so a search never scores
vectors it would then throw away.
"""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

# faiss ships an __init__.pyi that lacks much of what its SWIG module has at run time (SearchParametersHNSW,
# the sel/nprobe keywords, Index.hnsw), so the module is typed as Any rather than against those stubs
faiss: Any = importlib.import_module("faiss")


def resolve_kind(index: str, size: int, exact_below: int) -> str:
    return ("flat" if size < exact_below else "ivf") if index == "auto" else index


class FaissStore:
    def __init__(
        self, dim: int, index: str = "flat", hnsw_m: int = 32, ef_search: int = 128, nlist: int = 4096, nprobe: int = 32
    ):
        self.dim, self._index_kind, self._m, self._ef = dim, index, hnsw_m, ef_search
        self._nlist, self._nprobe = nlist, nprobe
        self.kind = f"faiss-{index}"
        self.keys: list[str] = []
        self._index = self._new_index()
        self._docs: dict[str, np.ndarray] | None = None  # document → its positions, made on the first filter

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
        self._docs = None

    def _positions(self, doc: str) -> np.ndarray:
        if self._docs is None:
            groups: dict[str, list[int]] = {}
            for i, key in enumerate(self.keys):
                groups.setdefault(key.partition(":")[0], []).append(i)
            self._docs = {d: np.asarray(rows, dtype=np.int64) for d, rows in groups.items()}
        return self._docs.get(doc, np.zeros(0, np.int64))

    def _params(self, sel, selected: int):
        """Search parameters with the selector. An approximate index looks wider the fewer vectors pass the
        filter: a small document's measures are otherwise mostly in cells (or graph regions) never visited."""
        share = max(selected, 1) / max(len(self.keys), 1)
        if self._index_kind == "hnsw":
            return faiss.SearchParametersHNSW(sel=sel, efSearch=int(min(len(self.keys), self._ef / share)))
        if self._index_kind == "ivf":
            nlist = faiss.extract_index_ivf(self._index).nlist
            return faiss.SearchParametersIVF(sel=sel, nprobe=int(min(nlist, math.ceil(self._nprobe / share))))
        return faiss.SearchParameters(sel=sel)

    def search(self, query: np.ndarray, k: int, doc: str | None = None) -> list[tuple[str, float]]:
        """The k nearest keys by inner product, best first; `doc` limits the search to one document's."""
        params, size = None, len(self.keys)
        if doc is not None:
            rows = self._positions(doc)
            params, size = self._params(faiss.IDSelectorBatch(rows), len(rows)), len(rows)
        k = min(k, size)
        if k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        if self._index_kind == "hnsw":
            # HNSW returns at most efSearch results: look as wide as asked
            params = params or faiss.SearchParametersHNSW(efSearch=self._ef)
            params.efSearch = max(params.efSearch, k)
        scores, positions = self._index.search(q, k, params=params) if params is not None else self._index.search(q, k)
        return [(self.keys[p], float(s)) for s, p in zip(scores[0], positions[0], strict=False) if p >= 0]

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def __len__(self) -> int:
        return len(self.keys)

    def save(self, directory: Path) -> list[str]:
        faiss.write_index(self._index, str(directory / "faiss.index"))
        (directory / "faiss.keys.json").write_text(json.dumps(self.keys, ensure_ascii=False), encoding="utf-8")
        return ["faiss.index", "faiss.keys.json"]

    def load(self, directory: Path, keys: list[str] | None = None) -> None:
        # mapped, not read: an IVF index's inverted lists (1.5 GB at a million measures) stay file pages that
        # every search process over the build shares and that load in milliseconds; only the lists a question
        # probes are paged in. (Flat and HNSW indexes read with the flag search as before.)
        index = faiss.read_index(str(directory / "faiss.index"), faiss.IO_FLAG_MMAP)
        stored = json.loads((directory / "faiss.keys.json").read_text(encoding="utf-8"))
        if keys is None or keys != stored:
            keys = stored  # a caller's list that differs is not this index's: its own file speaks
        if index.d != self.dim or index.ntotal != len(keys):
            raise ValueError(f"faiss index holds {index.ntotal}×{index.d}, manifest expects {len(keys)}×{self.dim}")
        if self._index_kind == "hnsw":
            index.hnsw.efSearch = self._ef
        if self._index_kind == "ivf":
            faiss.extract_index_ivf(index).nprobe = self._nprobe
        self._index, self.keys, self._docs = index, keys, None
