from rag.evaluation.aggregate import aggregate, percentile, summarize
from rag.evaluation.dataset import Question
from rag.evaluation.evaluate import QuestionResult
from rag.evaluation.scoring import Reply, answer_scores, retrieval_scores

CORPUS = {("d", "一(一)1"), ("d", "二(四)4")}


def result(qid, category, ranked, gold=(), reply=None, search_s=0.1, answer_s=None, **gold_kw) -> QuestionResult:
    q = Question(qid, category, "?", tuple(gold), **gold_kw)
    r = QuestionResult(q, list(ranked), reply, search_s=search_s, answer_s=answer_s)
    r.scores.update(retrieval_scores(r.retrieved, q.gold_ids))
    if reply is not None:
        r.scores.update(answer_scores(q, reply, CORPUS))
    return r


def test_percentile_interpolates_like_numpy():
    assert percentile([1.0], 95) == 1.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert abs(percentile([float(i) for i in range(1, 21)], 95) - 19.05) < 1e-9


def test_retrieval_only_run_has_no_answer_metrics_and_out_of_scope_has_no_retrieval_metrics():
    results = [result("1", "fact", ["一(一)1"], ["一(一)1"], search_s=0.1),
               result("2", "fact", ["x", "一(一)1"], ["一(一)1"], search_s=0.3),
               result("3", "out_of_scope", ["x"], search_s=0.2)]
    overall, by_cat = aggregate(results)
    assert overall["n"] == 3 and overall["n_retrieval"] == 2
    assert overall["hit@1"] == 0.5 and overall["mrr"] == 0.75 and overall["hit@5"] == 1.0
    for absent in ("unit_recall", "fact_accuracy", "citation_validity", "citation_hit", "refusal_accuracy",
                   "answer_latency_p50_s", "errors"):
        assert absent not in overall
    assert overall["latency_p50_s"] == overall["search_latency_p50_s"] == 0.2
    assert list(by_cat) == ["fact", "out_of_scope"]
    assert by_cat["out_of_scope"]["n"] == 1 and by_cat["out_of_scope"]["n_retrieval"] == 0
    assert "hit@1" not in by_cat["out_of_scope"] and "mrr" not in by_cat["out_of_scope"]


def test_answer_metrics_average_only_over_questions_they_apply_to():
    good = Reply("区水务局负责", False, [("d", "二(四)4")], ["二(四)4"])
    refused = Reply("这份通知没有涉及", True)
    results = [
        result("1", "who_handles", ["二(四)4"], ["二(四)4"], good, answer_s=1.0, gold_units=("区水务局",)),
        result("2", "who_handles", ["x"], ["二(四)4"], refused, answer_s=3.0, gold_units=("区水务局", "区税务局")),
        result("3", "out_of_scope", ["x"], (), refused, answer_s=2.0),
    ]
    s = summarize(results)
    assert s["unit_recall"] == 0.5  # (1 + 0) / 2: the out-of-scope question has no gold units
    assert s["citation_validity"] == 1.0  # only question 1 cited anything
    assert s["citation_hit"] == 0.5
    assert abs(s["refusal_accuracy"] - 2 / 3) < 1e-6
    assert "fact_accuracy" not in s
    assert s["latency_p50_s"] == s["answer_latency_p50_s"] == 2.0
    assert s["search_latency_p50_s"] == 0.1


def test_errors_are_counted():
    r = result("1", "fact", [], ["一(一)1"])
    r.errors.append("search failed")
    assert summarize([r])["errors"] == 1
    assert r.failed == ["hit@1", "hit@5", "recall@k", "error"]
