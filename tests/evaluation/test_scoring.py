from rag.evaluation.dataset import Question
from rag.evaluation.scoring import (Reply, answer_scores, checks, citation_hit, citation_validity,
                                    failed_answer_scores, fold_text, list_recall, own_figures, refusal_right,
                                    retrieval_depth, retrieval_scores, share_contained)

CORPUS = {("doc", "二(四)4"), ("doc", "二(四)3"), ("doc", "二(一)1"), ("doc", "二(七)")}


def q(**kw) -> Question:
    base = {"id": "x", "category": "who_handles", "question": "?"}
    return Question(**{**base, **kw})


def test_hits_and_mrr_with_full_width_and_spaced_gold_ids():
    s = retrieval_scores(["二(一)1", "二(四)4", "二(七)"], ["二（四） 4"])
    assert s == {"hit@1": 0.0, "hit@5": 1.0, "recall@k": 1.0, "mrr": 0.5}
    assert retrieval_scores(["二（四）4"], ["二(四)4"])["hit@1"] == 1.0  # the system's spelling is folded too


def test_recall_uses_k_of_at_least_the_number_of_gold_ids():
    gold = [f"三(一){i}" for i in range(1, 8)]  # 7 gold ids: k = 7, not 5
    ranked = ["x"] + gold[:6] + ["y"] * 13 + [gold[6]]
    s = retrieval_scores(ranked, gold)
    assert s["recall@k"] == 6 / 7
    assert retrieval_scores(gold[:2] + ["a", "b", "c", "d"], gold[:2] + ["zz"])["recall@k"] == 2 / 3


def test_mrr_is_zero_beyond_twenty_and_hit_at_five_is_a_window():
    ranked = [f"n{i}" for i in range(20)] + ["二(四)4"]
    assert retrieval_scores(ranked, ["二(四)4"]) == {"hit@1": 0.0, "hit@5": 0.0, "recall@k": 0.0, "mrr": 0.0}
    ranked = ["a", "b", "c", "d", "二(四)4"]
    assert retrieval_scores(ranked, ["二(四)4"])["mrr"] == 0.2
    assert retrieval_scores(ranked, ["二(四)4"])["hit@5"] == 1.0
    assert retrieval_scores([], ["二(四)4"])["hit@1"] == 0.0


def test_no_gold_ids_means_no_retrieval_scores_and_depth_covers_long_gold_lists():
    assert retrieval_scores(["二(四)4"], []) == {"hit@1": None, "hit@5": None, "recall@k": None, "mrr": None}
    assert retrieval_depth([]) == 20 and retrieval_depth(["a"] * 28) == 28


def test_text_matching_folds_width_and_white_space():
    assert fold_text("区行政服务中心（区大数据中心）") == "区行政服务中心(区大数据中心)"
    assert share_contained("可网办能力达到 ９５％ 以上", ["95%"]) == 1.0
    assert share_contained("由区行政服务中心(区大数据中心)负责", ["区行政服务中心（区大数据中心）", "区税务局"]) == 0.5
    assert share_contained("95 %", ["95%"]) == 1.0
    assert share_contained("九十五%", ["95%"]) == 0.0  # written differently from the notice: missing
    assert share_contained("anything", []) is None


def test_citation_validity_needs_existence_and_retrieved_context():
    ok = Reply("..", False, [("doc", "二（四）4")], ["二(四)4", "二(四)3"])
    assert citation_validity(ok, CORPUS) == 1.0
    not_in_context = Reply("..", False, [("doc", "二(四)4"), ("doc", "二(一)1")], ["二(四)4"])
    assert citation_validity(not_in_context, CORPUS) == 0.0
    invented = Reply("..", False, [("doc", "九(九)9")], ["九(九)9"])
    assert citation_validity(invented, CORPUS) == 0.0
    wrong_doc = Reply("..", False, [("other", "二(四)4")], ["二(四)4"])
    assert citation_validity(wrong_doc, CORPUS) == 0.0
    no_doc = Reply("..", False, [("", "二(七)")], ["二(七)"])
    assert citation_validity(no_doc, CORPUS) == 1.0
    assert citation_validity(Reply("..", True), CORPUS) is None  # nothing cited: nothing to validate


def test_answer_scores_and_checks():
    question = q(gold_ids=("二(四)4",), gold_units=("区水务局", "区自来水公司"), answer_facts=("一门式",))
    reply = Reply("找区水务局，实行一门式服务", False, [("doc", "二(四)3")], ["二(四)3", "二(四)4"])
    s = answer_scores(question, reply, CORPUS)
    assert s == {"unit_recall": 0.5, "fact_accuracy": 1.0, "citation_validity": 1.0, "citation_hit": 0.0,
                 "refusal_accuracy": 1.0, "list_recall": None, "opening_clause": None, "clean_shape": 1.0,
                 "oos_near": None, "oos_far": None}
    assert checks(s) == {"unit_recall": False, "fact_accuracy": True, "citation_validity": True,
                         "citation_hit": False, "refusal": True, "shape": True}


