"""The answer's opening, what the notice does not state, lists and the model's words worth keeping: on the
real corpus, without the embedding model (fast tier)."""

from __future__ import annotations

import pytest

from rag.answer import extractive
from rag.answer.answering_clause import answering_clause, candidates
from rag.answer.detail import Detail, asked_detail, asked_details, gives, states
from rag.answer.highlight import Highlighter
from rag.answer.listing import asks_list, group_of, heads_a_group, list_measures
from rag.answer.novelty import Dropped, Novelty
from rag.answer.opening import asks_who
from rag.answer.steps.search import follow_up_hits
from rag.retrieval.hit import Hit


@pytest.fixture(scope="module")
def idf(corpus):
    return Highlighter(corpus).idf


def measure(corpus, mid):
    return next(m for m in corpus.measures if m.id == mid)


PAPER = "我已经在网上把起诉书和证据都上传了，法院还让我打印一套纸的送过去，这个还有必要吗？"


def test_the_answering_clause_is_the_one_that_settles_the_question(corpus, idf):
    clause = answering_clause(PAPER, measure(corpus, "二(十一)9"), idf, asked_detail(PAPER))
    assert "原则上无需重复提交纸质版本" in clause.text  # not only "…已提交立案材料的"


def test_a_condition_runs_on_into_what_follows_from_it():
    body = "对符合条件的小微企业,在申请贷款时,由区财政给予贴息支持,最高不超过贷款利息的50%,其他情形按有关规定执行。"
    runs = candidates(body * 2)
    assert any(r.startswith("对符合条件的小微企业,在申请贷款时,由区财政给予贴息支持") for r in runs)


@pytest.mark.parametrize("question, kind", [
    ("增量留抵退税现在是退60%还是全额退？", Detail.RATE),
    ("补贴一共能拿多少钱？", Detail.MONEY),
    ("办下来要多久", Detail.DURATION),
    ("截止日期是哪天？", Detail.DATE),
    ("窗口的联系电话是多少", Detail.CONTACT),
    ("申请要准备哪些材料？", Detail.MATERIALS),
    ("清单里具体有哪些项目？", Detail.ITEMS),
    ("What documents do I need?", Detail.MATERIALS),
    ("Where is the service centre?", Detail.PLACE),
    # a payment verb or a money noun before 多少, multiples, years, scores, an address (dev near misses)
    ("评上优秀企业家，奖金有多少？", Detail.MONEY),
    ("装了电梯后续筹维修资金，每平方米要交多少？", Detail.MONEY),
    ("融资担保的放大倍数要扩到几倍？", Detail.RATE),
    ("增值税增量留抵退税能退多少比例？", Detail.RATE),
    ("保费费率是多少？", Detail.RATE),
    ("成套改造 第二轮征询 签约比例", Detail.RATE),  # a fragment ending in the rate's name
    ("保租房一次最长能签几年合同？", Detail.DURATION),
    ("考评打多少分算不合格？", Detail.COUNT),
    ("人才公寓 具体地址", Detail.PLACE),
])
def test_the_detail_a_question_asks_for(question, kind):
    asked = asked_detail(question)
    assert asked is not None and asked.kind is kind


@pytest.mark.parametrize("question", [
    "我们厂要接自来水，找哪个单位？",
    "听说要跑好几个部门，能不能在网上一起办？",  # 好几个 tells, it does not ask
    "我们手上有几个发明专利，想押给银行贷点款",
    "Is there a centre where media companies can register?",  # a relative "where"
    "How is a lift subsidised when adding one to an old building?",  # a conjunction "when"
    "地址和经营范围也能自己填吗？",
    "电梯用个十几年总要大修，到时候这钱从哪出？",  # 十几年 tells how long it is used, it does not ask
    # a rate's name as the topic, not asked: who handles it, whether it can go down
    "单位安排残疾人超过比例给奖励这件事，是哪几个单位负责的？",
    "我们厂去年一起工伤都没出，工伤保险费率能再往下调吗？",
])
def test_no_detail_is_read_where_none_is_asked(question):
    assert asked_detail(question) is None


