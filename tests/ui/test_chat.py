"""The chat's logic with a scripted answerer: streaming, follow-up history, refusal, errors, feedback."""
from __future__ import annotations

import pytest

from rag.answer.events import Done, Replace, Token
from rag.answer.model import Answer
from rag.feedback.store import FeedbackStore
from rag.llm.base import ModelBusy
from ui import chat, render


class ScriptedAnswerer:
    """Streams the events it is given and records what it was asked."""

    def __init__(self, *scripts):
        self.scripts, self.calls = list(scripts), []

    def stream(self, question, history=None, mode="auto", doc=None, *, channel=None, client=None):
        self.calls.append({"question": question, "history": history, "mode": mode})
        script = self.scripts.pop(0)
        if isinstance(script, Exception):
            raise script
        yield from script


def answer(text, ids=(), refused=False, corpus=None, lead=""):
    cites = [render.card_data(corpus.lookup(i)[0]) for i in ids] if corpus else []
    return Answer(answer=text, citations=cites, refused=refused, mode="extractive", retrieved=list(ids),
                  lead=lead or text).model_dump()


def events(done, *tokens, replace_after=None, quoted=()):
    out: list = []
    for i, t in enumerate(tokens):
        out.append(Token(text=t))
        if replace_after == i:
            out.append(Replace())
    return out + [Token(text=q, part="quoted") for q in quoted] + [Done(answer=Answer(**done))]


class Svc:
    def __init__(self, services, answerer):
        self.settings, self.answerer = services.settings, answerer


def run(svc, question, chat_value, turns, mode="auto"):
    """Every step as the page saw it: respond reuses its lists between yields, as Gradio allows."""
    return [(box, [dict(m) for m in c], list(t)) for box, c, t in chat.respond(svc, question, chat_value, turns, mode)]


def test_streams_tokens_then_renders_cards_and_keeps_the_turn(services, corpus):
    a = answer("请联系：区自来水公司（依据措施二(四)4）。\n相关措施原文：\n【二(四)4】…", ["二(四)4"], corpus=corpus,
               lead="请联系：区自来水公司（依据措施二(四)4）。")
    fake = ScriptedAnswerer(events(a, "请联系：", "区自来水公司（依据措施二(四)4）。\n",
                                   quoted=["相关措施原文：\n", "【二(四)4】…"]))
    steps = run(Svc(services, fake), "  我们厂要接自来水，找哪个单位？ ", [], [])
    assert not any("相关措施原文" in s[1][-1]["content"] for s in steps)  # quoted measures show as cards only
    assert [s[0] for s in steps] == [""] * len(steps)  # the box is cleared at once
    contents = [s[1][-1]["content"] for s in steps]
    assert "rag-streaming" in contents[0] and "请联系：" in contents[1] and "区自来水公司" in contents[2]
    final_chat, final_turns = steps[-1][1], steps[-1][2]
    assert final_chat[0] == {"role": "user", "content": "我们厂要接自来水，找哪个单位？"}
    assert "rag-card" in final_chat[1]["content"] and "rag-streaming" not in final_chat[1]["content"]
    assert final_turns == [{"question": "我们厂要接自来水，找哪个单位？", "answer": a}]
    assert fake.calls == [{"question": "我们厂要接自来水，找哪个单位？", "history": [], "mode": "auto"}]


def test_follow_up_sends_the_earlier_turns_as_history(services, corpus):
    first, second = answer("找区自来水公司。"), answer("找燃气公司。")
    fake = ScriptedAnswerer(events(first, "找区自来水公司。"), events(second, "找燃气公司。"))
    svc = Svc(services, fake)
    _, c, t = run(svc, "接自来水找谁？", [], [])[-1]
    _, c, t = run(svc, "那燃气呢？", c, t, "extractive")[-1]
    assert fake.calls[1]["history"] == [{"role": "user", "content": "接自来水找谁？"},
                                        {"role": "assistant", "content": "找区自来水公司。"}]
    assert fake.calls[1]["mode"] == "extractive"
    assert len(c) == 4 and len(t) == 2


def test_history_is_capped(services):
    turns = [{"question": f"q{i}", "answer": {"answer": f"a{i}"}} for i in range(10)]
    h = chat.history_of(turns, 3)
    assert [m["content"] for m in h] == ["q7", "a7", "q8", "a8", "q9", "a9"]
    assert chat.history_of(turns, 0) == []


def test_replace_discards_the_streamed_text(services):
    a = answer("摘录式回答")
    steps = run(Svc(services, ScriptedAnswerer(events(a, "模型乱说", "摘录式回答", replace_after=0))), "问题", [], [])
    streamed = [s[1][-1]["content"] for s in steps[:-1]]
    assert "模型乱说" in streamed[1] and "模型乱说" not in streamed[2]


def test_refusal_is_shown_as_a_notice(services):
    a = answer("本通知未涉及该问题。", refused=True)
    _, c, t = run(Svc(services, ScriptedAnswerer(events(a, "本通知未涉及该问题。"))), "火星上怎么开公司？", [], [])[-1]
    assert "rag-refused" in c[-1]["content"] and len(t) == 1


@pytest.mark.parametrize("failure, shown", [(RuntimeError("index gone"), "index gone"), (ModelBusy(7), "对话模型正忙，请约 7 秒后再试")])
def test_errors_are_said_and_the_turn_is_not_kept(services, failure, shown):
    _, c, t = run(Svc(services, ScriptedAnswerer(failure)), "问题", [], [])[-1]
    assert "rag-error" in c[-1]["content"] and shown in c[-1]["content"] and t == []


def test_blank_question_does_nothing(services):
    fake = ScriptedAnswerer()
    assert run(Svc(services, fake), "   ", [], []) == [("", [], [])]
    assert fake.calls == []


def test_feedback_on_latest_and_on_any_turn(tmp_path, corpus):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    turns = [{"question": "q1", "answer": answer("a1", ["二(四)4"], corpus=corpus)},
             {"question": "q2", "answer": answer("a2")}]
    msg = chat.save_feedback(store, turns, -1, "down", "  缺少地址 ")
    assert msg.startswith("✓") and "没帮助" in msg
    msg = chat.save_feedback(store, turns, chat.turn_of_message(1), "up", "")  # message 1 is the first answer
    rows = list(store)
    assert [(r.question, r.rating, r.comment, r.source) for r in rows] == [("q2", "down", "缺少地址", "ui"), ("q1", "up", "", "ui")]
    assert rows[1].citations[0]["id"] == "二(四)4"
    assert chat.save_feedback(store, [], -1, "up", "") == "还没有可以评价的回答。"
    assert "找不到" in chat.save_feedback(store, turns, 5, "up", "")
    assert "太长" in chat.save_feedback(store, turns, 0, "up", "x" * 2001)
    assert len(store) == 2


def test_turn_of_message():
    assert [chat.turn_of_message(i) for i in (1, 3, 5)] == [0, 1, 2]
    assert chat.turn_of_message([3, 0]) == 1
