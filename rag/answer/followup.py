"""Questions as retrieval should see them: follow-ups resolved against the conversation, and text that
tries to steer the system (instructions to ignore the context, fake citations) taken out."""

from __future__ import annotations

import re

from rag.corpus.ids import find_refs

_INJECTION = re.compile(
    r"忽略|无视|不要管|不用管|别管|忘掉|忘记(以上|之前|前面)|(以上|上述|之前的?)(要求|指令|规则|内容)|你现在是|扮演|系统提示|新的?指令|越狱|"
    r"(?i:ignore|disregard|forget (the|all|everything|previous)|system prompt|you are now|act as|pretend|"
    r"new instructions?|jailbreak|override)"
)
_BRACKETED_ID = re.compile(r"[\[【〔][^\]】〕]{1,20}[\]】〕]")
_FOLLOWUP = re.compile(
    r"^(那|那么|还有|另外|其中|这个|这条|这些|那个|那些|它|它们|他们|上面|刚才|前面|第[一二三四五六七八九十\d]+(条|个|项))|"
    r"^(?i:and |what about|how about|those|that|it |they |the (first|second|third)|more)"
)
_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)(?:条|个|项)|(?i:the (first|second|third|fourth|fifth)\b)")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def sanitize(question: str) -> tuple[str, bool]:
    """Drop bracketed citation markers and clauses that give the system instructions; say whether any were."""
    text = question.strip()
    only_id = _BRACKETED_ID.fullmatch(text)
    cleaned = text if only_id else _BRACKETED_ID.sub(" ", text)
    kept = []
    for sentence in re.split(r"(?<=[。！？!?\n])|(?<=\. )", cleaned):
        clauses = re.split(r"(?<=[；;，,])", sentence)
        hit = next((i for i, c in enumerate(clauses) if _INJECTION.search(c)), None)
        kept.append(sentence if hit is None else "".join(clauses[:hit]))  # an instruction runs to the sentence end
    result = "".join(kept).strip(" ，,。")
    if not result:  # the whole question was one instruction: keep what is not the trigger itself
        result = "".join(c for c in re.split(r"(?<=[。！？!?；;，,\n])", cleaned) if not _INJECTION.search(c)).strip(
            " ，,。"
        )
    changed = result != text
    return (result or cleaned.strip()), changed


def cited_ids(text: str) -> list[str]:
    """The ids written in the text, as the parser writes them (第4条 alone is left to the corpus)."""
    return [ref.canonical for ref in find_refs(text) if ref.canonical]


def last_exchange(history: list[dict]) -> str:
    """The conversation's last question and its answer, as one text: what a follow-up goes on from (an
    answer quotes its measures, so it says which notice the conversation is about)."""
    last_user = next((h["content"] for h in reversed(history) if h.get("role") == "user"), "")
    last_answer = next((h["content"] for h in reversed(history) if h.get("role") == "assistant"), "")
    return f"{last_user} {last_answer}".strip()


def resolve(question: str, history: list[dict]) -> str:
    """The question with what it leaves out filled in from the conversation."""
    if not history:
        return question
    last_user = next((h["content"] for h in reversed(history) if h.get("role") == "user"), "")
    last_answer = next((h["content"] for h in reversed(history) if h.get("role") == "assistant"), "")
    m = _ORDINAL.search(question)
    if m and last_answer:
        n = _CN.get(m.group(1), 0) if m.group(1) and not m.group(1).isdigit() else int(m.group(1) or 0)
        n = n or _EN.get((m.group(2) or "").lower(), 0)
        ids = list(dict.fromkeys(re.findall(r"【(?:[^】\s]+ )?([^】]+)】", last_answer)))
        if 1 <= n <= len(ids):
            return f"{ids[n - 1]} {question}"
    short = len(re.sub(r"\W", "", question)) <= 10
    if _FOLLOWUP.search(question.strip()) or short:
        return f"{last_user} {question}".strip()
    return question
