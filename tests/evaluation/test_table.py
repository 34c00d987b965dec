from rag.evaluation.compare import compare
from rag.evaluation.table import comparison_table, metrics_table, width


def test_categories_are_rows_and_unmeasured_metrics_have_no_column():
    overall = {"n": 3, "n_retrieval": 2, "hit@1": 0.5, "mrr": 0.75, "latency_p50_s": 0.1, "latency_p95_s": 0.2}
    by_cat = {"事实": {"n": 2, "n_retrieval": 2, "hit@1": 0.5, "mrr": 0.75}, "out_of_scope": {"n": 1, "n_retrieval": 0}}
    lines = metrics_table(overall, by_cat).splitlines()
    assert lines[0].split() == ["category", "n", "n_ret", "hit@1", "MRR", "p50_s", "p95_s"]
    assert lines[2].split()[:4] == ["事实", "2", "2", "0.500"]
    assert lines[3].split() == ["out_of_scope", "1", "0", "-", "-", "-", "-"]
    assert lines[4].startswith("OVERALL")
    assert len({width(line) for line in lines[:2]}) == 1  # CJK names keep the columns aligned
    assert "units" not in lines[0]


def test_comparison_table_flags_gated_regressions():
    base = {"overall": {"hit@1": 0.9, "mrr": 0.9}, "by_category": {"a": {"hit@1": 1.0}, "b": {"hit@1": 1.0}}, "questions": []}
    now = {"overall": {"hit@1": 0.8, "mrr": 0.9}, "by_category": {"a": {"hit@1": 0.5}, "b": {"hit@1": 1.0}}, "questions": []}
    rows = comparison_table(compare(now, base)).splitlines()
    overall_hit = next(r for r in rows if r.startswith("overall") and "hit@1" in r)
    assert overall_hit.split()[-2:] == ["-0.100", "REGRESSION"]
    assert any(r.startswith("a ") and r.endswith("dropped") for r in rows)  # shown, not gated by default
    assert not any(r.startswith("b ") for r in rows)  # unchanged categories are left out
