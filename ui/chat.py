"""The chat tab, for enterprises: streamed answers with their cited measures, follow-ups, examples, feedback.

The conversation lives in two parallel values: the Chatbot's messages (rendered HTML) and a State of turns
(the question and the answer's contract dict), from which the follow-up history and the feedback are taken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import gradio as gr

from rag.answer.events import Done, Replace, Token
from rag.feedback.store import MAX_COMMENT_CHARS, Feedback, FeedbackStore
from rag.llm.base import ModelBusy
from rag.services import Services
from ui import render

log = logging.getLogger(__name__)

EXAMPLES = [
    "我们厂要接自来水，找哪个单位？",
    "开办企业可以在哪里一次办好？",
    "纳税缴费有哪些便利措施？",
    "二(四)4 是什么内容？",
    "区税务局负责哪些措施？",
]
MODES = [("自动", "auto"), ("摘录原文（最快）", "extractive"), ("模型生成", "llm")]
# icons are SVG files and marks are characters every CJK or DejaVu font has: no emoji font is installed here
ICONS = Path(__file__).parent / "icons"
SAVED = "✓"


def history_of(turns: list[dict], max_turns: int) -> list[dict]:
    """The earlier turns as the answerer's history: plain question and answer text, newest last."""
    out = []
    for t in turns[-max_turns:] if max_turns > 0 else []:
        out += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]["answer"]}]
    return out


def respond(svc: Services, question: str, chat: list, turns: list[dict], mode: str = "auto") -> Iterator[tuple]:
    """Stream one answer into the chat; yields (textbox, chat, turns)."""
    question = (question or "").strip()
    if not question:
        yield "", chat, turns
        return
    limit = svc.settings.server.max_query_chars
    if len(question) > limit:
        gr.Warning(f"问题太长了（最多 {limit} 个字），请精简后再问。")
        yield question, chat, turns
        return
    chat = list(chat or []) + [
        {"role": "user", "content": question},
        {"role": "assistant", "content": render.streaming_message("")},
    ]
    yield "", chat, turns
    text, answer = "", None
    try:
        history = history_of(turns, svc.settings.answer.max_history_turns)
        for event in svc.answerer.stream(question, history=history, mode=mode or "auto", channel="ui"):
            if isinstance(event, Replace):  # the chat model's text failed its check: the extractive answer follows
                text = ""
            elif isinstance(event, Token) and event.part == "lead":  # the quoted measures show as cards
                text += event.text
                chat[-1] = {"role": "assistant", "content": render.streaming_message(text)}
                yield "", chat, turns
            elif isinstance(event, Done):
                answer = event.answer.model_dump()
    except ModelBusy as exc:
        chat[-1] = {
            "role": "assistant",
            "content": render.error_message(
                f"对话模型正忙，请约 {exc.retry_after:.0f} 秒后再试，或在“回答方式”中选择“摘录原文”。"
            ),
        }
        yield "", chat, turns
        return
    except Exception as exc:  # the page must say so rather than spin forever
        log.exception("answering %r failed", question)
        chat[-1] = {"role": "assistant", "content": render.error_message(f"回答时出错：{exc}。请稍后再试。")}
        yield "", chat, turns
        return
    if answer is None:
        chat[-1] = {"role": "assistant", "content": render.error_message("回答没有完成，请再试一次。")}
        yield "", chat, turns
        return
    chat[-1] = {"role": "assistant", "content": render.answer_message(answer)}
    yield "", chat, list(turns) + [{"question": question, "answer": answer}]


def save_feedback(store: FeedbackStore, turns: list[dict], turn: int, rating: str, comment: str) -> str:
    """Store the rating of one turn; returns the confirmation (or the reason nothing was stored)."""
    if not turns:
        return "还没有可以评价的回答。"
    if not -len(turns) <= turn < len(turns):
        return "找不到这条回答，请刷新页面后再评价。"
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        return f"意见太长了（最多 {MAX_COMMENT_CHARS} 个字）。"
    t = turns[turn]
    a = t["answer"]
    fid = store.add(
        Feedback(
            rating=rating,
            question=t["question"],
            answer=a.get("answer", "") or "（空）",
            citations=a.get("citations", []),
            comment=comment,
            mode=a.get("mode", ""),
            source="ui",
        )
    )
    verdict = "有帮助" if rating == "up" else "没帮助"
    return f"{SAVED} 反馈已保存（编号 {fid}，{verdict}）。谢谢！"


