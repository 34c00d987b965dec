"""An English question asks the bank of labelled questions with its vector pulled towards its best measures
(pseudo-relevance feedback, RetrievalSettings.bank_feedback_latin); a Chinese question asks it as it is."""
from __future__ import annotations

import numpy as np

from rag.retrieval.question_bank import Vote


class _SpyBank:
    """Records the vectors the retriever asks the bank with; votes for nothing."""

    def __init__(self):
        self.asked: list[np.ndarray] = []

    def votes(self, q, neighbours, temperature):
        self.asked.append(np.array(q))
        return Vote({}, 0.0)

    def similarity(self, q):  # what the search's evidence reports for the scope judgement; not under test here
        return 0.0, 0.0

    answered_docs = {"jiading-2021-7"}  # the notice its labelled questions are about


def _asked(services, question: str, **cfg) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    spy = _SpyBank()
    r = services.retriever.with_bank(spy)  # a variant: the session's retriever is left as it is
    r.cfg = r.cfg.model_copy(update=cfg)
    r.search(r.plan(question), 3)
    q = r.embedder.embed_query(r.plan(question).text)
    best = r.index.vectors[np.argsort(-(r.index.vectors @ q))[:3]].mean(axis=0)
    return spy.asked[0], q, best


def test_an_english_question_asks_the_bank_nearer_its_best_measures(services):
    asked, q, best = _asked(services, "Who do I contact to get a water connection for my factory?")
    assert abs(float(np.linalg.norm(asked)) - 1.0) < 1e-4
    assert float(asked @ best) > float(q @ best) + 0.01


def test_a_chinese_question_and_a_zero_weight_ask_with_the_question_itself(services):
    asked, q, _ = _asked(services, "我们厂要接自来水，找哪个单位？")
    assert np.allclose(asked, q, atol=1e-6)
    asked, q, _ = _asked(services, "Who do I contact to get a water connection?", bank_feedback_latin=0.0)
    assert np.allclose(asked, q, atol=1e-6)
