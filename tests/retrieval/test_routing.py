"""Which loaded notice a question is about (rag/retrieval/routing.py): the places it names, then the evidence."""

import numpy as np

from rag.retrieval.routing import PlaceNames, best_notice

PLACES = {
    "jiading": ["上海市", "上海", "嘉定区", "嘉定"],
    "putuo": ["上海市", "上海", "普陀区", "普陀"],
    "putuo-2": ["上海市", "上海", "普陀区", "普陀"],
}


def test_a_question_names_the_notices_of_its_district_in_characters_or_pinyin():
    places = PlaceNames(PLACES)
    assert places.named("我在嘉定开了家面馆，营业执照怎么办") == {"jiading"}
    assert places.named("How much does Putuo subsidize per elevator?") == {"putuo", "putuo-2"}
    assert places.named("普陀区加装电梯补贴多少") == {"putuo", "putuo-2"}
    # the places every loaded notice shares say nothing of which notice; nor does a question naming none
    assert places.named("上海市的营业执照怎么办") == set() and places.named("营业执照怎么办") == set()
    assert places.named("Jia ding district") == {"jiading"}  # spelled with a space, as askers do


def test_routing_keeps_to_the_named_notices_while_one_of_them_has_a_candidate():
    names = ["jiading", "putuo"]
    rows, fused, doc_of_row = np.array([0, 1, 2]), np.array([0.9, 0.5, 0.4]), np.array([0, 1, 1])
    assert best_notice(rows, fused, doc_of_row, names) == "jiading"
    assert best_notice(rows, fused, doc_of_row, names, {"putuo"}) == "putuo"
    # a named notice without any candidate does not route the question away from the evidence
    assert best_notice(rows[:1], fused[:1], doc_of_row, names, {"putuo"}) == "jiading"
    assert best_notice(rows[:0], fused[:0], doc_of_row, names, {"putuo"}) is None
