"""The evidence a search hands the scope judgement is a contract with the fitted scope models: these pin how
each field is made, so a retrieval change that would shift the models' inputs fails here, not silently.
And fusion, read apart from how its signals are gathered."""
from __future__ import annotations

import numpy as np

from rag.retrieval.evidence import BACKGROUND, EVIDENCE_DEPTH, background_rows
from rag.retrieval.fusion import Ranked, Signals, Weights, fuse
from rag.retrieval.tokenize import pinyin_tokens, tokenize
from rag.settings import RetrievalSettings


def test_the_depth_and_the_background_sample_are_the_fitted_ones():
    assert EVIDENCE_DEPTH == 20 and BACKGROUND == 256
    assert background_rows(172).tolist() == np.sort(np.random.default_rng(0).choice(172, 172, replace=False)).tolist()
    rows = background_rows(1000)  # the same sample at every start: seeded, sorted
    assert rows.tolist() == sorted(np.random.default_rng(0).choice(1000, 256, replace=False).tolist())
    assert len(background_rows(0)) == 0


def test_the_evidence_holds_raw_scores_as_the_scope_models_were_fitted(services):
    r = services.retriever
    plan = r.plan("我们厂要接自来水，找哪个单位？")
    ev = r.search(plan, top_k=8)
    assert ev.plan is plan and len(ev.hits) == 8 and ev.bank is not None
    q = r.embedder.embed_query(plan.text)
    assert np.allclose(ev.query, q)
    # dense: whole-measure cosines of the store's list, descending, to the depth
    assert len(ev.dense) == EVIDENCE_DEPTH and np.all(np.diff(ev.dense) <= 1e-9)
    assert np.allclose(ev.dense, r.index.vectors[ev.dense_rows] @ q, atol=1e-5)
    # keyword: BM25 as the keyword index gives it (Lucene's, times k1 + 1), padded with 0 and row -1
    rows, scores = r.bm25.search(tokenize(plan.text + " " + plan.expansion), r.cfg.candidates)
    n = min(EVIDENCE_DEPTH, len(scores))
    assert np.allclose(ev.bm25[:n], scores[:n]) and ev.bm25_rows[:n].tolist() == rows[:n].tolist()
    assert np.all(ev.bm25[n:] == 0) and np.all(ev.bm25_rows[n:] == -1) and len(ev.bm25) == EVIDENCE_DEPTH
    _, p = r.pinyin.search(pinyin_tokens(plan.text), r.cfg.candidates)
    assert ev.pinyin_best == float(p[0])
    # the background: the fixed sample's cosines; the bank: its two similarities
    assert np.allclose(ev.background, r.index.vectors[background_rows(len(r.measures))] @ q, atol=1e-5)
    assert ev.bank.features() == list(r.bank.similarity(ev.query))


def test_a_variant_retriever_is_a_new_object(services):
    r = services.retriever
    bare = r.with_bank(None)
    assert bare is not r and bare.bank is None and r.bank is not None and bare.index is r.index
    assert bare.search(bare.plan("接水找谁"), top_k=3).bank is None


def _signals(**kw) -> Signals:
    rows = np.array([0, 1, 2])
    base = dict(
        rows=rows,
        whole=np.array([0.9, 0.8, 0.7]),
        clause=None,
        dense_list=Ranked(rows, np.array([0.9, 0.8, 0.7])),
        keyword=Ranked(np.array([2]), np.array([4.0], dtype=np.float32)),
        pinyin=Ranked(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)),
        named_unit=None,
        votes=Ranked(np.zeros(0, dtype=np.int64), np.zeros(0)),
        closeness=0.0,
        in_force=np.array([True, True, True]),
    )
    return Signals(**(base | kw))


def test_fusion_weighs_each_signal_as_the_settings_say():
    cfg = RetrievalSettings()
    w = Weights.of(cfg, latin=False)
    assert (w.dense, w.pinyin) == (cfg.dense_weight, cfg.pinyin_weight) and abs(w.keyword - (1 - w.dense - w.pinyin)) < 1e-12
    assert Weights.of(cfg, latin=True).pinyin == 0.0 and Weights.of(cfg, latin=True).dense == cfg.dense_weight_latin
    # dense scaled min to max over its list, BM25 against its best
    assert np.allclose(fuse(_signals(), w), [w.dense * 1.0, w.dense * 0.5, w.keyword * 1.0])
    named = fuse(_signals(named_unit=np.array([0.0, 1.0, 0.0])), w)
    assert np.allclose(named - fuse(_signals(), w), [0, cfg.unit_boost, 0])
    voted = fuse(_signals(votes=Ranked(np.array([1]), np.array([1.0])), closeness=cfg.bank_closeness_pivot), w)
    assert np.allclose(voted - fuse(_signals(), w), [0, cfg.bank_weight, 0])
    assert w.vote(-10.0) == 0.0  # a far vote carries nothing, never less
    stale = fuse(_signals(in_force=np.array([True, False, True])), w)
    assert np.isclose(stale[1], fuse(_signals(), w)[1] * cfg.out_of_force_factor)
