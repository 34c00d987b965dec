"""Okapi BM25 over a small, fixed set of documents, with numpy; scores every document at once."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np


class BM25:
    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.n = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        self._norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        df: Counter[str] = Counter()
        tf_rows: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                df[term] += 1
                tf_rows.setdefault(term, []).append((i, tf))
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        for term, rows in tf_rows.items():
            idx = np.array([r[0] for r in rows], dtype=np.int64)
            tf = np.array([r[1] for r in rows], dtype=np.float32)
            self._postings[term] = (idx, tf)

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for term, qtf in Counter(query).items():
            posting = self._postings.get(term)
            if posting is None:
                continue
            idx, tf = posting
            out[idx] += self.idf[term] * tf * (self.k1 + 1) / (tf + self._norm[idx])
        return out
