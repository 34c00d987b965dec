"""Keyword search: BM25 over an inverted index (bm25s, a sparse matrix of per-term scores), with the
project's own tokens (jieba words, or pinyin syllable pairs) passed in already split.

bm25s's "lucene" variant is the Okapi BM25 this project used before (Lucene's IDF, k1 1.2, b 0.75) without
its constant factor (k1 + 1); scores are multiplied back by it, so the scope model, fitted on the old
absolute scores, reads the same numbers.

An index is built with the index build and stored in its directory (rag/retrieval/keyword_store.py): `save` writes
bm25s's arrays and this index's document frequencies, `load` maps the arrays read-only, so every search
process over one build shares the same pages instead of tokenizing every measure at start-up.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from rag.retrieval.tokenize import pinyin_tokens

if TYPE_CHECKING:
    from rag.retrieval.tokenize import Segmenter

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG on import


# the stored indexes' format: raise it whenever what a stored index holds or how its tokens are made changes
KEYWORD_FORMAT = 1
KEYWORD_DIRS = {"words": "keywords-words", "pinyin": "keywords-pinyin"}  # inside a build directory
_META = "keyword.json"
_DF = "df.npy"

PARALLEL_FROM = 20_000  # texts; below this a process pool costs more than it saves


_fork_lock = threading.Lock()
_forked_fn: Callable[[str], list[str]] | None = None  # what the forked pool's children apply (inherited)


def _apply_forked(text: str) -> list[str]:
    assert _forked_fn is not None
    return _forked_fn(text)


def tokenized(texts: list[str], fn: Callable[[str], list[str]], workers: int = 1) -> Iterator[list[str]]:
    """`fn` over the texts, in order; in `workers` forked processes for a large corpus (jieba and pypinyin
    together take about 2.4 ms a measure on one core; with 2 processes the retriever over a million measures
    was ready in 28 min, bench/scale_e2e.py). Forked, so the children inherit `fn` with its index's jieba
    dictionary rather than receive it pickled (a Segmenter holds a lock and a dictionary of some 600,000 entries)."""
    if workers <= 1 or len(texts) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return map(fn, texts)

    def run() -> Iterator[list[str]]:
        global _forked_fn
        with _fork_lock:  # the children are forked here, each with `fn` in hand
            _forked_fn = fn
            try:
                pool = multiprocessing.get_context("fork").Pool(workers)
            finally:
                _forked_fn = None
        with pool:
            yield from pool.imap(_apply_forked, texts, chunksize=500)

    return run()


class KeywordIndex:
    def __init__(self, docs: Iterable[list[str]], groups: list[str] | None = None, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        # tokens become ids as they arrive, so a large corpus never holds every token string at once (the
        # ints are the vocabulary's own objects: a document costs a pointer a token)
        vocab: dict[str, int] = {}
        ids: list[list[int]] = []
        df: list[int] = []
        for doc in docs:
            row = [vocab.setdefault(t, len(vocab)) for t in doc]
            if len(vocab) > len(df):
                df.extend([0] * (len(vocab) - len(df)))
            for i in set(row):
                df[i] += 1
            ids.append(row)
        self.n = len(ids)
        self._df = df  # by token id; kept for `save`
        # the general-weight dictionary (rag/language/dictionary.py) and the scope judge read these
        self.idf = _idf(vocab, df, self.n)
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        # an empty document keeps its row (bm25s scores it through its "" token)
        self._bm25.index((ids, vocab) if ids else ([[]], vocab), show_progress=False)
        self._setup(groups)

    def _setup(self, groups: list[str] | None) -> None:
        self._vocab = self._bm25.vocab_dict
        # each document's group as a number: a search in one group keeps the scoring rows of that number (a
        # float mask of all n documents a group, as bm25s's weight_mask takes, costs 4 MB a notice at 1M)
        names = sorted(set(groups)) if groups is not None else []
        self._group_code = {name: i for i, name in enumerate(names)}
        self._groups = np.searchsorted(names, groups) if groups is not None and names else None
        # each group's rows as one span [lo, hi) where every group's rows lie together (a build's rows are in
        # notice order): a search in one notice then reads only the span's part of each term's postings
        self._span: dict[int, tuple[int, int]] = {}
        if self._groups is not None and len(self._groups):
            starts = np.flatnonzero(np.r_[True, self._groups[1:] != self._groups[:-1]])
            codes = self._groups[starts]
            if len(np.unique(codes)) == len(codes):
                ends = np.r_[starts[1:], len(self._groups)]
                self._span = {int(c): (int(a), int(b)) for c, a, b in zip(codes, starts, ends, strict=True)}

    def save(self, path: Path) -> list[str]:
        """Write the index into the directory `path`; the names of the files written, relative to it."""
        path.mkdir(parents=True, exist_ok=True)
        self._bm25.save(path, show_progress=False)
        np.save(path / _DF, np.asarray(self._df, dtype=np.int64))
        (path / _META).write_text(json.dumps({"n": self.n, "k1": self.k1, "b": self.b}), encoding="utf-8")
        return sorted(p.name for p in path.iterdir() if p.is_file())

    @classmethod
    def load(cls, path: Path, groups: list[str] | None = None) -> KeywordIndex:
        """An index `save` wrote, its score arrays memory-mapped (read-only, shared between processes)."""
        meta = json.loads((path / _META).read_text(encoding="utf-8"))
        self = object.__new__(cls)
        self.k1, self.b, self.n = float(meta["k1"]), float(meta["b"]), int(meta["n"])
        self._bm25 = bm25s.BM25.load(path, mmap=True, show_progress=False)
        df = np.load(path / _DF).tolist()
        self._df = df
        # bm25s's vocabulary holds the index's tokens in id order, then its own "" (id len(df)) when none was
        vocab = {t: i for t, i in self._bm25.vocab_dict.items() if i < len(df)}
        self.idf = _idf(vocab, df, self.n)
        if groups is not None and len(groups) != self.n:
            raise ValueError(f"{path} indexes {self.n} documents, not {len(groups)}")
        self._setup(groups)
        return self

    def search(self, terms: list[str], k: int, group: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the k best documents with a score above 0, best first; `group` limits them
        to one document's measures."""
        query = [t for t in dict.fromkeys(terms) if t and t in self._vocab]  # each term once, as before
        if not query or self.n == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        # bm25s's own scores (its retrieve computes the same), but the k best are picked among the documents
        # that score (in `group`): bm25s's top-k partitions all n scores, and numpy's partition of an array
        # that is mostly zeros (every document a question's words miss, or masked out of `group`) takes ten
        # times as long (17 ms against 1.6 at 100,000 measures). Ties rank in row order, also at the k-th place.
        ids = self._bm25.get_tokens_ids(query)
        code = self._group_code.get(group) if group is not None else None
        if group is not None and self._groups is not None and code in self._span:
            rows, scores = self._span_scores(ids, *self._span[code])
        else:
            scores = self._bm25.get_scores_from_ids(ids)
            rows = np.flatnonzero(scores > 0)
            if group is not None and self._groups is not None:
                rows = rows[self._groups[rows] == code] if code is not None else rows[:0]
            scores = scores[rows]
        if len(rows) > k:
            cut = len(rows) - k
            kth = np.partition(scores, cut)[cut]  # the k-th best score
            above = np.flatnonzero(scores > kth)
            pick = np.concatenate([above, np.flatnonzero(scores == kth)[: k - len(above)]])
            rows, scores = rows[pick], scores[pick]
        order = np.lexsort((rows, -scores))
        return rows[order].astype(np.int64), scores[order].astype(np.float32) * (self.k1 + 1)

    def _span_scores(self, ids: list[int], lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """bm25s's scores (get_scores_from_ids: each term's postings added in the query's order, so the same
        float32 sums) of the rows in [lo, hi) that score. A term's postings are sorted by row (bm25s's CSC
        index), so the span's part is found by bisection: a search in one notice of a million measures
        reads its thousand rows' postings, not every row's (at 1M, the whole-index path took 6.5 ms a search
        under cProfile, a one-off run; bench/scale_e2e.py's 1M p50 went from 31.2 to 21.4 ms with this and the
        memory changes together)."""
        data, indices, indptr = (self._bm25.scores[k] for k in ("data", "indices", "indptr"))
        local = np.zeros(hi - lo, dtype=np.dtype(self._bm25.dtype))
        for t in ids:
            start, end = int(indptr[t]), int(indptr[t + 1])
            postings = indices[start:end]
            a, b = np.searchsorted(postings, [lo, hi])
            np.add.at(local, postings[a:b] - lo, data[start + a : start + b])
        rows = np.flatnonzero(local > 0)
        return rows + lo, local[rows]


def _idf(vocab: dict[str, int], df: list[int], n: int) -> dict[str, float]:
    return {t: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for t, i in vocab.items()}


def keyword_spec(segmenter: Segmenter) -> dict:
    """What a stored pair of keyword indexes was made with; one made otherwise is not loaded. The corpus
    itself (measures, their texts and order) is pinned by the build's manifest."""
    return {
        "format": KEYWORD_FORMAT,
        "bm25s": version("bm25s"),
        "jieba": version("jieba"),
        "pypinyin": version("pypinyin"),
        "dictionary": segmenter.fingerprint,
    }


def unusable(manifest: dict, spec: dict) -> str:
    """Why a build (its manifest) holds no keyword indexes made as `spec` says; empty when it does."""
    stored = manifest.get("keywords")
    if not isinstance(stored, dict):
        return "not stored with this index (built by an older version)"
    if stored.get("spec") != spec:
        return "made with another tokenizer or format"
    return ""


def build_keyword_indexes(
    texts: list[str], segmenter: Segmenter, groups: list[str] | None, workers: int = 1
) -> dict[str, KeywordIndex]:
    """The two keyword indexes of the measures' texts: jieba words over the index's own dictionary, and
    pinyin syllable pairs (homophone typos); keyed as KEYWORD_DIRS."""
    return {
        "words": KeywordIndex(tokenized(texts, segmenter.tokenize, workers), groups),
        "pinyin": KeywordIndex(tokenized(texts, pinyin_tokens, workers), groups),
    }


def load_keyword_indexes(
    build: Path, manifest: dict, segmenter: Segmenter, groups: list[str] | None
) -> dict[str, KeywordIndex] | str:
    """The keyword indexes stored in a build (whose files load_index has checked against the manifest's
    checksums), or why they cannot be used."""
    reason = unusable(manifest, keyword_spec(segmenter))
    if reason:
        return reason
    try:
        return {name: KeywordIndex.load(build / sub, groups) for name, sub in KEYWORD_DIRS.items()}
    except (OSError, ValueError, KeyError) as exc:
        return f"unreadable ({type(exc).__name__}: {exc})"
