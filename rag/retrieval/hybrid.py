"""Hybrid retrieval over measures, through the stores: no step reads every vector or every BM25 score.

Order of evidence: a measure id written in the question wins outright; a question about a unit's whole
remit returns all of that unit's measures; otherwise three candidate lists are fused:
- dense: the `candidates` nearest measures from the vector store (FAISS or Milvus, `doc` filtered there);
- keyword: the best BM25 matches of the jieba words, and of the pinyin syllable pairs (homophone typos),
  from bm25s's inverted index (rag/retrieval/keyword.py).
Over the union, each measure's whole-text cosine is computed exactly from its stored vector (a few hundred
rows gathered, not a scan) and mixed with its best clause's; each list's scores are scaled over that list
(dense: min to max; BM25: against its best, since 0 means no match), and mixed by weight. Weighted mixing
rather than reciprocal-rank fusion: RRF gives BM25's ranking of an English question (where every score is ~0)
as much say as the dense ranking. At the 172 measures of one notice the lists hold every measure, and the
ranking is the one an exhaustive scoring gives.

Besides the hits, a search returns its evidence (how the dense and keyword rankings look), which the scope
judgement reads: the answer layer never re-runs a search to decide whether to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from rag.corpus.collection import Corpus
from rag.embeddings.base import Embedder
from rag.indexing.chunks import chunk_text
from rag.indexing.clauses import ClauseView
from rag.indexing.store import LoadedIndex
from rag.language.dictionary import Lexicon
from rag.retrieval.hit import Hit
from rag.retrieval.keyword import KeywordIndex, tokenized
from rag.retrieval.query import QueryPlan, QueryPlanner
from rag.retrieval.question_bank import QuestionBank
from rag.retrieval.remit import RemitIntent
from rag.retrieval.tokenize import Segmenter, pinyin_tokens
from rag.settings import RetrievalSettings

EVIDENCE_DEPTH = 20  # ranks of each list the evidence keeps
BACKGROUND = 256  # measures whose dense scores show what "unrelated" looks like for a question


@dataclass
class Evidence:
    """How a question's rankings look, for deciding whether the notices answer it at all."""

    dense: np.ndarray  # best dense scores, descending (EVIDENCE_DEPTH of them)
    dense_rows: np.ndarray  # their measures' rows
    bm25: np.ndarray  # best BM25 scores, descending; 0 below the last match (rows -1 there)
    bm25_rows: np.ndarray
    pinyin_best: float  # best BM25 score over pinyin pairs
    background: np.ndarray  # dense scores of a fixed sample of measures: the question's baseline similarity
    query: np.ndarray  # the question's vector, for comparing it with labelled questions


@dataclass
class Candidates:
    """The union of a question's candidate lists, with each member's scores (aligned with `rows`)."""

    rows: np.ndarray  # measure rows, ascending (ties rank in index order)
    fused: np.ndarray  # what ranks
    whole: np.ndarray  # cosine of the question and the whole measure, exact
    bm25: np.ndarray  # raw BM25; 0 for members the keyword list does not hold
    evidence: Evidence


@dataclass
class SearchResult:
    plan: QueryPlan
    hits: list[Hit]
    evidence: Evidence


