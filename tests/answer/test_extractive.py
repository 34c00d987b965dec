"""Extractive answers on the development set: units, figures, citations and refusals."""
import re
import unicodedata

import pytest

from rag.answer.header import other_year
from rag.corpus.ids import normalize_id


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("（", "(").replace("）", ")")


@pytest.fixture(scope="module")
def answered(services, qa_rows):
    return [(r, services.answerer.ask(r["question"], mode="extractive")) for r in qa_rows]


def test_units_figures_citations_on_dev_set(answered):
    units = facts = cites = 0.0
    nu = nf = nc = 0
    for r, a in answered:
        text = norm(a.answer)
        if r["gold_units"]:
            nu += 1
            units += sum(norm(u) in text for u in r["gold_units"]) / len(r["gold_units"])
        if r["answer_facts"]:
            nf += 1
            facts += sum(norm(f) in text for f in r["answer_facts"]) / len(r["answer_facts"])
        if r["gold_ids"]:
            nc += 1
            cites += any(normalize_id(g) in {c.id for c in a.citations} for g in r["gold_ids"])
    # 0.980 on this set since the word tables tuned to it were removed (0.995 with them)
    assert units / nu >= 0.97
    assert facts / nf >= 0.95
    assert cites / nc >= 0.95


def test_refusals_on_dev_set(answered):
    wrong = [(r["question"], a.refused) for r, a in answered if a.refused != (r["category"] == "out_of_scope")]
    assert len(wrong) <= 2, wrong
    for r, a in answered:
        if a.refused:
            assert a.answer.startswith("本通知未涉及") and a.citations == []


def test_citations_are_retrieved_and_carry_structured_units(answered, corpus):
    for _, a in answered:
        for c in a.citations:
            assert c.id in a.retrieved
            m = corpus.by_key[f"{c.doc}:{c.id}"]
            assert c.units == list(m.units) and c.text == m.text


def test_english_question_gets_english_answer_with_official_names(services):
    a = services.answerer.ask("Who do I contact to get a water connection for my factory?", mode="extractive")
    assert a.answer.startswith("Contact:")
    assert "区自来水公司 (water supply company)" in a.answer


@pytest.mark.parametrize("question, fact", [("企业间不动产转移登记多长时间办完？", "90分钟"),
                                            ("政务服务可网办能力要达到多少？", "95%"),
                                            ("市级惠企政策平台什么时候上线？", "2021年6月前")])
def test_figures_quoted_as_the_notice_writes_them(services, question, fact):
    assert fact in services.answerer.ask(question, mode="extractive").answer


def test_unit_remit_lists_every_measure(services):
    a = services.answerer.ask("区税务局负责哪些措施？", mode="extractive")
    assert len(a.citations) == 15 and a.answer.startswith("区税务局负责")


def test_a_header_question_about_another_years_document_is_not_answered_with_this_header(services):
    for q in ["嘉定区2023年营商环境方案是什么时候发布的", "嘉定区2022年的优化营商环境文件文号是多少"]:
        a = services.answerer.ask(q, mode="extractive")
        assert a.refused and "嘉府发〔2021〕7号" not in a.answer.split("本系统")[0]
    assert "嘉府发〔2021〕7号" in services.answerer.ask("2021年这个方案的文号是多少").answer
    docs = services.corpus.documents
    assert other_year("When was the 2019 plan issued?", "date", docs, True) == 2019
    assert other_year("嘉府发〔2022〕1号的发文日期", "date", docs, False) == 2022
    assert other_year("嘉定区2020年营商环境方案是什么时候发布的", "date", docs, False) == 2020
    # amounts are not years; the basis and the title name other documents' years
    for q, field in [("补贴2000多元的这个文件文号是多少", "doc_number"), ("注册资本2000万的企业看的文件文号", "doc_number"),
                     ("这份文件的依据是2020年出台的《上海市优化营商环境条例》吗", "basis")]:
        assert other_year(q, field, docs, False) is None
        assert not services.answerer.ask(q, mode="extractive").refused
    a = services.answerer.ask("嘉定区2020年营商环境方案是什么时候发布的", mode="extractive")
    assert a.refused and "2020年" in a.answer and "2021-04-28" not in a.answer


def test_header_questions(services):
    assert "嘉府发〔2021〕7号" in services.answerer.ask("这份通知的文号是多少？").answer
    assert "2021-04-28" in services.answerer.ask("这个文件是哪天发的？").answer
    assert "上海市优化营商环境条例" in services.answerer.ask("实施方案依据哪些文件制定？").answer
    a = services.answerer.ask("通知主送给哪些单位？")
    assert "各镇人民政府" in a.answer and not a.refused and a.citations == []


# a later year is refused by rule; the rest (a place no notice covers among them) by the learned judgement, whose
# rates over many questions tests/answer/test_scope.py checks
@pytest.mark.parametrize("question", ["个人所得税税率是多少？", "明天会下雨吗", "浦东新区的人才落户政策？",
                                      "2023年的营商环境新政策有哪些？", "北京的企业开办流程是怎样的？"])
def test_out_of_scope_is_refused(services, question):
    a = services.answerer.ask(question)
    assert a.refused and "本通知未涉及" in a.answer