def test_what_a_text_gives():
    assert gives(Detail.MONEY, "最高给予50万元补贴") and not gives(Detail.MONEY, "加强政策宣传辅导")
    assert gives(Detail.RATE, "按实际发生额的30%给予补贴") and gives(Detail.RATE, "三分之二以上业主同意")
    assert not gives(Detail.RATE, "按一定比例给予补贴")  # a rate is stated by a figure
    assert gives(Detail.DURATION, "5个工作日内办结") and gives(Detail.DATE, "2022年6月底前完成")
    assert gives(Detail.ITEMS, "包括营业执照、税务登记、社保登记等事项")
    assert not gives(Detail.ITEMS, "（一）完善保护名录。")  # a section's heading is not a list
    assert not gives(Detail.DATE, "按照每户每月3500元标准发放")  # a frequency is not a date
    assert not gives(Detail.HOURS, "不动产登记完成后3个工作日内可申请提取")  # a duration's unit, not hours
    assert not gives(Detail.MATERIALS, "申请材料齐全的，在受理后10个工作日内完成审核")  # names no document
    assert gives(Detail.MATERIALS, "应提交以下材料：（1）社会保险费缓缴申请表；（2）按期补缴承诺书。")


def test_every_detail_a_question_asks_is_read():
    kinds = [a.kind for a in asked_details("失业保险金每个月能领多少钱，能领几个月？")]
    assert kinds == [Detail.DURATION, Detail.MONEY]
    assert [a.kind for a in asked_details("办下来要多少天")] == [Detail.DURATION]  # 多少 inside 多少天
    english = "How long does arbitration take, and by how much can it be extended?"
    assert [a.kind for a in asked_details(english)] == [Detail.DURATION]  # English: its first cue only


def test_a_date_asked_to_the_day_needs_a_day():
    asked = asked_detail("区级平台具体哪天上线？")
    assert asked is not None and asked.kind is Detail.DATE
    assert not asked.given_by("市级平台2021年6月前上线通行") and asked.given_by("2021年6月30日前上线")
    month = asked_detail("技能竞赛今年几月份报名？")
    assert month is not None and not month.given_by("每年举办2024年技能竞赛") and month.given_by("每年9月报名")


def test_a_figure_about_something_else_does_not_state_the_detail(idf):
    q = "小区集中充电桩充一次电收多少钱？"
    asked = asked_detail(q)
    assert asked is not None and asked.kind is Detail.MONEY
    elevator = "对既有多层住宅加装电梯的，每台补贴10万元。"
    assert states(asked, q, elevator, idf, 0.0)  # by the kind alone it would count
    assert not states(asked, q, elevator, idf, 0.2)
    assert states(asked, q, "小区集中充电设施充电收费按每度电0.8元执行。", idf, 0.2)
    english = asked_detail("How much is charged per charge?")
    assert english is not None and states(english, "How much is charged per charge?", elevator, idf, 0.2)


def test_a_score_is_given_in_points_not_by_a_count():
    asked = asked_detail("物业服务考评打多少分算不合格？")
    assert asked is not None and asked.kind is Detail.COUNT
    assert not asked.given_by("每年对物业服务企业开展一次服务质量考评") and not asked.given_by("30分钟内到达")
    assert asked.given_by("考评得分低于60分的，为不合格")


def test_the_detail_must_be_stated_by_the_measure_the_answer_leads_with(corpus, idf):
    # the simple-deregistration measure gives no time; the 90 minutes of a measure cited below it are another matter
    q = "企业间转让厂房，简易注销和登记现在要多长时间能办完？"
    lead, below = measure(corpus, "二(一)6"), measure(corpus, "二(三)2")
    asked = asked_detail(q)
    assert asked is not None and states(asked, q, below.body, idf, 0.2) and not states(asked, q, lead.body, idf, 0.2)
    composed = extractive.compose([lead, below], {lead.doc: corpus.documents[0]}, english=False, question=q, idf=idf)
    assert composed.status == "partial" and composed.lead.startswith("通知没有写明")


def test_a_detail_the_measure_does_not_give_is_said_first(corpus, idf):
    q = "增量留抵退税现在是退60%还是全额退？"
    m = measure(corpus, "二(五)5")
    composed = extractive.compose([m], {m.doc: corpus.documents[0]}, english=False, question=q, idf=idf)
    assert composed.status == "partial" and composed.unstated == "具体比例或费率"
    assert composed.lead.startswith("通知没有写明具体比例或费率") and "二(五)5" in composed.opening
    assert "区税务局" in composed.lead  # where to ask
    assert "60%" not in composed.lead  # no figure of its own


def test_the_opening_quotes_the_measure_and_the_quote_is_not_repeated(corpus, idf):
    m = measure(corpus, "二(十一)9")
    composed = extractive.compose([m], {m.doc: corpus.documents[0]}, english=False, question=PAPER, idf=idf)
    assert composed.status == "answered" and composed.opening.endswith("（措施二(十一)9）。")
    assert "原则上无需重复提交纸质版本" in composed.opening
    assert composed.text.count("原则上无需重复提交纸质版本") == 1  # quoted whole above, named below
    assert "请联系：区法院" in composed.lead


