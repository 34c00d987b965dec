"""Answer-shape metrics: the opening quotes a clause of a cited measure; no bare id lines, no measure twice."""
from rag.evaluation.dataset import Question
from rag.evaluation.scoring import Reply, answer_scores, checks
from rag.evaluation.shape import bare_id_lines, body, clauses, clean_shape, opening_clause, opening_of

# as the corpus holds them: the item number first, the units last in parentheses that nest
COURT = ("9.完善全流程网上办案体系,当事人在网上诉讼服务平台已提交立案材料的,原则上无需重复提交纸质版本。"
         "(责任单位:区法院)")
ONLINE = ("1.进一步加强系统集成、资源共享和业务协同,实现政务服务可网办能力达到95%以上。"
          "(责任单位:区行政服务中心(区大数据中心)、区府办)")
QUOTED = ("【二(十一)9】完善全流程网上办案体系,当事人在网上诉讼服务平台已提交立案材料的,原则上无需重复提交纸质版本。\n"
          "责任单位：区法院")


def test_a_measure_body_leaves_out_its_number_and_its_units():
    assert body(ONLINE) == "进一步加强系统集成、资源共享和业务协同,实现政务服务可网办能力达到95%以上。"
    assert body(COURT).startswith("完善全流程") and body(COURT).endswith("纸质版本。")
    assert body("(三)支持企业发展。") == "支持企业发展。"
    assert clauses(COURT) == ["完善全流程网上办案体系", "当事人在网上诉讼服务平台已提交立案材料的",
                              "原则上无需重复提交纸质版本"]
    assert "区法院" not in "".join(clauses(COURT))
    assert clauses("1.加强监管,推进改革,优化营商环境。(责任单位:区府办)") == ["优化营商环境"]  # short clauses dropped


def test_the_opening_must_quote_a_clause_of_a_cited_measure():
    generic = "请联系：区法院（依据措施二(十一)9）。\n相关措施原文：\n" + QUOTED
    assert opening_clause(generic, "", [COURT]) == 0.0
    answering = "原则上无需重复提交纸质版本（依据措施二(十一)9，区法院负责）。\n" + QUOTED
    assert opening_clause(answering, "", [COURT]) == 1.0
    # Answer.opening wins over the text; full-width commas and spaces are folded on both sides
    opening = "当事人在网上诉讼服务平台 已提交立案材料的，原则上无需重复提交纸质版本。"
    assert opening_clause(generic, opening, [COURT]) == 1.0
    assert opening_clause(generic, "", []) is None  # nothing cited: nothing to quote from


def test_validity_warnings_are_not_the_opening():
    text = "注意：该通知有效期至2024年12月31日，已失效。\n\n原则上无需重复提交纸质版本。\n" + QUOTED
    assert opening_of(text) == "原则上无需重复提交纸质版本。"
    assert opening_of("Note: this notice has expired.\nThe court handles it.") == "The court handles it."
    assert opening_clause(text, "", [COURT]) == 1.0


def test_clean_shape_catches_bare_id_lines_and_a_measure_quoted_twice():
    assert clean_shape(QUOTED, [COURT]) == 1.0  # id and text on one line: a quotation, not a bare id
    assert bare_id_lines("区法院负责。\n【二(十一)9】\n完善全流程网上办案体系") == ["【二(十一)9】"]
    assert clean_shape("区法院负责。\n 【二（十一）9】 \n完善全流程网上办案体系", [COURT]) == 0.0
    assert clean_shape("见[二(七)]\n【区法院】", []) == 1.0  # brackets around other things are fine
    twice = QUOTED + "\n" + QUOTED.replace("【二(十一)9】", "")
    assert clean_shape(twice, [COURT]) == 0.0


def test_shape_metrics_are_scored_on_answered_questions_only():
    question = Question("x", "how_to", "法院还要纸质材料吗", ("二(十一)9",))
    answered = Reply("请联系：区法院。\n" + QUOTED, False, [("d", "二(十一)9")], [("d", "二(十一)9")],
                     cited_texts=[COURT])
    s = answer_scores(question, answered, {("d", "二(十一)9")})
    assert (s["opening_clause"], s["clean_shape"]) == (0.0, 1.0)
    assert checks(s)["opening"] is False and checks(s)["shape"] is True
    refused = answer_scores(question, Reply("【二(十一)9】", True), set())
    assert refused["opening_clause"] is None and refused["clean_shape"] is None
