"""The chat model restates a question in a notice's own register ("老板跑路了工钱没结" → "拖欠工资 劳动保障"),
and a second search runs on the question plus that restatement. The model only adds search words: scope
is judged on the question as asked, and what is cited still comes from retrieval and the structured data.

Used in `llm` and `auto` modes for questions the learned scope judgement admits (not for measure ids or a
unit's remit, which structure answers). On the dev split it raised hit@1 of the second search (README,
Rewriting); it costs one short generation (p50 about a second here) before the answer starts.
"""

from __future__ import annotations

import logging

from rag.llm.base import ChatModel, ModelBusy, ModelTimeout, ModelUnavailable
from rag.llm.usage import TokenTally

log = logging.getLogger(__name__)
SYSTEM = (
    "你是政府文件检索助手。把用户的口语问题改写成政府政策文件里会用的正式术语，只输出一行关键词，用空格分开，不要解释。"
)
SYSTEM_EN = (
    "You help search a Chinese government policy notice. Rewrite the user's question as the formal Chinese "
    "terms such a notice would use. Output one line of Chinese keywords separated by spaces, nothing else."
)


class QueryRewriter:
    def __init__(self, chat: ChatModel, max_tokens: int = 40, timeout_s: float = 8.0, max_chars: int = 100):
        self.chat, self.max_tokens, self.timeout_s, self.max_chars = chat, max_tokens, timeout_s, max_chars

    def rewrite(self, question: str, english: bool = False, tally: TokenTally | None = None) -> str | None:
        """One line of the notice's terms for the question, or None when the model cannot give one in time.
        The generation's token counts go to `tally`, the answer's."""
        messages = [
            {"role": "system", "content": SYSTEM_EN if english else SYSTEM},
            {"role": "user", "content": question[:600]},
        ]
        try:
            pieces = self.chat.stream(messages, max_tokens=self.max_tokens, temperature=0.0, timeout_s=self.timeout_s)
            text = "".join((tally or TokenTally()).text(pieces))
        except (ModelBusy, ModelTimeout, ModelUnavailable) as exc:
            log.info("no rewrite: %s", exc)
            return None
        except Exception:  # a back-end bug costs the second search, never the answer
            log.exception("rewrite failed")
            return None
        line = next((s.strip() for s in text.splitlines() if s.strip()), "")
        return line[: self.max_chars] or None
