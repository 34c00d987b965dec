"""The bank of labelled questions: nearest-neighbour similarities, per-document restriction, a round trip
through its file, and the fall-backs when it cannot speak for the loaded notices."""
from __future__ import annotations

import numpy as np

from rag.retrieval.question_bank import DEFAULT_BANK, QuestionBank
from rag.answer.scope import ScopeJudge

QUESTION = "企业开办要跑几个部门？"  # neither an id nor a unit's remit nor a year: the model decides


def _unit(*rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _bank():
    vectors = _unit([1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, 0.1], [0, 0, 1])
    return QuestionBank(
        vectors,
        np.array([True, True, False, False, True]),
        np.array(["a:一1", "a:一2|a:一3", "", "", "b:1"]),
        np.array(["w1", "w2", "w1", "w2", "w3"]),
        "m",
        neighbours=2,
    )


def test_similarity_averages_the_nearest_of_each_kind():
    bank = _bank()
    near_in, near_out = bank.similarity(np.array([1, 0, 0], dtype=np.float32))
    assert near_in > 0.99 and near_out < 0.2
    near_in, near_out = bank.similarity(np.array([0, 1, 0], dtype=np.float32))
    assert near_out > 0.99 and near_in < 0.2


def test_answerable_questions_count_only_for_loaded_documents():
    bank = _bank().restricted({"b"})
    assert len(bank) == 3 and set(bank.docs.tolist()) == {"", "b"}
    assert bank.covers({"b"}, minimum=1) and not bank.covers({"a"}, minimum=1) and not bank.covers(set())
    without_w1 = _bank().restricted({"a", "b"}, frozenset({"w1"}))
    assert without_w1.writers.tolist() == ["w2", "w2", "w3"]


def test_votes_go_to_the_measures_of_the_nearest_answerable_questions():
    vote = _bank().votes(np.array([1, 0.05, 0], dtype=np.float32), k=2, temperature=0.05)
    votes = vote.shares
    assert set(votes) == {"a:一1", "a:一2", "a:一3"} and abs(sum(votes.values()) - 1) < 1e-6
    assert votes["a:一1"] > votes["a:一2"] == votes["a:一3"]  # the nearest question speaks loudest
    assert _bank().votes(np.array([1, 0, 0], dtype=np.float32), k=0, temperature=0.05).shares == {}


def test_a_vote_says_how_near_its_questions_came():
    near = _bank().votes(np.array([1, 0, 0], dtype=np.float32), k=1, temperature=0.05)
    far = _bank().votes(np.array([0, 1, 0], dtype=np.float32), k=1, temperature=0.05)
    assert near.closeness > 0.99 and far.closeness < 0.2  # [0, 1, 0] is where out-of-scope questions lie


def test_round_trip_through_the_file(tmp_path):
    path = tmp_path / "bank.npz"
    _bank().save(path)
    back = QuestionBank.load(path)
    assert back.embedding_model == "m" and back.neighbours == 2 and back.docs.tolist() == ["a", "a", "", "", "b"]
    assert back.gold.tolist() == _bank().gold.tolist() and back.writers.tolist() == _bank().writers.tolist()
    assert np.allclose(back.vectors, _bank().vectors, atol=1e-3)


def test_the_packaged_bank_serves_the_jiading_notice(services):
    r, judge = services.retriever, services.answerer.scope
    assert DEFAULT_BANK.is_file() and r.bank is not None and judge.bank_model is not None
    assert r.bank.embedding_model == services.embedder.name
    # the search's evidence says how near the question came to the labelled ones, and the judgement reads that
    evidence = r.search(r.plan(QUESTION), top_k=8)
    assert evidence.bank is not None and evidence.bank.features() == list(r.bank.similarity(evidence.query))
    row, _ = judge.features(evidence)
    assert judge.judge(evidence).confidence == judge.bank_model.decide([*row, *evidence.bank.features()])[1]


def test_a_bank_from_another_embedding_model_or_of_another_layout_is_not_used(tmp_path, caplog):
    assert QuestionBank.for_corpus(DEFAULT_BANK, {"jiading-2021-7"}, "other/model") is None
    old = tmp_path / "old.npz"
    np.savez(old, vectors=np.zeros((1, 3)))
    assert QuestionBank.for_corpus(old, {"jiading-2021-7"}, "m") is None and "not used" in caplog.text


def test_without_the_bank_the_scope_falls_back_to_corpus_evidence(services):
    r = services.retriever.with_bank(None)
    judge = ScopeJudge.load(services.corpus, r.facts())
    evidence = r.search(r.plan(QUESTION), top_k=8)
    assert evidence.bank is None and judge.model is not None and judge.bank_model is not None
    row, _ = judge.features(evidence)
    assert judge.judge(evidence).confidence == judge.model.decide(row)[1]
    assert services.retriever.bank is not None  # a variant is a new object: the serving retriever keeps its bank


def test_a_notice_without_labelled_questions_falls_back_to_corpus_evidence(services, tmp_path):
    bank = QuestionBank.load(DEFAULT_BANK)
    docs = {d.id for d in services.corpus.documents} | {"another-notice"}
    assert not bank.covers(docs)
    # the bank stays for the notice it covers; the other notice is judged on corpus evidence alone
    kept = QuestionBank.for_corpus(DEFAULT_BANK, docs, services.embedder.name)
    assert kept is not None and kept.answered_docs == {d.id for d in services.corpus.documents}
    # with no labelled notice loaded, only the out-of-scope questions speak (everyday matters)
    alone = QuestionBank.for_corpus(DEFAULT_BANK, {"another-notice"}, services.embedder.name)
    assert alone is not None and not alone.answerable.any() and len(alone) > 0
