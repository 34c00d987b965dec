from rag.evaluation.compare import compare


def report(overall, by_category=None, questions=()):
    return {"overall": overall, "by_category": by_category or {}, "questions": list(questions)}


def q(qid, **checks):
    return {"id": qid, "category": "c", "question": f"question {qid}", "checks": checks, "retrieved": ["a", "b"]}


def test_a_drop_beyond_max_drop_fails_and_exactly_max_drop_passes():
    base = report({"n": 10, "hit@1": 0.80, "mrr": 0.9})
    assert compare(report({"n": 10, "hit@1": 0.78, "mrr": 0.9}), base, 0.02).ok
    cmp = compare(report({"n": 10, "hit@1": 0.77, "mrr": 0.95}), base, 0.02)
    assert not cmp.ok
    assert [(c.scope, c.metric) for c in cmp.failures] == [("overall", "hit@1")]
    assert round(cmp.failures[0].delta, 6) == -0.03


def test_latency_never_gates_and_headline_latency_is_not_compared():
    base = report({"search_latency_p50_s": 0.1, "latency_p50_s": 0.1, "hit@1": 0.5})
    cmp = compare(report({"search_latency_p50_s": 5.0, "latency_p50_s": 9.0, "hit@1": 0.5}), base)
    assert cmp.ok
    assert {c.metric for c in cmp.changes} == {"search_latency_p50_s", "hit@1"}


def test_categories_are_shown_and_gate_only_when_asked():
    base = report({"hit@1": 0.8}, {"english": {"hit@1": 0.9}, "fact": {"hit@1": 1.0}})
    now = report({"hit@1": 0.8}, {"english": {"hit@1": 0.6}, "new": {"hit@1": 1.0}})
    cmp = compare(now, base)
    english = next(c for c in cmp.changes if c.scope == "english")
    assert english.regressed and not english.gated and cmp.ok
    assert any("'new' is new" in n for n in cmp.notes) and any("'fact'" in n for n in cmp.notes)
    assert not compare(now, base, gate_categories=True).ok


def test_metrics_the_run_did_not_measure_are_noted_not_failed():
    base = report({"n": 5, "hit@1": 0.8, "unit_recall": 0.9})
    cmp = compare(report({"n": 6, "hit@1": 0.8}), base)
    assert cmp.ok
    assert any("unit_recall" in n for n in cmp.notes) and any("5 questions" in n for n in cmp.notes)


def test_questions_that_broke_or_were_fixed_are_listed_on_common_checks():
    base = report({}, questions=[q("1", **{"hit@1": True, "hit@5": True}), q("2", **{"hit@1": False}),
                                 q("3", **{"hit@1": True}), q("gone", **{"hit@1": True})])
    now = report({}, questions=[q("1", **{"hit@1": False, "hit@5": True, "refusal": False}),
                                q("2", **{"hit@1": True, "refusal": False}), q("3", **{"hit@1": True, "refusal": False})])
    cmp = compare(now, base)
    assert [(b["id"], b["checks"]) for b in cmp.broke] == [("1", ["hit@1"])]
    assert cmp.broke[0]["retrieved_now"] == ["a", "b"]
    assert [(f["id"], f["checks"]) for f in cmp.fixed] == [("2", ["hit@1"])]  # refusal: not in the baseline
    d = cmp.to_dict()
    assert d["ok"] is True and d["broke"][0]["id"] == "1"
