"""A question naming a unit asks for its whole remit, or for one topic it handles: learned, in any wording."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("question", ["区司法局要牵头或者配合哪些工作？", "税务局在这个方案里管哪些事",
                                      "What does the tax bureau have to do under this plan?"])
def test_remit_questions_return_the_units_measures(services, question):
    r = services.retriever
    plan = r.plan(question)
    assert plan.unit_intent
    hits = r.retrieve(question, top_k=50)
    assert hits and all(h.via == ["unit"] for h in hits if h.via == ["unit"])
    named = {u for h in hits if h.via == ["unit"] for u in h.measure.units}
    assert named & plan.unit_names


@pytest.mark.parametrize("question", ["税务局怎么办理留抵退税？", "找区市场监管局办营业执照要多久？"])
def test_topic_questions_naming_a_unit_are_searched_by_topic(services, question):
    assert not services.retriever.plan(question).unit_intent


def test_the_unit_is_masked(services):
    plan = services.retriever.plan("区司法局要牵头哪些工作？")
    assert "司法局" not in plan.masked and "该单位" in plan.masked