def test_refusal_accuracy_by_category():
    refused = Reply("这份通知没有涉及", True)
    answered = Reply("……", False)
    oos = q(category="out_of_scope")
    assert answer_scores(oos, refused, CORPUS)["refusal_accuracy"] == 1.0
    assert answer_scores(oos, answered, CORPUS)["refusal_accuracy"] == 0.0
    header = q(category="metadata", answer_facts=("嘉府发〔2021〕7号",))
    assert answer_scores(header, refused, CORPUS)["refusal_accuracy"] == 0.0
    s = answer_scores(header, answered, CORPUS)
    assert s["unit_recall"] is None and s["citation_hit"] is None and s["fact_accuracy"] == 0.0


def test_an_answer_that_could_not_be_obtained_misses_everything_applicable():
    s = failed_answer_scores(q(gold_ids=("二(四)4",), gold_units=("区水务局",)))
    assert s == {"unit_recall": 0.0, "fact_accuracy": None, "citation_validity": None, "citation_hit": 0.0,
                 "refusal_accuracy": 0.0, "list_recall": None, "opening_clause": None, "clean_shape": None,
                 "oos_near": None, "oos_far": None}
    s = failed_answer_scores(q(category="list", gold_ids=("二(四)4", "二(四)3")))
    assert s["list_recall"] == 0.0 and s["refusal_accuracy"] == 0.0
    s = failed_answer_scores(q(category="out_of_scope", oos_kind="near"))
    assert s["oos_near"] == 0.0 and s["refusal_accuracy"] == 0.0 and s["oos_far"] is None


def test_a_question_about_one_document_counts_only_that_documents_measures():
    ranked = [("other", "二(四)4"), ("doc", "二(一)1"), ("doc", "二(四)4")]
    s = retrieval_scores(ranked, ["二(四)4"], doc="doc")
    assert s == {"hit@1": 0.0, "hit@5": 1.0, "recall@k": 1.0, "mrr": 1 / 3}
    assert retrieval_scores(ranked, ["二(四)4"])["hit@1"] == 1.0  # no doc on the question: any document's
    assert retrieval_scores([("other", "二(四)4")] * 5, ["二(四)4"], doc="doc")["recall@k"] == 0.0
    assert retrieval_scores(["二(四)4"], ["二(四)4"], doc="doc")["hit@1"] == 0.0  # document not known: no proof
    cited_elsewhere = Reply("..", False, [("other", "二(四)4")], [("other", "二(四)4")])
    assert citation_hit(cited_elsewhere, ["二(四)4"], "doc") == 0.0
    assert citation_hit(cited_elsewhere, ["二(四)4"]) == 1.0
    question = q(gold_ids=("二(四)4",), doc="doc")
    assert answer_scores(question, cited_elsewhere, CORPUS | {("other", "二(四)4")})["citation_hit"] == 0.0


def test_list_recall_is_the_share_of_gold_ids_cited_in_the_questions_document():
    question = q(category="list", gold_ids=("二(四)1", "二(四)2", "二(四)3"), doc="doc")
    reply = Reply("..", False, [("doc", "二(四)1"), ("doc", "二（四）3"), ("other", "二(四)2")])
    assert list_recall(question, reply) == 2 / 3
    assert list_recall(q(category="list", gold_ids=question.gold_ids), reply) == 1.0
    assert list_recall(question, Reply("没有涉及", True)) == 0.0
    assert list_recall(q(category="fact", gold_ids=("二(四)1",)), reply) is None
    assert answer_scores(question, reply, CORPUS)["list_recall"] == 2 / 3
    assert checks({"list_recall": 2 / 3}) == {"list_recall": False}


def test_near_out_of_scope_is_right_refused_or_partial_without_a_figure_of_its_own():
    near = q(category="out_of_scope", oos_kind="near", question="增量留抵退税现在是退60%还是全额退？")
    measure = "5.加强政策宣传辅导,对符合条件的企业实现增值税增量留抵退税政策“应享尽享”。(责任单位:区税务局)"
    partial = Reply("通知没有写明具体比例。区税务局负责。", False, [("doc", "二(五)5")], status="partial",
                    cited_texts=[measure])
    assert refusal_right(near, Reply("没有涉及", True, status="refused"))
    assert refusal_right(near, partial)
    assert refusal_right(near, Reply("通知没有写明比例，问的60%无从确认", False, status="partial"))  # the user's
    assert not refusal_right(near, Reply("通知没有写明，一般退50%", False, status="partial"))  # made up
    assert not refusal_right(near, Reply("可以退税", False, status="answered"))
    s = answer_scores(near, partial, CORPUS)
    assert (s["refusal_accuracy"], s["oos_near"], s["oos_far"]) == (1.0, 1.0, None)
    assert own_figures(near, Reply("退50%，10个工作日内到账", False)) == ["50%", "10个工作日"]
    for far in (q(category="out_of_scope"), q(category="out_of_scope", oos_kind="far"),
                q(category="out_of_scope", oos_kind="everyday")):
        s = answer_scores(far, partial, CORPUS)
        assert (s["refusal_accuracy"], s["oos_far"], s["oos_near"]) == (0.0, 0.0, None)
        assert answer_scores(far, Reply("没有涉及", True), CORPUS)["oos_far"] == 1.0
    answerable = q(gold_ids=("二(五)5",))
    assert answer_scores(answerable, partial, CORPUS)["refusal_accuracy"] == 1.0  # partial is an answer