def _along(rows: np.ndarray, members: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`values` (given for `members`) placed along `rows` (sorted, a superset); 0 elsewhere."""
    out = np.zeros(len(rows), dtype=np.float64)
    if len(members):
        out[np.searchsorted(rows, members)] = values
    return out


class HybridRetriever:
    def __init__(
        self,
        corpus: Corpus,
        embedder: Embedder,
        index: LoadedIndex,
        cfg: RetrievalSettings,
        max_dense_chars: int = 512,
        lexicon: Lexicon | None = None,
        remit: RemitIntent | None = None,
        today: Callable[[], date] = date.today,
        bank: QuestionBank | None = None,
    ):
        self.corpus, self.embedder, self.index, self.cfg = corpus, embedder, index, cfg
        self.today = today  # validity is judged on this day's date (Settings.current_date)
        self.bank = bank  # labelled questions and the measures that answer them (rag/retrieval/question_bank.py)
        self.max_dense_chars = max_dense_chars  # e5 reads 512 tokens; a longer text only costs time
        self.measures = [corpus.by_key[k] for k in index.keys]
        self._pos = {m.key: i for i, m in enumerate(self.measures)}
        self._by_unit: dict[str, list[int]] = {}  # unit name → its measures' rows, for boosts without a scan
        for i, m in enumerate(self.measures):
            for u in m.units:
                self._by_unit.setdefault(u, []).append(i)
        # jieba with this corpus's unit names kept whole, in a dictionary of this index's own
        self.segmenter = Segmenter.for_units(corpus.units)
        docs, texts = [m.doc for m in self.measures], [chunk_text(m) for m in self.measures]
        self._doc_names = sorted(set(docs))
        self._doc_of_row = np.searchsorted(self._doc_names, docs) if docs else np.zeros(0, dtype=np.int64)
        self._force: tuple[date, np.ndarray] | None = None  # (day, per document: in force?)
        self.bm25 = KeywordIndex(tokenized(texts, self.segmenter.tokenize, cfg.index_workers), docs)
        self.pinyin = KeywordIndex(tokenized(texts, pinyin_tokens, cfg.index_workers), docs)
        del texts
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

    def candidates(self, plan: QueryPlan, doc: str | None = None) -> Candidates:
        cfg, k = self.cfg, self.cfg.candidates
        q = self.embedder.embed_query(plan.text[: self.max_dense_chars])
        found = [(self._pos[key], score) for key, score in self.index.store.search(q, k, doc) if key in self._pos]
        d_rows = np.array([r for r, _ in found], dtype=np.int64)
        d_scores = np.array([s for _, s in found], dtype=np.float64)
        b_rows, b_scores = self.bm25.search(self.segmenter.tokenize(plan.text + " " + plan.expansion), k, doc)
        p_rows, p_scores = self.pinyin.search(pinyin_tokens(plan.text), k, doc)
        routed = [self._pos[m.key] for m in plan.referenced if m.key in self._pos]
        if plan.unit_intent:  # the units' whole remit is the answer: all of it ranks (bounded like a list)
            remit = [i for name in plan.unit_names for i in self._by_unit.get(name, [])]
            routed += [i for i in remit if doc is None or self.measures[i].doc == doc][:k]
        if doc is not None:
            routed = [i for i in routed if self.measures[i].doc == doc]
        votes, vote_weight = self._votes(self._feedback(q, d_rows) if plan.latin else q, doc)
        voted = np.asarray(list(votes), dtype=np.int64)
        rows = np.unique(np.concatenate([d_rows, b_rows, p_rows, np.asarray(routed, dtype=np.int64), voted]))

        whole = self.index.vectors[rows] @ q if len(rows) else np.zeros(0)
        dense = whole
        if self.clauses is not None and len(
            rows
        ):  # a measure's best clause speaks for it too (rag/indexing/clauses.py)
            c = cfg.clause_weight
            dense = (1 - c) * whole + c * self.clauses.best(q, rows)
        listed = dense[np.searchsorted(rows, d_rows)] if len(d_rows) else dense
        lo, hi = (float(listed.min()), float(listed.max())) if len(listed) else (0.0, 0.0)
        dense_s = np.maximum((dense - lo) / (hi - lo), 0.0) if hi > lo else np.zeros(len(rows))
        bm25 = _along(rows, b_rows, b_scores)
        bm25_s = bm25 / b_scores[0] if len(b_scores) else bm25
        pinyin_s = _along(rows, p_rows, p_scores / p_scores[0]) if len(p_scores) else np.zeros(len(rows))
        # llama-index's QueryFusionRetriever (relative_score mode) does this min-max-and-weigh, but it scores
        # a candidate one list did not return as 0 there, where this fusion computes every candidate's exact
        # cosine (and its best clause's); it also has no place for the unit boost, the bank's votes or the
        # preference for notices in force. It would change the ranking, so the fusion stays here.
        w, wp = (cfg.dense_weight_latin, 0.0) if plan.latin else (cfg.dense_weight, cfg.pinyin_weight)
        fused = w * dense_s + (1 - w - wp) * bm25_s + wp * pinyin_s
        if plan.unit_names and not plan.unit_intent:
            fused = fused + cfg.unit_boost * self._has_unit(plan.unit_names, rows)
        if votes:  # what answered the most similar labelled questions
            fused = fused + vote_weight * _along(rows, voted, np.asarray(list(votes.values())))
        if cfg.out_of_force_factor < 1.0 and len(rows):  # prefer the notices in force
            fused = np.where(self._in_force()[self._doc_of_row[rows]], fused, fused * cfg.out_of_force_factor)
        return Candidates(
            rows,
            fused,
            np.asarray(whole, dtype=np.float64),
            bm25,
            self._evidence(d_rows, d_scores, b_rows, b_scores, p_scores, q, doc),
        )

    def _feedback(self, q: np.ndarray, d_rows: np.ndarray) -> np.ndarray:
        """The question vector pulled towards its best measures' (`d_rows`, best first): where the labelled
        questions are looked up for a question in another script than the notices' (RetrievalSettings)."""
        a, k = self.cfg.bank_feedback_latin, self.cfg.bank_feedback_depth
        if a <= 0 or not len(d_rows):
            return q
        moved = q + a * self.index.vectors[d_rows[:k]].mean(axis=0)
        return (moved / np.linalg.norm(moved)).astype(np.float32)

    def _votes(self, q: np.ndarray, doc: str | None) -> tuple[dict[int, float], float]:
        """Row → share of the labelled questions' vote (rag/retrieval/question_bank.py), and the weight the
        vote carries: `bank_weight`, more where the voting questions come near this one, less where they are
        far (RetrievalSettings.bank_closeness_gain)."""
        cfg = self.cfg
        if self.bank is None or cfg.bank_weight <= 0:
            return {}, 0.0
        vote = self.bank.votes(q, cfg.bank_neighbours, cfg.bank_temperature)
        out: dict[int, float] = {}
        for key, share in vote.shares.items():
            i = self._pos.get(key)
            if i is not None and (doc is None or self.measures[i].doc == doc):
                out[i] = out.get(i, 0.0) + share
        weight = cfg.bank_weight + cfg.bank_closeness_gain * (vote.closeness - cfg.bank_closeness_pivot)
        return dict(sorted(out.items())), max(0.0, weight)  # rows ascending, as _along expects

    def _in_force(self) -> np.ndarray:
        """Per document (in `_doc_names` order), whether it is in force today; worked out once a day."""
        today = self.today()
        if self._force is None or self._force[0] != today:
            stale = self.corpus.out_of_force(today)
            self._force = (today, np.array([d not in stale for d in self._doc_names], dtype=bool))
        return self._force[1]

    def _has_unit(self, names, rows: np.ndarray) -> np.ndarray:
        """1.0 for each of `rows` whose measure names one of `names` as responsible, else 0.0."""
        named = np.unique(np.asarray([i for n in names for i in self._by_unit.get(n, [])], dtype=np.int64))
        return np.isin(rows, named).astype(np.float64)

    def retrieve(self, query: str, top_k: int = 5, doc: str | None = None, plan: QueryPlan | None = None) -> list[Hit]:
        """Best measures first. A caller that has already planned the query passes the plan."""
        return self.search(plan or self.plan(query, doc), top_k, doc).hits

    def search(self, plan: QueryPlan, top_k: int = 5, doc: str | None = None) -> SearchResult:
        c = self.candidates(plan, doc)
        order = np.argsort(-c.fused, kind="stable")
        at = {int(r): j for j, r in enumerate(c.rows)}

        def hit(i: int, score: float, via: str) -> Hit:
            j = at[i]
            return Hit(self.measures[i], score, float(c.whole[j]), float(c.bm25[j]), [via])

        hits: list[Hit] = []
        taken: set[int] = set()
        for m in plan.referenced:  # ids written in the question, in the order written
            i = self._pos.get(m.key)
            if i is not None and i in at and i not in taken:
                hits.append(hit(i, 2.0 + float(c.fused[at[i]]), "id"))
                taken.add(i)
        ranked = c.rows[order].tolist()
        if plan.unit_intent:  # everything the named units do, most relevant first
            named = {i for n in plan.unit_names for i in self._by_unit.get(n, [])}
            for i in ranked:
                if i not in taken and i in named:
                    hits.append(hit(i, 1.0 + float(c.fused[at[i]]), "unit"))
                    taken.add(i)
        for i in ranked:
            if len(hits) >= top_k:
                break
            if i not in taken:
                hits.append(hit(i, float(c.fused[at[i]]), "hybrid"))
                taken.add(i)
        return SearchResult(plan, hits[:top_k], c.evidence)

    def _evidence(self, d_rows, d_scores, b_rows, b_scores, p_scores, q, doc) -> Evidence:
        """The dense list's scores are whole-measure cosines: the scope judgement was fitted on them, and
        clause scores blur how far the best measure stands out. The keyword list is padded with zeros to the
        depth an exhaustive ranking would show (its non-matching measures), as the scope model was fitted."""
        size = len(self.measures) if doc is None else self._doc_size(doc)
        depth = min(EVIDENCE_DEPTH, size)
        pad = max(0, depth - len(b_scores[:depth]))
        bm25 = np.concatenate([b_scores[:depth].astype(np.float64), np.zeros(pad)])
        bm25_rows = np.concatenate([b_rows[:depth], np.full(pad, -1, dtype=np.int64)])
        return Evidence(
            d_scores[:depth],
            d_rows[:depth],
            bm25,
            bm25_rows,
            float(p_scores[0]) if len(p_scores) else 0.0,
            (self._background @ q).astype(np.float64),
            q,
        )

    def _doc_size(self, doc: str) -> int:
        d = self.corpus.document(doc)
        return len(d.measures) if d is not None else 0
