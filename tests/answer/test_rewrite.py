"""The chat model's restatement of an unsure question feeds a second search; it never decides scope or
what may be cited."""
from __future__ import annotations

from rag.answer.rewrite import QueryRewriter
from rag.llm.base import ModelBusy
from tests.answer.conftest import without_bank
from tests.answer.fakes import ScriptedChat

UNSURE = "工地老板跑路了，跟着干活的兄弟们半年的钱都没结，找谁能管"


class RewriteThenAnswer:
    """Gives a restatement to the first call and an answer to the rest."""

    name = "fake/rewrite"

    def __init__(self, rewrite: str, answer: str):
        self.rewrite, self.answer, self.calls = rewrite, answer, []

    def stream(self, messages, *, max_tokens, temperature, timeout_s):
        self.calls.append(messages)
        yield self.rewrite if len(self.calls) == 1 else self.answer


def test_rewriter_returns_one_line_or_nothing():
    assert QueryRewriter(ScriptedChat("拖欠工资 农民工\n解释：……")).rewrite("工钱没结") == "拖欠工资 农民工"
    assert QueryRewriter(ScriptedChat("", fail=ModelBusy())).rewrite("工钱没结") is None
    assert QueryRewriter(ScriptedChat("   ")).rewrite("工钱没结") is None


def test_an_unsure_question_is_searched_again_with_the_restatement(answerer_with, services):
    # on corpus evidence alone (the question bank makes this question a sure one)
    first = without_bank(services.retriever).retrieve(UNSURE, 2)
    assert first[0].score - first[1].score < services.settings.answer.rewrite_margin  # the case rewriting is for
    chat = RewriteThenAnswer("拖欠农民工工资 欠薪 维权", "请看措施。")
    answer = answerer_with(chat, rewrite=True, bank=False).ask(UNSURE, mode="auto")
    assert len(chat.calls) == 2  # the restatement, then the answer
    assert "检索助手" in chat.calls[0][0]["content"] and UNSURE in chat.calls[0][1]["content"]
    assert any("改写" in n for n in answer.notes)
    assert all(c.id in answer.retrieved for c in answer.citations)


def test_no_rewrite_in_extractive_mode_or_for_structure(answerer_with):
    chat = RewriteThenAnswer("无关 词语", "请看措施。")
    answerer = answerer_with(chat, rewrite=True)
    answerer.ask(UNSURE, mode="extractive")
    answerer.ask("二(四)4说了什么", mode="auto")
    answerer.ask("区税务局负责哪些措施？", mode="auto")
    assert not any("检索助手" in call[0]["content"] for call in chat.calls)


def test_a_refused_question_is_not_rewritten(answerer_with):
    chat = RewriteThenAnswer("企业开办 营业执照", "请看措施。")
    answer = answerer_with(chat, rewrite=True).ask("2025年的营商环境新政策有哪些？", mode="auto")
    assert answer.refused and chat.calls == []
