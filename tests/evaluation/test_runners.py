"""The two runners: HTTP error handling on a mock transport, and agreement with each other on the real app."""
import httpx
import pytest

from rag.evaluation.aggregate import QUALITY_METRICS, aggregate
from rag.evaluation.dataset import Question, load_dataset
from rag.evaluation.evaluate import evaluate
from rag.evaluation.runners import HttpRunner, InProcessRunner, QuestionError, RunnerError

ASK_OK = {"answer": "区水务局", "citations": [{"id": "二(四)4", "doc": "d", "units": [], "text": "", "section": ""}],
          "refused": False, "mode": "extractive", "retrieved": ["二(四)4"], "notes": [], "timings": {}}


def mock_runner(handler) -> HttpRunner:
    return HttpRunner("http://rag.test", client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_rate_limits_and_busy_answers_are_waited_out():
    calls = []

    def handler(request):
        calls.append(request.url.path)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0.05"}, json={"detail": "slow down"})
        if len(calls) == 2:
            return httpx.Response(503, headers={"Retry-After": "0.05"}, json={"detail": "busy"})
        return httpx.Response(200, json=ASK_OK)

    reply = mock_runner(handler).ask("谁管自来水", "extractive").value
    assert calls == ["/api/ask"] * 3
    assert (reply.text, reply.citations, reply.retrieved, reply.refused) == \
        ("区水务局", [("d", "二(四)4")], [("", "二(四)4")], False)


def test_server_errors_fail_one_question_and_a_missing_endpoint_stops_the_run():
    def handler(request):
        if request.url.path == "/api/search":
            return httpx.Response(500, text="boom")
        return httpx.Response(404, json={"detail": "Not Found"})

    runner = mock_runner(handler)
    with pytest.raises(QuestionError, match="HTTP 500"):
        runner.search("x", 20)
    with pytest.raises(RunnerError, match="no /api/ask"):
        runner.ask("x", "auto")


def test_an_unreachable_server_stops_the_run():
    import socket

    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RunnerError, match="cannot reach"):
        HttpRunner(f"http://127.0.0.1:{port}", timeout_s=2).corpus_keys()


def test_search_depth_is_clamped_to_what_the_api_accepts():
    seen = []

    def handler(request):
        import json

        seen.append(json.loads(request.content)["top_k"])
        return httpx.Response(200, json={"hits": [{"id": "二(四)4", "doc": "d"}]})

    assert mock_runner(handler).search("x", 80).value == [("d", "二(四)4")]
    assert seen == [50]


def test_the_document_and_the_history_go_into_the_requests_and_the_reply_keeps_what_scoring_needs():
    import json

    bodies = []
    answer = {**ASK_OK, "status": "partial", "opening": "通知没有写明。", "unstated": "rate",
              "citations": [{"id": "二(四)4", "doc": "d", "units": [], "text": "4.推进排水接入。(责任单位:区水务局)",
                             "section": ""}],
              "retrieved": ["二(四)4", {"doc": "e", "id": "三(一)1"}]}

    def handler(request):
        bodies.append(json.loads(request.content))
        if request.url.path == "/api/search":
            return httpx.Response(200, json={"hits": [{"id": "二(四)4", "doc": "d"}]})
        return httpx.Response(200, json=answer)

    runner = mock_runner(handler)
    runner.search("x", 5)
    runner.search("x", 5, "d")
    reply = runner.ask("那要多久？", "extractive", [{"role": "user", "content": "接水找谁"}], "d").value
    runner.ask("x", "auto")
    assert bodies == [{"query": "x", "top_k": 5}, {"query": "x", "top_k": 5, "doc": "d"},
                      {"question": "那要多久？", "mode": "extractive", "history": [{"role": "user", "content": "接水找谁"}],
                       "doc": "d"},
                      {"question": "x", "mode": "auto"}]
    assert (reply.status, reply.opening, reply.cited_texts) == ("partial", "通知没有写明。", ["4.推进排水接入。(责任单位:区水务局)"])
    assert reply.retrieved == [("", "二(四)4"), ("e", "三(一)1")]


def test_http_and_in_process_runs_agree(eval_services, live_url, sample_file):
    questions = load_dataset(sample_file).questions
    local = evaluate(questions, InProcessRunner(eval_services), answers=True, mode="extractive", progress=False)
    remote = evaluate(questions, HttpRunner(live_url), answers=True, mode="extractive", progress=False)
    assert [r.retrieved for r in local] == [r.retrieved for r in remote]
    assert all(len(r.retrieved) == max(20, len(r.question.gold_ids)) for r in local)
    assert not any(r.errors for r in local + remote)
    (lo, lcat), (ro, rcat) = aggregate(local), aggregate(remote)
    for mine, theirs in [(lo, ro)] + [(lcat[c], rcat[c]) for c in lcat]:
        assert {m for m in QUALITY_METRICS if m in mine} == {m for m in QUALITY_METRICS if m in theirs}
        for m in QUALITY_METRICS:
            if m in mine:
                assert abs(mine[m] - theirs[m]) <= 0.01, m
    assert lo["citation_validity"] == 1.0
    assert all(d for r in local for d, _ in r.retrieved)  # both say which document each hit is of
    assert [r.reply.cited_texts for r in local] == [r.reply.cited_texts for r in remote]


def test_an_unavailable_model_is_not_waited_for():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(503, json={"detail": "the chat model is unavailable"})

    with pytest.raises(QuestionError, match="HTTP 503"):
        mock_runner(handler).ask("x", "llm")
    assert len(calls) == 1


def test_runners_agree_on_follow_ups_and_scoped_questions(eval_services, live_url, corpus):
    doc = corpus.documents[0].id
    history = (("user", "我们厂要接自来水，找哪个单位？"), ("assistant", "区水务局等单位负责（依据措施二(四)4）。"))
    questions = [Question("m1", "multi_turn", "那排水接入呢？", ("二(四)4",), history=history),
                 Question("d1", "who_handles", "我们厂要接自来水，找哪个单位？", ("二(四)4",), doc=doc),
                 Question("d2", "who_handles", "我们厂要接自来水，找哪个单位？", ("二(四)4",), doc="another-notice")]
    runs = []
    for runner in (InProcessRunner(eval_services), HttpRunner(live_url)):
        runs.append(evaluate(questions[:2], runner, answers=True, mode="extractive", progress=False, scope_doc=True))
        # unscoped, a question about a notice that is not loaded cannot hit
        (other,) = evaluate(questions[2:], runner, answers=False, progress=False)
        assert other.scores["hit@5"] == 0.0 and not other.errors
    local, remote = runs
    assert not any(r.errors for r in local + remote)
    assert [r.retrieved for r in local] == [r.retrieved for r in remote]
    follow_up = local[0]
    assert follow_up.search_s is None and follow_up.retrieved == follow_up.reply.retrieved
    assert all(d == doc for d, _ in follow_up.retrieved) and follow_up.scores["hit@5"] == 1.0
    assert local[1].scores["hit@1"] == 1.0 and local[1].scores["citation_hit"] == 1.0
