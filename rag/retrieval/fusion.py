"""Fusion: one score per candidate measure from everything the candidate lists say about it.

What goes in (`Signals`, aligned with the candidates' rows) and how much each counts (`Weights`, every number
from RetrievalSettings) are read here apart from how they were gathered (rag/retrieval/hybrid.py):
- dense: the exact cosine of the question and the whole measure, mixed with its best clause's
  (`clause_weight`), scaled min to max over the dense list's own members;
- keyword: BM25 over jieba words, scaled against its best (0 means no match), and BM25 over pinyin syllable
  pairs (homophone typos) likewise; the dense weight goes to the dense score, `pinyin_weight` to pinyin and
  the rest to words (Latin-script questions: `dense_weight_latin`, no pinyin);
- a named unit: `unit_boost` added where the question names one of the measure's units;
- the question bank's vote: each measure's share of the vote of the most similar labelled questions,
  weighted by `bank_weight` + `bank_closeness_gain` × (their mean cosine − `bank_closeness_pivot`), not below 0;
- in force: the fused score of a measure from an expired or superseded notice multiplied by
  `out_of_force_factor`.

Weighted mixing rather than reciprocal-rank fusion: RRF gives BM25's ranking of an English question (where
every score is ~0) as much say as the dense ranking. llama-index's QueryFusionRetriever (relative_score mode)
does the min-max-and-weigh, but it scores a candidate one list did not return as 0 there, where this
fusion has every candidate's exact cosine (and its best clause's); it also has no place for the unit boost,
the bank's vote or the preference for notices in force. It would change the ranking, so the fusion stays here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rag.settings import RetrievalSettings


@dataclass(frozen=True)
class Ranked:
    """One candidate list: measure rows and their scores, in the list's order."""

    rows: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Weights:
    """How much each signal counts, for one question (Latin-script questions weigh differently)."""

    dense: float
    keyword: float
    pinyin: float
    clause: float  # share of the dense score taken from the measure's best clause
    unit_boost: float
    bank: float
    bank_closeness_gain: float
    bank_closeness_pivot: float
    out_of_force: float

    @classmethod
    def of(cls, cfg: RetrievalSettings, latin: bool) -> Weights:
        dense, pinyin = (cfg.dense_weight_latin, 0.0) if latin else (cfg.dense_weight, cfg.pinyin_weight)
        return cls(
            dense=dense,
            keyword=1 - dense - pinyin,
            pinyin=pinyin,
            clause=cfg.clause_weight,
            unit_boost=cfg.unit_boost,
            bank=cfg.bank_weight,
            bank_closeness_gain=cfg.bank_closeness_gain,
            bank_closeness_pivot=cfg.bank_closeness_pivot,
            out_of_force=cfg.out_of_force_factor,
        )

    def vote(self, closeness: float) -> float:
        """What the bank's vote carries: more where the voting questions came near this one, less where far."""
        return max(0.0, self.bank + self.bank_closeness_gain * (closeness - self.bank_closeness_pivot))


@dataclass(frozen=True)
class Signals:
    """What each candidate has going for it. `rows` are the candidates' measure rows, ascending (ties rank
    in index order); the arrays named "aligned" hold one value per row."""

    rows: np.ndarray
    whole: np.ndarray  # aligned: cosine of the question and the whole measure
    clause: np.ndarray | None  # aligned: cosine of its best clause; None where clauses are not indexed
    dense_list: Ranked  # the dense list itself: its members' score range scales the dense score
    keyword: Ranked  # BM25 over words, best first
    pinyin: Ranked  # BM25 over pinyin pairs, best first
    named_unit: np.ndarray | None  # aligned: 1.0 where the question names one of its units; None: not boosted
    votes: Ranked  # rows ascending, each measure's share of the bank's vote; empty without a vote
    closeness: float  # mean cosine of the voting questions
    in_force: np.ndarray  # aligned: whether its notice is in force today


def along(rows: np.ndarray, members: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`values` (given for `members`) placed along `rows` (sorted, a superset); 0 elsewhere."""
    out = np.zeros(len(rows), dtype=np.float64)
    if len(members):
        out[np.searchsorted(rows, members)] = values
    return out


def dense_scores(s: Signals, w: Weights) -> np.ndarray:
    """The dense signal before scaling: the whole measure's cosine, mixed with its best clause's."""
    if s.clause is None:
        return s.whole
    return (1 - w.clause) * s.whole + w.clause * s.clause


def fuse(s: Signals, w: Weights) -> np.ndarray:
    """One score per row of `s.rows`; higher ranks first."""
    rows = s.rows
    dense = dense_scores(s, w)
    d_rows, b, p = s.dense_list.rows, s.keyword.scores, s.pinyin.scores
    listed = dense[np.searchsorted(rows, d_rows)] if len(d_rows) else dense
    lo, hi = (float(listed.min()), float(listed.max())) if len(listed) else (0.0, 0.0)
    dense_s = np.maximum((dense - lo) / (hi - lo), 0.0) if hi > lo else np.zeros(len(rows))
    bm25 = along(rows, s.keyword.rows, b)
    bm25_s = bm25 / b[0] if len(b) else bm25
    pinyin_s = along(rows, s.pinyin.rows, p / p[0]) if len(p) else np.zeros(len(rows))
    fused = w.dense * dense_s + w.keyword * bm25_s + w.pinyin * pinyin_s
    if s.named_unit is not None:
        fused = fused + w.unit_boost * s.named_unit
    if len(s.votes):  # what answered the most similar labelled questions
        fused = fused + w.vote(s.closeness) * along(rows, s.votes.rows, s.votes.scores)
    if w.out_of_force < 1.0 and len(rows):  # prefer the notices in force
        fused = np.where(s.in_force, fused, fused * w.out_of_force)
    return fused