def turn_of_message(index) -> int:
    """Chat messages alternate question, answer; the like event gives the message index."""
    i = index[0] if isinstance(index, (list, tuple)) else int(index)
    return i // 2


def build(svc: Services, store: Callable[[], FeedbackStore]) -> None:
    """The chat tab's components and events, inside the caller's Blocks."""
    turns = gr.State([])
    chat = gr.Chatbot(
        label="对话",
        height=520,
        elem_id="rag-chat",
        buttons=["copy"],
        sanitize_html=True,
        placeholder="请用中文提问，例如“我们厂要接自来水，找哪个单位？”。回答下方列出引用的措施和责任单位。",
        feedback_options=("Like", "Dislike"),
    )
    with gr.Row():
        box = gr.Textbox(
            placeholder="输入您的问题，按回车发送",
            show_label=False,
            scale=8,
            elem_id="rag-question",
            max_length=svc.settings.server.max_query_chars,
            autofocus=True,
        )
        send = gr.Button("发送", variant="primary", scale=1, elem_id="rag-send")
        clear = gr.Button("新对话", scale=1, elem_id="rag-clear")
    gr.Examples(EXAMPLES, inputs=[box], label="示例问题（点击填入）", examples_per_page=len(EXAMPLES))
    with gr.Accordion("回答方式", open=False):
        mode = gr.Radio(MODES, value=svc.settings.answer.mode, show_label=False, elem_id="rag-mode")
    with gr.Group(elem_id="rag-feedback"):
        gr.Markdown("**这条回答有帮助吗？** 评价最新的回答，或点对话里任一回答下的赞或踩。", padding=True)
        comment = gr.Textbox(
            label="意见（可选）",
            placeholder="哪里好、哪里不对、缺了什么",
            lines=2,
            max_length=MAX_COMMENT_CHARS,
            elem_id="rag-comment",
        )
        with gr.Row():
            up = gr.Button("有帮助", icon=str(ICONS / "thumb-up.svg"), elem_id="rag-up")
            down = gr.Button("没帮助", icon=str(ICONS / "thumb-down.svg"), elem_id="rag-down")
        status = gr.Markdown(elem_id="rag-feedback-status")

    def ask(q, c, t, m):
        yield from respond(svc, q, c, t, m)

    for trigger in (box.submit, send.click):
        # several at once: extractive answers are instant and must not wait behind a slow model generation,
        # which the chat model's own queue serialises (and falls back from when it is full)
        trigger(
            ask,
            [box, chat, turns, mode],
            [box, chat, turns],
            show_progress="minimal",
            concurrency_id="answer",
            concurrency_limit=4,
        )

    def rate_latest(rating):
        def fn(t, text):
            msg = save_feedback(store(), t, -1, rating, text)
            return msg, ("" if msg.startswith(SAVED) else text)

        return fn

    up.click(rate_latest("up"), [turns, comment], [status, comment])
    down.click(rate_latest("down"), [turns, comment], [status, comment])

    def rate_message(t, text, data: gr.LikeData):
        if data.liked not in (True, False):  # un-liking: nothing to store
            return gr.skip(), gr.skip()
        msg = save_feedback(store(), t, turn_of_message(data.index), "up" if data.liked else "down", text)
        return msg, ("" if msg.startswith(SAVED) else text)

    chat.like(rate_message, [turns, comment], [status, comment])
    clear.click(lambda: ([], [], "", ""), None, [chat, turns, box, status])
    chat.clear(lambda: ([], ""), None, [turns, status])  # the chat's own trash button: forget the turns too
