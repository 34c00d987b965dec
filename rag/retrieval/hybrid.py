"""Hybrid retrieval over measures.

Order of evidence: a measure id written in the question wins outright; a question about a unit's whole
remit returns all of that unit's measures; otherwise dense (e5) and BM25 (jieba, pinyin) scores are each
scaled to [0, 1] and mixed by weight. Weighted mixing rather than reciprocal-rank fusion: RRF gives BM25's
ranking of an English question (where every score is ~0) as much say as the dense ranking.

Besides the hits, a search returns its evidence (how the dense and keyword rankings look), which the scope
judgement reads: the answer layer never re-runs a search to decide whether to answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.corpus.collection import Corpus
from rag.embeddings.base import Embedder
from rag.indexing.chunks import chunk_text
from rag.indexing.clauses import ClauseView
from rag.indexing.store import LoadedIndex
from rag.language.dictionary import Lexicon
from rag.retrieval.bm25 import BM25
from rag.retrieval.hit import Hit
from rag.retrieval.query import QueryPlan, QueryPlanner
from rag.retrieval.remit import RemitIntent
from rag.retrieval.tokenize import pinyin_tokens, prepare, tokenize
from rag.settings import RetrievalSettings

EVIDENCE_DEPTH = 20  # ranks of each list the evidence keeps
BACKGROUND = 256  # measures whose dense scores show what "unrelated" looks like for a question


def _scale(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


@dataclass
class Evidence:
    """How a question's rankings look, for deciding whether the notices answer it at all."""

    dense: np.ndarray  # best dense scores, descending (EVIDENCE_DEPTH of them)
    dense_rows: np.ndarray  # their measures' rows
    bm25: np.ndarray  # best BM25 scores, descending
    bm25_rows: np.ndarray
    pinyin_best: float  # best BM25 score over pinyin pairs
    background: np.ndarray  # dense scores of a fixed sample of measures: the question's baseline similarity


@dataclass
class Scores:
    fused: np.ndarray  # what ranks
    dense: np.ndarray  # the dense part of it: whole measure mixed with its best clause
    whole: np.ndarray  # cosine of the question and the whole measure
    bm25: np.ndarray
    pinyin: np.ndarray
    terms: list[str]  # the BM25 query
    q: np.ndarray  # the question's vector


@dataclass
class SearchResult:
    plan: QueryPlan
    hits: list[Hit]
    evidence: Evidence


class HybridRetriever:
    def __init__(self, corpus: Corpus, embedder: Embedder, index: LoadedIndex, cfg: RetrievalSettings,
                 max_dense_chars: int = 512, lexicon: Lexicon | None = None, remit: RemitIntent | None = None):
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
        cache = Path(index.path).parent / "cache" if getattr(index, "path", None) else None
        self.lexicon = lexicon or Lexicon.cached(self.bm25.idf, cache)
        self.clauses = ClauseView.cached(self.measures, embedder, cache) if cfg.clause_weight > 0 else None
        self.planner = QueryPlanner(corpus, self.lexicon)
        self.remit = remit if remit is not None else RemitIntent.load(embedder)
        # e5's cosines crowd into 0.75–0.9 whatever the question; how far the best stands out from a fixed
        # sample of the corpus says more than the score itself, and the sample costs the same at any size
        n = len(self.measures)
        rows = np.random.default_rng(0).choice(n, size=min(BACKGROUND, n), replace=False) if n else np.zeros(0, int)
        self._background = np.ascontiguousarray(index.vectors[np.sort(rows)]) if n else np.zeros((0, embedder.dim))

    def plan(self, query: str, doc: str | None = None) -> QueryPlan:
        plan = self.planner.plan(query, doc)
        plan.unit_intent = self.remit.asks_remit(plan)
        return plan

    def scores(self, plan: QueryPlan) -> Scores:
        """Every measure's scores for the question, in index order."""
        q = self.embedder.embed_query(plan.text[: self.max_dense_chars])
        whole = self.index.vectors @ q
        dense = whole
        if self.clauses is not None:  # a measure's best clause speaks for it too (rag/indexing/clauses.py)
            c = self.cfg.clause_weight
            dense = (1 - c) * whole + c * self.clauses.best(q, len(whole))
        terms = tokenize(plan.text + " " + plan.expansion)
        bm25 = self.bm25.scores(terms)
        pinyin = self.pinyin.scores(pinyin_tokens(plan.text))
        if plan.latin:
            w, wp = self.cfg.dense_weight_latin, 0.0
        else:
            w, wp = self.cfg.dense_weight, self.cfg.pinyin_weight
        fused = w * _scale(dense) + (1 - w - wp) * _scale(bm25) + wp * _scale(pinyin)
        if plan.unit_names and not plan.unit_intent:
            fused = fused + self.cfg.unit_boost * self._has_unit(plan.unit_names)
        return Scores(fused, dense, whole, bm25, pinyin, terms, q)

    def _has_unit(self, names) -> np.ndarray:
        """1.0 for each measure that names one of `names` as responsible, else 0.0."""
        mask = np.zeros(len(self.measures))
        for name in names:
            mask[self._by_unit.get(name, [])] = 1.0
        return mask

    def retrieve(self, query: str, top_k: int = 5, doc: str | None = None, plan: QueryPlan | None = None) -> list[Hit]:
        """Best measures first. A caller that has already planned the query passes the plan."""
        return self.search(plan or self.plan(query, doc), top_k, doc).hits

    def search(self, plan: QueryPlan, top_k: int = 5, doc: str | None = None) -> SearchResult:
        sc = self.scores(plan)
        fused, dense, bm25 = sc.fused, sc.whole, sc.bm25
        if doc is not None:
            inside = self._docs == doc
            fused = np.where(inside, fused, -np.inf)
            dense, bm25 = np.where(inside, dense, -np.inf), np.where(inside, bm25, -np.inf)
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
        return SearchResult(plan, hits[:top_k], self._evidence(dense, bm25, sc.pinyin, sc.q))

    def _evidence(self, dense, bm25, pinyin, q) -> Evidence:
        """`dense` here is the whole-measure cosine: the scope judgement was fitted on it, and clause scores
        blur how far the best measure stands out."""
        k = min(EVIDENCE_DEPTH, len(dense))
        d_rows = np.argsort(-dense, kind="stable")[:k]
        b_rows = np.argsort(-bm25, kind="stable")[:k]
        return Evidence(dense[d_rows].astype(np.float64), d_rows, bm25[b_rows].astype(np.float64), b_rows,
                        float(np.max(pinyin)) if len(pinyin) else 0.0, (self._background @ q).astype(np.float64))