def test_a_who_question_names_the_units_first_with_what_they_do(corpus, idf):
    q = "我们厂要接自来水，找哪个单位？"
    assert asks_who(q)
    m = measure(corpus, "二(四)4")
    composed = extractive.compose([m], {m.doc: corpus.documents[0]}, english=False, question=q, idf=idf)
    assert composed.opening.startswith("请联系：燃气市北销售有限公司嘉定分公司、区自来水公司、区水务局、区行政服务中心")
    assert "：" in composed.opening.split("）", 1)[1]  # then what the measure has them do


def test_a_list_question_gets_the_whole_section(corpus, idf):
    q = "办理破产方面有哪些具体措施？"
    assert asks_list(q) and not asks_list("申请要准备哪些材料？")
    groups: dict = {}
    for m in corpus.measures:
        groups.setdefault(group_of(m), []).append(m)
    top = measure(corpus, "二(十二)2")
    hits = [Hit(top, 1.0), Hit(measure(corpus, "二(十二)1"), 0.9), Hit(measure(corpus, "二(三)1"), 0.5)]
    found = list_measures(q, hits, groups, idf, title_share=0.5, gathered=2, margin=0.35, limit=20)
    assert [m.id for m in found.measures] == ["二(十二)1", "二(十二)2", "二(十二)3", "二(十二)4"]
    composed = extractive.compose(
        found.measures, {top.doc: corpus.documents[0]}, english=False, question=q, idf=idf, listing=found.heading
    )
    assert composed.lead.startswith("通知中“办理破产”措施共4项：") and composed.quoted == ""
    assert all(f"二(十二){i}：" in composed.lead for i in range(1, 5))


def test_list_questions_that_name_the_measures_first_or_a_part_of_the_heading(corpus, idf):
    for q in ("这个文件里，促进青年就业的措施一共有哪些？", "社保缓缴 相关条款 全部列一下", "相关的规定一共有几条？"):
        assert asks_list(q), q
    assert not asks_list("这个措施有哪些要求") and not asks_list("这条规定什么时候施行？")
    bankruptcy = [Hit(measure(corpus, f"二(十二){i}"), 1.0 - i / 10) for i in range(1, 5)]
    # 破产 is the rare half of 办理破产: named by its characters, though a third by its bigrams (理破 is as rare)
    assert heads_a_group("破产那块一共有几条措施啊", bankruptcy, idf, title_share=0.5, gathered=2)
    assert not heads_a_group("办理那块一共有几条措施啊", bankruptcy, idf, title_share=0.5, gathered=2)


def test_a_list_question_under_a_heading_of_the_notice_is_in_scope(corpus, idf):
    section = [Hit(measure(corpus, f"四(二){i}"), 1.0 - i / 10) for i in range(1, 5)]
    assert heads_a_group("“帮办服务”那一节下面具体列了哪几条？", section, idf, title_share=0.5, gathered=2)
    assert asks_list("政务服务“好差评”这一块的措施全部列一下") and not asks_list("这条措施列入清单了吗")
    # not a list question, or the heading not named: the scope model decides as for any question
    assert not heads_a_group("帮办服务找谁？", section, idf, title_share=0.5, gathered=2)
    assert not heads_a_group("养老金有哪些政策？", section, idf, title_share=0.5, gathered=2)


def test_model_sentences_that_only_repeat_are_dropped():
    novelty = Novelty("完善全流程网上办案体系,当事人在网上诉讼服务平台已提交立案材料的,原则上无需重复提交纸质版本。", "请联系：区法院")
    assert novelty.judge("【二(十一)9】") is Dropped.BARE_ID
    assert novelty.judge("当事人在网上诉讼服务平台已提交立案材料的，原则上无需重复提交纸质版本。") is Dropped.COPY
    assert novelty.judge("也就是说，您不必再把纸质材料送到法院。") is None
    assert novelty.judge("也就是说，您不必再把纸质材料送到法院。") is Dropped.REPEAT
    assert novelty.kept == 1 and novelty.dropped[Dropped.COPY] == 1


def test_a_follow_up_ranks_what_it_newly_asks_first(corpus):
    permits, inspections = measure(corpus, "二(二)1"), measure(corpus, "二(二)10")
    alone = [Hit(inspections, 0.9), Hit(permits, 0.3)]
    completed = [Hit(permits, 1.0), Hit(inspections, 0.4)]
    assert [h.measure.id for h in follow_up_hits(alone, completed, 0.5, 8)] == ["二(二)10", "二(二)1"]
    # where the follow-up alone says little, the conversation decides
    vague = [Hit(inspections, 0.2), Hit(permits, 0.15)]
    assert follow_up_hits(vague, completed, 0.5, 8)[0].measure.id == "二(二)1"
