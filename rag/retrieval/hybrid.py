"""Hybrid retrieval over measures.

Order of evidence: a measure id written in the question wins outright; a question about a unit's whole
remit returns all of that unit's measures; otherwise dense (e5) and BM25 (jieba) scores are each scaled
to [0, 1] and mixed by weight. Weighted mixing rather than reciprocal-rank fusion: RRF gives BM25's
ranking of an English question (where every score is ~0) as much say as the dense ranking.
"""
from __future__ import annotations

import numpy as np

from rag.corpus.collection import Corpus
from rag.embeddings.base import Embedder
from rag.indexing.store import LoadedIndex
from rag.retrieval.bm25 import BM25
from rag.retrieval.hit import Hit
from rag.retrieval.query import QueryPlan, plan_query
from rag.retrieval.tokenize import latin_share, pinyin_tokens, prepare, tokenize
from rag.indexing.chunks import chunk_text
from rag.settings import RetrievalSettings


def _scale(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


class HybridRetriever:
    def __init__(self, corpus: Corpus, embedder: Embedder, index: LoadedIndex, cfg: RetrievalSettings,
                 max_dense_chars: int = 512):
        self.corpus, self.embedder, self.index, self.cfg = corpus, embedder, index, cfg
        self.max_dense_chars = max_dense_chars  # e5 reads 512 tokens; a longer text only costs time
        self.measures = [corpus.by_key[k] for k in index.keys]
        self._pos = {m.key: i for i, m in enumerate(self.measures)}
        self._docs = np.array([m.doc for m in self.measures])
        self._by_unit: dict[str, list[int]] = {}  # unit name → its measures' rows, for boosts without a scan
        for i, m in enumerate(self.measures):
            for u in m.units:
                self._by_unit.setdefault(u, []).append(i)
        prepare([u.name for u in corpus.units] + [a for u in corpus.units for a in u.aliases])
        self.bm25 = BM25([tokenize(chunk_text(m)) for m in self.measures])
        self.pinyin = BM25([pinyin_tokens(chunk_text(m)) for m in self.measures])

    def plan(self, query: str, doc: str | None = None) -> QueryPlan:
        return plan_query(self.corpus, query, doc, latin=latin_share(query) > 0.5)

    def scores(self, plan: QueryPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fused, dense and BM25 scores of every measure, in index order."""
        q = self.embedder.embed_query(plan.text[: self.max_dense_chars])
        dense = self.index.vectors @ q
        bm25 = self.bm25.scores(tokenize(plan.text + " " + plan.expansion))
        pinyin = self.pinyin.scores(pinyin_tokens(plan.text))
        if plan.latin:
            w, wp = self.cfg.dense_weight_latin, 0.0
        else:
            w, wp = self.cfg.dense_weight, self.cfg.pinyin_weight
        fused = w * _scale(dense) + (1 - w - wp) * _scale(bm25) + wp * _scale(pinyin)
        if plan.unit_names and not plan.unit_intent:
            fused = fused + self.cfg.unit_boost * self._has_unit(plan.unit_names)
        return fused, dense, bm25

    def _has_unit(self, names) -> np.ndarray:
        """1.0 for each measure that names one of `names` as responsible, else 0.0."""
        mask = np.zeros(len(self.measures))
        for name in names:
            mask[self._by_unit.get(name, [])] = 1.0
        return mask

    def retrieve(self, query: str, top_k: int = 5, doc: str | None = None, plan: QueryPlan | None = None) -> list[Hit]:
        """Best measures first. A caller that has already planned the query passes the plan."""
        plan = plan or self.plan(query, doc)
        fused, dense, bm25 = self.scores(plan)
        if doc is not None:
            fused = np.where(self._docs == doc, fused, -np.inf)
        order = np.argsort(-fused, kind="stable")
        order = order[np.isfinite(fused[order])].tolist()  # one pass in numpy, not a Python loop per measure

        def hit(i: int, score: float, via: str) -> Hit:
            return Hit(self.measures[i], score, float(dense[i]), float(bm25[i]), [via])

        hits: list[Hit] = []
        taken: set[int] = set()
        for m in plan.referenced:  # ids written in the question, in the order written
            i = self._pos.get(m.key)
            if i is not None and i not in taken:
                hits.append(hit(i, 2.0 + float(fused[i]), "id"))
                taken.add(i)
        if plan.unit_intent:  # everything the named units do, most relevant first
            has_unit = self._has_unit(plan.unit_names)
            for i in order:
                if i not in taken and has_unit[i]:
                    hits.append(hit(i, 1.0 + float(fused[i]), "unit"))
                    taken.add(i)
        for i in order:
            if len(hits) >= top_k:
                break
            if i not in taken:
                hits.append(hit(i, float(fused[i]), "hybrid"))
                taken.add(i)
        return hits[:top_k]
