"""Requests for a task (a poem, a translation, a joke) are told from questions by a learned model on the
question's vector; its probability is a scope feature."""
from __future__ import annotations

import numpy as np

from rag.answer.scope import FEATURES
from rag.answer.task_request import TaskRequest


def test_without_a_model_every_input_reads_as_a_question():
    assert TaskRequest(None).probability(np.ones(4, dtype=np.float32)) == 0.0


def test_a_model_for_other_vectors_is_not_used(tmp_path, services):
    model = services.answerer.scope.task.model
    assert model is not None
    model.save(tmp_path / "task_model.json")
    assert TaskRequest.load(services.retriever.embedder.dim + 1, tmp_path / "task_model.json").model is None
    assert TaskRequest.load(services.retriever.embedder.dim, tmp_path / "missing.json").model is None


def test_the_packaged_model_tells_requests_from_questions(services):
    r, task = services.retriever, services.answerer.scope.task
    def p(text: str) -> float:
        return task.probability(r.search(r.plan(text), top_k=8).query)
    # none of them is a labelled question, word for word
    requests = ["帮我写一首关于营商环境的诗", "Translate 'business environment' into German", "来段跟报税有关的脱口秀段子"]
    questions = ["我们厂要接自来水，找哪个单位？", "公司注销要准备什么材料", "Who handles property registration?"]
    assert min(map(p, requests)) > 0.5 > max(map(p, questions))


def test_it_is_a_scope_feature(services):
    r, judge = services.retriever, services.answerer.scope
    row, _ = judge.features(r.search(r.plan("帮我写一首关于营商环境的诗"), top_k=8))
    assert row[FEATURES.index("task_request")] > 0.5
