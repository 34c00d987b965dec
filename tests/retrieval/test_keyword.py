"""Keyword search over bm25s: the Okapi BM25 scores this project used before, from an inverted index."""
import math

import numpy as np

from rag.retrieval.keyword import KeywordIndex

DOCS = [["接水", "报装", "燃气"], ["税务", "发票"], [], ["接水", "接水", "排水"], ["发票", "申领", "税务", "窗口"]]


def okapi(docs, query, k1=1.2, b=0.75):
    n, avg = len(docs), sum(map(len, docs)) / len(docs)
    out = np.zeros(n)
    for term in set(query):
        df = sum(term in d for d in docs)
        if not df:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(term)
            out[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(d) / avg)) if tf else 0.0
    return out


def test_scores_are_okapi_bm25_best_first_and_only_matches():
    index = KeywordIndex(DOCS, groups=["a", "a", "a", "b", "b"])
    query = ["接水", "发票", "接水", "未知"]
    rows, scores = index.search(query, 10)
    want = okapi(DOCS, query)
    assert sorted(rows.tolist()) == [i for i in range(len(DOCS)) if want[i] > 0]
    assert np.allclose(scores, want[rows], rtol=1e-5) and list(scores) == sorted(scores, reverse=True)
    assert set(index.idf) == {t for d in DOCS for t in d}


def test_k_group_and_empty_queries():
    index = KeywordIndex(DOCS, groups=["a", "a", "a", "b", "b"])
    assert len(index.search(["接水", "发票"], 2)[0]) == 2
    rows, _ = index.search(["接水", "发票"], 10, group="b")
    assert set(rows.tolist()) == {3, 4}
    assert len(index.search(["未知"], 10)[0]) == 0 and len(index.search([], 10)[0]) == 0


def test_a_search_in_one_group_reads_its_span_and_scores_as_the_whole_index_does():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    docs = [list(rng.choice(words, size=rng.integers(0, 12))) for _ in range(300)]
    together = ["a"] * 100 + ["b"] * 120 + ["c"] * 80  # a build's rows: each notice's together
    scattered = [("a", "b", "c")[i % 3] for i in range(300)]  # no spans: the whole-index path filters
    spans, mask = KeywordIndex(docs, groups=together), KeywordIndex(docs, groups=scattered)
    assert spans._span and not mask._span
    for _ in range(30):
        query = list(rng.choice(words, size=4))
        for group in ("a", "b", "c", "nope"):
            rows, scores = spans.search(query, 7, group)
            whole, whole_scores = spans.search(query, 300)
            keep = [i for i, r in enumerate(whole) if together[r] == group][:7]
            assert rows.tolist() == whole[keep].tolist() and np.array_equal(scores, whole_scores[keep])
        rows, _ = mask.search(query, 300, "b")
        assert all(scattered[r] == "b" for r in rows)
