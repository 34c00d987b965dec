"""The checks on the chat model's sentences (rag/answer/guard.py), on the real corpus without any model: ids
retrieval did not select, figures the measures do not state, units not responsible for them."""
from __future__ import annotations

import pytest

from rag.answer.guard import Guard, split_sentences

SELECTED = "二(四)3"  # 接电时间压缩20% ...(责任单位:区发改委、…、嘉定供电公司)


@pytest.fixture
def guard(corpus) -> Guard:
    return Guard(corpus, corpus.lookup(SELECTED), "高压电接入要多久？")


def test_sentences_are_split_at_their_ends_and_the_rest_is_kept():
    assert split_sentences("第一句。第二句！还没写完") == (["第一句。", "第二句！"], "还没写完")
    assert split_sentences("Call the office. Then wait") == (["Call the office. "], "Then wait")


def test_a_selected_measure_cited_grounds_the_answer(guard):
    assert guard.check(f"根据{SELECTED}，接电环节压缩。") == [] and guard.grounded
    assert guard.cited == [SELECTED]


def test_a_measure_retrieval_did_not_select_is_a_problem(guard):
    assert guard.check("二(一)1规定了企业开办。") == ["cites 二(一)1, which retrieval did not select"]
    assert guard.cited == []


def test_figures_must_be_in_the_measures(guard):
    assert guard.check("接电时间压缩20%。") == []
    assert guard.check("接电时间压缩35%。") == ["states 35%, which the cited measures do not contain"]


def test_only_responsible_units_may_be_named(guard):
    assert guard.check("由嘉定供电公司负责。") == [] and guard.grounded
    assert guard.check("由区市场监管局负责。") == [
        "names 区市场监管局, which is not responsible for the selected measures"]


def test_a_sentence_with_nothing_of_the_measures_grounds_nothing(guard):
    assert guard.check("请您耐心等待通知。") == [] and not guard.grounded
