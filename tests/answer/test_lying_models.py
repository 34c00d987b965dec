"""A chat model that lies must not get its lies to the user: not in the stream, not in the answer."""
import pytest

from rag.llm.base import ModelTimeout
from rag.answer.events import Done, Replace, Token
from tests.answer.fakes import ScriptedChat

Q = "我们厂要接自来水，找哪个单位？"


def run(answerer, question=Q, mode="auto"):
    streamed, replaced, answer = "", False, None
    for e in answerer.stream(question, mode=mode):
        if isinstance(e, Token):
            streamed += e.text
        elif isinstance(e, Replace):
            replaced, streamed = True, ""
        elif isinstance(e, Done):
            answer = e.answer
    return streamed, replaced, answer


@pytest.mark.parametrize("lie, evidence", [
    ("根据【三(一)2】，接水由区自来水公司负责。", "三(一)2"),  # cites a measure that was not retrieved
    ("根据【二(四)4】，接水只要3个工作日，费用减免50%。", "50%"),  # invents figures
    ("根据【二(四)4】，接水请找区税务局办理。", "区税务局"),  # names a unit that is not responsible
    ("今天天气很好，适合出去散步。我们来聊聊足球吧。", "足球"),  # ignores the question
])
def test_lies_never_reach_the_user(answerer_with, lie, evidence):
    streamed, replaced, answer = run(answerer_with(ScriptedChat(lie)))
    assert evidence not in streamed and evidence not in answer.answer
    assert answer.mode == "extractive" and answer.notes and "摘录式" in answer.notes[-1]
    assert "区自来水公司" in answer.answer
    assert {c.id for c in answer.citations} <= set(answer.retrieved)


def test_honest_model_answer_is_kept_and_units_come_from_the_data(answerer_with):
    honest = "根据【二(四)4】，接水不用来回跑现场，全程在网上就能办。"
    streamed, replaced, answer = run(answerer_with(ScriptedChat(honest)))
    assert not replaced and answer.mode == "llm" and "不用来回跑现场" in answer.answer
    assert "责任单位：燃气市北销售有限公司嘉定分公司、区自来水公司、区水务局、区行政服务中心" in answer.answer
    assert streamed == answer.answer


def test_model_sentences_that_only_copy_the_measure_are_dropped(answerer_with):
    copy = "【二(四)4】\n根据【二(四)4】，供水接入推行全过程“一门式”集成服务和帮办服务，报装、查询、缴费都能网上办理。"
    streamed, replaced, answer = run(answerer_with(ScriptedChat(copy)))
    assert not replaced and answer.mode == "extractive" and streamed == answer.answer
    assert answer.phrasing is not None and answer.phrasing["kept"] == 0
    assert answer.phrasing.get("bare_id", 0) + answer.phrasing.get("copy", 0) + answer.phrasing.get("repeat", 0) >= 2
    assert not any(line.strip() == "【二(四)4】" for line in answer.answer.splitlines())


def test_model_sees_only_the_selected_measures_and_the_rules(answerer_with):
    chat = ScriptedChat("根据【二(四)4】，可以网上办理。")
    run(answerer_with(chat))
    system, user = chat.calls[0][0]["content"], chat.calls[0][-1]["content"]
    assert "只根据" in system and "【二(四)4】" in user and "<<<" in user


def test_model_failure_and_timeout_fall_back_to_extractive(answerer_with):
    for chat in (ScriptedChat("", fail=ModelTimeout("too slow")), ScriptedChat("", fail=RuntimeError("boom"))):
        _, _, answer = run(answerer_with(chat))
        assert answer.mode == "extractive" and not answer.refused and "区自来水公司" in answer.answer


def test_no_model_in_llm_mode_says_so(answerer_with):
    _, _, answer = run(answerer_with(None), mode="llm")
    assert answer.mode == "extractive" and any("没有可用的对话模型" in n for n in answer.notes)


def test_refusal_is_decided_before_the_model(answerer_with):
    chat = ScriptedChat("个人所得税税率是3%到45%。")
    _, _, answer = run(answerer_with(chat), question="个人所得税税率是多少？")
    assert answer.refused and chat.calls == [] and "45%" not in answer.answer


def test_a_law_article_cited_by_number_is_not_a_measure_citation(services):
    from rag.answer.guard import Guard

    m = services.corpus.lookup("二(四)4")[0]
    guard = Guard(services.corpus, [m], "接水找谁")
    assert guard.check("依据《中华人民共和国行政许可法》第四十二条，应当依法办理。") == []
    assert guard.check("根据【三(一)2】，请办理。")  # a measure that was not selected is still caught
