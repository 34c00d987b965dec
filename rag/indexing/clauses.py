"""A second view of each measure: its clauses, embedded one by one. A question that describes a situation
often matches one clause of a long measure much better than the whole ("…授权窗口直接完成业务办理…" inside a
measure about window staff), so the dense score of a measure mixes its whole-text score with its best clause's.

On the dev split (`rag eval eval/users-dev.jsonl --retrieval-only`) mixing 0.8 whole and 0.2 best clause raised
hit@1 from 0.642 to 0.664 (indirect questions 0.527 → 0.567; eval/qa.jsonl 0.886 → 0.899); section titles as a
third view added nothing measurable. The clause vectors are derived data: embedded once per corpus and
embedding model and kept in the index directory's cache, keyed by the clauses' text, so a new notice or model
re-embeds and nothing needs migrating.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.corpus.model import Measure
from rag.embeddings.base import Embedder

log = logging.getLogger(__name__)
MIN_CLAUSE = 6  # characters; shorter pieces ("具体措施") say nothing on their own
_BUILT: dict[str, ClauseView] = {}


def clauses(m: Measure) -> list[str]:
    """The measure's sentences (。；), or its comma-separated pieces when it is one sentence; each prefixed with
    the section title, as the whole-measure chunk is."""
    parts = [p for p in re.split(r"[。；;]", m.body) if len(p) >= MIN_CLAUSE]
    if len(parts) <= 1:
        parts = [p for p in re.split(r"[，,。；;]", m.body) if len(p) >= MIN_CLAUSE]
    return [f"{m.heading}：{p}" for p in parts]


@dataclass
class ClauseView:
    vectors: np.ndarray  # (clauses, dim)
    owner: np.ndarray  # the row (measure) each clause belongs to, ascending

    def best(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The best clause score of each of `rows` for the question vector (-1 for a measure without
        clauses); only those rows' clauses are read."""
        rows = np.asarray(rows, dtype=np.int64)
        start, end = np.searchsorted(self.owner, rows), np.searchsorted(self.owner, rows, side="right")
        counts = end - start
        out = np.full(len(rows), -1.0, dtype=np.float32)
        has = counts > 0
        if not has.any():
            return out
        # the clause indices of every row with clauses, one run per row, in row order
        runs = np.repeat(start[has] - np.concatenate([[0], np.cumsum(counts[has])[:-1]]), counts[has])
        idx = runs + np.arange(int(counts[has].sum()))
        out[has] = np.maximum.reduceat(self.vectors[idx] @ q, np.concatenate([[0], np.cumsum(counts[has])[:-1]]))
        return out

    @classmethod
    def cached(cls, measures: list[Measure], embedder: Embedder, cache_dir: Path | None) -> ClauseView:
        texts, owner = [], []
        for i, m in enumerate(measures):
            for c in clauses(m):
                texts.append(c)
                owner.append(i)
        digest = hashlib.sha256("\0".join([embedder.name, *texts]).encode()).hexdigest()[:16]
        if digest in _BUILT:
            return _BUILT[digest]
        path = cache_dir / f"clauses-{digest}.npy" if cache_dir else None
        vectors = None
        if path is not None and path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape != (len(texts), embedder.dim):
                    vectors = None
            except (OSError, ValueError):
                vectors = None
        if vectors is None:
            vectors = embedder.embed_passages(texts) if texts else np.zeros((0, embedder.dim), np.float32)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_name(path.name + ".tmp")
                    with tmp.open("wb") as f:
                        np.save(f, vectors)
                    tmp.replace(path)
                except OSError as exc:
                    log.warning("cannot cache clause vectors in %s: %s", cache_dir, exc)
        view = _BUILT[digest] = cls(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(owner, dtype=np.int64))
        return view
