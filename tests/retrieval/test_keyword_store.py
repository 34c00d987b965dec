"""The keyword indexes stored with a build (rag/retrieval/keyword_store.py): loaded, mapped, they score every
question exactly as indexes freshly tokenized at start-up do; their files are checked like the vectors; a
build with unchanged measures takes them over; a build without them (an older version's) still serves."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest

from rag.indexing.chunks import chunk_text
from rag.indexing.store import IndexError_, build_index, load_index, load_or_build, rebuild
from rag.retrieval import HybridRetriever
from rag.retrieval.keyword import KEYWORD_DIRS, build_keyword_indexes, load_keyword_indexes
from rag.retrieval.keyword_store import KeywordBuilder, keywords_missing
from rag.retrieval.tokenize import Segmenter, pinyin_tokens
from rag.settings import RetrievalSettings, VectorStoreSettings
from tests.indexing.test_integrity import HashEmbedder

STORE = VectorStoreSettings()
CFG = RetrievalSettings(clause_weight=0.0)
QUESTIONS = ["我们厂要接自来水，找哪个单位？", "公司不想干了咋注消", "有没有帮半服务", "企业开办要多久", "区税务局负责哪些措施"]


@pytest.fixture
def built(corpus, tmp_path):
    index_dir = tmp_path / "index"
    return build_index(corpus, HashEmbedder(), index_dir, STORE, keywords=KeywordBuilder()), index_dir


def _fresh(corpus, measures):
    segmenter = Segmenter.for_units(corpus.units)
    texts = [chunk_text(m) for m in measures]
    return segmenter, build_keyword_indexes(texts, segmenter, [m.doc for m in measures])


def test_stored_indexes_score_as_freshly_built_ones(corpus, built):
    first, index_dir = built
    loaded = load_index(corpus, HashEmbedder(), index_dir, STORE)
    measures = [corpus.by_key[k] for k in loaded.keys]
    segmenter, fresh = _fresh(corpus, measures)
    stored = load_keyword_indexes(loaded.path, loaded.manifest, segmenter, [m.doc for m in measures])
    assert isinstance(stored, dict), stored
    assert isinstance(stored["words"]._bm25.scores["data"], np.memmap)  # mapped: processes share the pages
    doc = measures[0].doc
    for name, terms_of in (("words", segmenter.tokenize), ("pinyin", pinyin_tokens)):
        assert stored[name].idf == fresh[name].idf and stored[name].n == fresh[name].n == len(measures)
        for q in QUESTIONS:
            for group in (None, doc, "no-such-doc"):
                a_rows, a_scores = stored[name].search(terms_of(q), 200, group)
                b_rows, b_scores = fresh[name].search(terms_of(q), 200, group)
                assert np.array_equal(a_rows, b_rows) and np.array_equal(a_scores, b_scores), (name, q, group)
                assert group == "no-such-doc" or len(a_rows), (name, q)


def test_retriever_loads_them_and_ranks_as_before(corpus, built, caplog):
    _, index_dir = built
    loaded = load_index(corpus, HashEmbedder(), index_dir, STORE)
    with caplog.at_level(logging.WARNING, logger="rag.retrieval.hybrid"):
        stored = HybridRetriever(corpus, HashEmbedder(), loaded, CFG)
    assert not [r for r in caplog.records if "keyword indexes" in r.message]
    assert isinstance(stored.bm25._bm25.scores["data"], np.memmap)
    # the same build as an older version wrote it: no keyword indexes, so the retriever tokenizes, and says so
    old = dataclasses.replace(loaded, manifest={k: v for k, v in loaded.manifest.items() if k != "keywords"})
    with caplog.at_level(logging.WARNING, logger="rag.retrieval.hybrid"):
        fresh = HybridRetriever(corpus, HashEmbedder(), old, CFG)
    assert any("not stored with this index" in r.message for r in caplog.records)
    assert not isinstance(fresh.bm25._bm25.scores["data"], np.memmap)
    assert fresh.pinyin.idf == stored.pinyin.idf and fresh.bm25.idf == stored.bm25.idf
    for q in QUESTIONS:
        a = [(h.measure.key, h.score, h.bm25, h.via) for h in stored.retrieve(q, 10)]
        b = [(h.measure.key, h.score, h.bm25, h.via) for h in fresh.retrieve(q, 10)]
        assert a == b and a, q


@pytest.mark.parametrize("name", ["data.csc.index.npy", "vocab.index.json", "df.npy", "keyword.json"])
def test_corrupt_keyword_file_is_detected_and_rebuilt(corpus, built, name):
    first, index_dir = built
    path = first.path / KEYWORD_DIRS["words"] / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexError_, match="checksum"):
        load_index(corpus, HashEmbedder(), index_dir, STORE)
    again = load_or_build(corpus, HashEmbedder(), index_dir, STORE, keywords=KeywordBuilder())
    assert again.path != first.path and again.manifest["keywords"]["reused"] is False  # a corrupt donor gives none
    assert load_index(corpus, HashEmbedder(), index_dir, STORE).path == again.path


def test_unchanged_measures_reuse_the_stored_indexes(corpus, built):
    first, index_dir = built
    assert first.manifest["keywords"]["reused"] is False
    again = rebuild(corpus, HashEmbedder(), index_dir, STORE, keywords=KeywordBuilder())
    assert again.manifest["keywords"]["reused"] is True and again.manifest["embedded"] == 0
    kept = {n: d for n, d in first.manifest["files"].items() if n.startswith("keywords-")}
    assert kept and all(again.manifest["files"][n] == d for n, d in kept.items())
    loaded = load_index(corpus, HashEmbedder(), index_dir, STORE)  # the taken files verify and load
    assert keywords_missing(corpus, loaded.manifest) == ""
    assert isinstance(HybridRetriever(corpus, HashEmbedder(), loaded, CFG).bm25._bm25.scores["data"], np.memmap)


def test_indexes_made_otherwise_are_not_loaded(corpus, built):
    first, _ = built
    other = Segmenter([u.name for u in corpus.units] + ["一个别的词典的词"])
    why = load_keyword_indexes(first.path, first.manifest, other, None)
    assert why == "made with another tokenizer or format"
    no_keywords = build_index(corpus, HashEmbedder(), first.path.parent.parent / "plain", STORE)
    assert "older version" in keywords_missing(corpus, no_keywords.manifest)


@pytest.mark.parametrize("k", [1, 7, 40, 200])
def test_top_k_is_the_k_best_scores_ties_in_row_order(corpus, k):
    """search picks the k best among the documents that score (not a partition of all n scores): the same
    scores bm25s ranks, best first, ties in row order (also at the k-th place), none at 0."""
    measures = corpus.measures
    segmenter, fresh = _fresh(corpus, measures)
    index = fresh["words"]
    for q in QUESTIONS + ["企业", "服务"]:
        for group in (None, measures[0].doc, "no-such-doc"):
            query = [t for t in dict.fromkeys(segmenter.tokenize(q)) if t in index._vocab]
            mask = np.array([m.doc == group for m in measures], np.float32) if group else None
            every = index._bm25.get_scores(query, weight_mask=mask)
            order = np.lexsort((np.arange(len(every)), -every))
            order = order[every[order] > 0][:k]
            rows, scores = index.search(segmenter.tokenize(q), k, group)
            assert np.array_equal(rows, order) and np.array_equal(scores, every[order] * np.float32(index.k1 + 1))
            # what bm25s's own top-k returns: the same scores in the same order
            old_rows, old_scores = index._bm25.retrieve(
                [query], k=min(k, index.n), show_progress=False, weight_mask=mask
            )
            old = old_scores[0][old_scores[0] > 0] * np.float32(index.k1 + 1)
            assert np.array_equal(np.sort(old)[::-1], scores)
