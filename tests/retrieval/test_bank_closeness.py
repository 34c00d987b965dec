"""The question bank's vote weighs more when the labelled questions behind it come near the question, and
nothing when they are far (RetrievalSettings.bank_closeness_gain)."""
from __future__ import annotations

from rag.retrieval.question_bank import Vote

QUESTION = "我们厂要接自来水，找哪个单位？"


class _FixedBank:
    """Votes for one measure, as if its questions lay at a given closeness."""

    def __init__(self, key: str, closeness: float):
        self.key, self.closeness = key, closeness

    def votes(self, q, neighbours, temperature):
        return Vote({self.key: 1.0}, self.closeness)

    def similarity(self, q):  # what the search's evidence reports for the scope judgement; not under test here
        return 0.0, 0.0

    answered_docs = {"jiading-2021-7"}  # the notice its labelled questions are about


def _scores(services, bank, **cfg) -> dict[str, float]:
    r = services.retriever.with_bank(bank)  # a variant: the session's retriever is left as it is
    r.cfg = r.cfg.model_copy(update=cfg)
    return {h.measure.key: h.score for h in r.retrieve(QUESTION, 50)}


def test_near_questions_lift_their_measure_more_than_far_ones(services):
    plain = _scores(services, None)
    last = list(plain)[-1]  # a measure the question itself ranks low
    cfg = dict(bank_weight=0.8, bank_closeness_gain=15.0, bank_closeness_pivot=0.935)
    near = _scores(services, _FixedBank(last, 0.975), **cfg)
    middle = _scores(services, _FixedBank(last, 0.935), **cfg)
    far = _scores(services, _FixedBank(last, 0.80), **cfg)
    assert abs(middle[last] - plain[last] - 0.8) < 1e-6  # at the pivot the vote carries bank_weight
    assert abs(near[last] - plain[last] - (0.8 + 15.0 * 0.04)) < 1e-6
    assert abs(far[last] - plain[last]) < 1e-6  # far below the pivot the weight stops at 0, not below
    assert list(near)[0] == last


def test_without_a_gain_every_vote_carries_the_bank_weight(services):
    plain = _scores(services, None)
    last = list(plain)[-1]
    for closeness in (0.8, 0.99):
        lifted = _scores(services, _FixedBank(last, closeness), bank_weight=0.5, bank_closeness_gain=0.0)
        assert abs(lifted[last] - plain[last] - 0.5) < 1e-6
