from rag.evaluation.compare import compare
from rag.evaluation.report_html import render_html


def sample_report(hit1=1.0, q2_passed=False):
    q1 = {"id": "q1", "category": "who_handles", "question": "谁管自来水？", "gold_ids": ["二(四)4"],
          "gold_units": ["区水务局"], "answer_facts": [], "retrieved": ["二(四)4"], "scores": {"hit@1": 1.0},
          "checks": {"hit@1": True}, "failed": [], "passed": True}
    q2 = {"id": "q2", "category": "english", "question": "Who <b>handles</b> gas?", "gold_ids": ["二(四)4"],
          "gold_units": ["燃气市北销售有限公司嘉定分公司"], "answer_facts": ["24小时"], "retrieved": ["二(一)1", "二(四)4"],
          "answer": "Ask 区自来水公司", "refused": False, "citations": ["二(一)1"], "answer_retrieved": ["二(一)1"],
          "mode": "extractive", "scores": {"hit@1": 0.0, "unit_recall": 0.0},
          "checks": {"hit@1": q2_passed, "unit_recall": q2_passed}, "failed": [] if q2_passed else ["hit@1", "unit_recall"],
          "passed": q2_passed}
    return {"meta": {"file": "outside.jsonl", "runner": "in-process"},
            "overall": {"n": 2, "n_retrieval": 2, "hit@1": hit1, "unit_recall": 0.5, "latency_p50_s": 0.2,
                        "search_latency_p50_s": 0.1},
            "by_category": {"english": {"n": 1, "n_retrieval": 1, "hit@1": 0.0, "unit_recall": 0.0},
                            "who_handles": {"n": 1, "n_retrieval": 1, "hit@1": 1.0}},
            "questions": [q1, q2]}


def test_report_lists_failed_questions_with_gold_and_what_came_back_escaped():
    html = render_html(sample_report())
    assert "Failed questions (1)" in html and 'id="q-q2"' in html and 'id="q-q1"' not in html
    assert "Who &lt;b&gt;handles&lt;/b&gt; gas?" in html  # user text is escaped, never markup
    for expected in ("燃气市北销售有限公司嘉定分公司", "24小时", "Ask 区自来水公司", "no gold id cited",
                     '<span class="gold">二(四)4</span>', "unit_recall"):
        assert expected in html
    assert html.count("<svg") == 1 and "<script" not in html and "<link" not in html
    assert "metrics by category" in html and "english (n=1)" in html


def test_report_shows_the_comparison_and_the_questions_that_broke():
    before, after = sample_report(hit1=1.0, q2_passed=True), sample_report(hit1=0.5, q2_passed=False)
    html = render_html(after, compare(after, before, 0.02))
    assert "banner fail" in html and "Regression: overall hit@1 1.000 → 0.500" in html
    assert "went from pass to fail (1)" in html and 'href="#q-q2"' in html
    html = render_html(before, compare(before, before, 0.02))
    assert "banner pass" in html and "went from pass to fail (0)" in html
