"""What a search hands to the decisions after it: the ranked hits and how the rankings behind them look.

The scope judgement (rag/answer/scope.py) reads this record and nothing else of retrieval: it never re-runs
a search and never reaches into the retriever. Its learned models were fitted (`rag calibrate`) on these
numbers exactly as they are made here, so each field below is a contract with the fitted model files
(rag/data/scope_model*.json): changing how one is computed (another BM25 scaling, another depth, another
background sample, clause-mixed instead of whole-measure cosines) changes what the models read without any
error, and needs a refit. tests/retrieval/test_evidence.py pins them.

`IndexFacts` is the other thing the scope judgement needs from retrieval: what the index knows of the
notices' wording, handed over once by the composition root (rag/services.py) rather than read out of the
retriever's keyword indexes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rag.language.dictionary import Lexicon
from rag.retrieval.hit import Hit
from rag.retrieval.query import QueryPlan
from rag.retrieval.tokenize import Segmenter

# ranks of the dense and keyword lists the record keeps (fewer where the searched notices have fewer measures)
EVIDENCE_DEPTH = 20
# e5's cosines crowd into 0.75–0.9 whatever the question; how far the best stands out from a fixed sample of
# the corpus says more than the score itself, and the sample costs the same at any size
BACKGROUND = 256
BACKGROUND_SEED = 0


def background_rows(n: int) -> np.ndarray:
    """The index rows (ascending) of the fixed sample whose dense scores are a question's baseline: the same
    rows for every question and every start of an index of `n` measures."""
    if not n:
        return np.zeros(0, dtype=np.int64)
    rows = np.random.default_rng(BACKGROUND_SEED).choice(n, size=min(BACKGROUND, n), replace=False)
    return np.sort(rows)


@dataclass(frozen=True)
class BankCloseness:
    """How near a question comes to the labelled questions (rag/retrieval/question_bank.py): the mean cosine
    of its nearest answerable ones and of its nearest out-of-scope ones (the bank's `neighbours` of each)."""

    answerable: float
    out_of_scope: float

    def features(self) -> list[float]:
        """In the order of the scope model's bank features (bank_in, bank_out)."""
        return [self.answerable, self.out_of_scope]


@dataclass(frozen=True)
class Evidence:
    """One search: its plan, its ranked hits, and the raw scores of the lists they were fused from."""

    plan: QueryPlan
    hits: list[Hit]  # best first, as fused (rag/retrieval/fusion.py)
    # whole-measure cosines of the dense list, descending (not mixed with the best clause's: the scope model
    # was fitted on these, and clause scores blur how far the best measure stands out), and their rows
    dense: np.ndarray
    dense_rows: np.ndarray
    # raw BM25 over jieba words (Lucene's, times k1 + 1: rag/retrieval/keyword.py), descending, padded with 0
    # (rows -1) to the depth an exhaustive ranking would show, as the scope model was fitted
    bm25: np.ndarray
    bm25_rows: np.ndarray
    pinyin_best: float  # best raw BM25 over pinyin syllable pairs; 0 without a match
    background: np.ndarray  # dense scores of the background sample (`background_rows`)
    query: np.ndarray  # the question's vector (float32, L2-normalised), as the encoder gave it
    bank: BankCloseness | None  # None where the retriever has no bank of labelled questions for these notices
    # how near the question comes to the bank's out-of-scope questions (mean cosine of the nearest), whatever
    # notice is searched: everyday matters are out of scope for any notice. None without a bank
    out_of_scope_closeness: float | None = None


@dataclass(frozen=True)
class IndexFacts:
    """What the index knows of the loaded notices' wording, for decisions outside retrieval."""

    pinyin: frozenset[str]  # the pinyin syllable pairs the measures use (homophones of their words)
    lexicon: Lexicon  # the dictionary filtered to the notices' words (rag/language/dictionary.py)
    dim: int  # the length of the question vectors (`Evidence.query`)
    embedding_model: str  # the name of the model that made them: learned models fitted on another are not used
    segmenter: Segmenter  # the index's jieba dictionary (with the notices' unit names), to split questions alike
