"""Putting questions to a runner: a question's document (scoped or not), follow-ups through the answer, the
documents of an answer's retrieved ids, and the summaries. A scripted runner stands in for the system."""
from rag.evaluation.aggregate import aggregate
from rag.evaluation.dataset import Question
from rag.evaluation.evaluate import evaluate, placed
from rag.evaluation.report_html import render_html
from rag.evaluation.report_json import build_report
from rag.evaluation.runners import Timed
from rag.evaluation.scoring import Reply
from rag.evaluation.table import answerable_refused, metrics_table

# two notices that share the id 二(四)4
KEYS = {("a", "二(四)4"), ("b", "二(四)4"), ("a", "二(一)1"), ("b", "三(一)1")}
TURNS = (("user", "接自来水找谁？"), ("assistant", "区水务局。"))


class ScriptedRunner:
    where = "scripted"

    def __init__(self, hits=(), reply=None):
        self.hits = list(hits)
        self.reply = reply or Reply("区水务局负责", False, [("a", "二(四)4")], [("a", "二(四)4")])
        self.calls = []

    def corpus_keys(self):
        return set(KEYS)

    def search(self, question, top_k, doc=None):
        self.calls.append(("search", question, top_k, doc))
        return Timed(list(self.hits), 0.01)

    def ask(self, question, mode, history=None, doc=None):
        self.calls.append(("ask", question, mode, history, doc))
        return Timed(self.reply, 0.02)

    def describe(self):
        return {}

    def warm_up(self, answers, mode):
        pass


def question(**kw) -> Question:
    return Question(**{"id": "x", "category": "who_handles", "question": "接自来水找谁？", **kw})


def run(questions, runner, **kw):
    return evaluate(questions, runner, progress=False, **{"answers": True, "mode": "extractive", **kw})


def test_a_question_about_one_document_is_asked_unscoped_unless_told_and_scored_on_that_document():
    q = question(gold_ids=("二(四)4",), doc="a")
    runner = ScriptedRunner(hits=[("b", "二(四)4"), ("a", "二(四)4")])
    (res,) = run([q], runner)
    assert [c[-1] for c in runner.calls] == [None, None]  # the system is not told the document
    assert (res.scores["hit@1"], res.scores["hit@5"], res.scores["mrr"]) == (0.0, 1.0, 0.5)
    assert res.scores["citation_hit"] == 1.0
    row = res.to_dict()
    assert row["doc"] == "a" and row["retrieved"] == ["二(四)4", "二(四)4"] and row["retrieved_docs"] == ["b", "a"]
    assert row["citations_docs"] == ["a"]
    scoped = ScriptedRunner(hits=[("a", "二(四)4")])
    (res,) = run([q], scoped, scope_doc=True)
    assert [c[-1] for c in scoped.calls] == ["a", "a"] and res.scores["hit@1"] == 1.0
    (res,) = run([question(gold_ids=("二(四)4",))], ScriptedRunner(hits=[("b", "二(四)4")]), scope_doc=True)
    assert res.scores["hit@1"] == 1.0 and "retrieved_docs" not in res.to_dict()  # no doc: any document's


def test_a_follow_up_is_asked_through_the_answer_with_its_history():
    reply = Reply("区水务局负责", False, [("a", "二(四)4")], [("", "二(一)1"), ("", "二(四)4")])
    q = question(id="m1", category="multi_turn", question="那要多久？", gold_ids=("二(四)4",), doc="a", history=TURNS)
    runner = ScriptedRunner(hits=[("a", "二(四)4")], reply=reply)
    (res,) = run([q], runner, mode="llm")
    assert runner.calls == [("ask", "那要多久？", "llm", [dict(role=r, content=c) for r, c in TURNS], None)]
    # retrieval from the answer's context: 二(一)1 is only in a, 二(四)4 placed by its citation
    assert res.retrieved == [("a", "二(一)1"), ("a", "二(四)4")]
    assert (res.scores["hit@1"], res.scores["hit@5"], res.scores["citation_hit"]) == (0.0, 1.0, 1.0)
    assert res.answer_s == 0.02 and res.search_s is None
    assert res.to_dict()["history"][0] == {"role": "user", "content": "接自来水找谁？"}
    _, by_cat = aggregate([res])
    assert by_cat["multi_turn"]["hit@5"] == 1.0


def test_a_follow_up_in_a_retrieval_only_run_is_asked_in_extractive_mode_and_scores_retrieval_only():
    reply = Reply("……", False, [("a", "二(四)4")], [("a", "二(四)4")])
    q = question(question="那要多久？", gold_ids=("二(四)4",), history=TURNS)
    runner = ScriptedRunner(reply=reply)
    (res,) = run([q], runner, answers=False, mode="llm")
    assert [c[:3] for c in runner.calls] == [("ask", "那要多久？", "extractive")]
    assert res.scores == {"hit@1": 1.0, "hit@5": 1.0, "recall@k": 1.0, "mrr": 1.0}
    assert res.reply is None and res.search_s == 0.02 and "answer" not in res.to_dict()


def test_the_documents_of_an_answers_retrieved_ids_are_placed_where_they_can_be():
    reply = Reply("..", False, [("b", "二(四)4")], [("", "二(四)4"), ("", "二(一)1"), ("", "三(一)1"), ("", "九(九)9")])
    assert placed(reply, KEYS, None).retrieved == \
        [("b", "二(四)4"), ("a", "二(一)1"), ("b", "三(一)1"), ("", "九(九)9")]
    assert placed(reply, KEYS, "a").retrieved[0] == ("a", "二(四)4")  # the request was limited to a
    shared = Reply("..", True, [], [("", "二(四)4")])
    assert placed(shared, KEYS, None).retrieved == [("", "二(四)4")]  # in both notices, cited by neither


def test_summaries_split_near_and_far_out_of_scope_and_count_answerable_refusals():
    refused = Reply("没有涉及", True, status="refused")
    partial = Reply("通知没有写明具体比例。", False, [("a", "二(四)4")], [("a", "二(四)4")], status="partial")
    questions = [question(id="n1", category="out_of_scope", oos_kind="near"),
                 question(id="n2", category="out_of_scope", oos_kind="near"),
                 question(id="f1", category="out_of_scope"),
                 question(id="q1", gold_ids=("二(四)4",)),
                 question(id="q2", gold_ids=("二(四)4",))]
    replies = [partial, refused, partial, refused, partial]
    results = [run([q], ScriptedRunner(hits=[("a", "二(四)4")], reply=r))[0]
               for q, r in zip(questions, replies, strict=True)]
    overall, by_cat = aggregate(results)
    assert overall["oos_near"] == 1.0 and overall["oos_far"] == 0.0
    assert abs(by_cat["out_of_scope"]["refusal_accuracy"] - 2 / 3) < 1e-6
    assert overall["refusal_accuracy"] == 0.6  # n1, n2, q2 right; f1 answered, q1 refused
    assert (overall["answerable_refused"], overall["n_answerable"]) == (1, 2)
    assert answerable_refused(overall) == "answerable refused: 1 of 2"
    header = metrics_table(overall, by_cat).splitlines()[0].split()
    # the headline metrics first (those measured here), then the others
    assert header == ["category", "n", "n_ret", "hit@1", "hit@5", "refusal", "shape", "R@k", "MRR", "cite_ok",
                      "cite_hit", "oos_near", "oos_far", "p50_s", "p95_s"]
    html = render_html(build_report(results, {"file": "t"}))
    assert "answerable refused: 1 of 2" in html and "near out of scope right" in html
