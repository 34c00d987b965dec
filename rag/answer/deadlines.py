"""Questions about time limits ("区经委有哪些有时限的任务？", "哪些工作要在2022年6月底前完成？") are
answered from the measures' deadline data (rag/corpus/deadlines.py), not from a search: the list must be
complete, and only the data knows every limit.

The intent test is a pattern of general words for time limits (时限, 期限, 截止, 什么时候完成, deadline): what
any notice's readers say about deadlines, not what one notice covers.
"""

from __future__ import annotations

import re

from rag.corpus.model import Measure

_ASKS = re.compile(
    r"时限|期限|截止|截至|到期|时间节点|时间要求|完成时间|办结时间|多久|多长时间|几个工作日|什么时候(?:前|之前)?(?:完成|办结|上线|到位|报送)|"
    r"何时(?:前)?(?:完成|办结)|(?:哪些|什么)[^，。？?]{0,8}(?:要|需要|须|必须)[^，。？?]{0,6}(?:前|以前|之前)完成|"
    r"(?i:deadlines?|due dates?|time limits?|by when)"
)


_LISTING = re.compile(r"哪些|有什么|有多少|列出|列一下|所有|全部|清单|汇总|(?i:\bwhich\b|\blist\b|what are|all the)")


def asks_deadlines(question: str) -> bool:
    """A question asking for a list of time-limited tasks (哪些…时限, list the deadlines), not for the time
    limit of one thing (办执照要多久 is answered by search, which quotes the measure)."""
    return bool(_ASKS.search(question)) and bool(_LISTING.search(question))


def compose(unit: str | None, measures: list[Measure], label: dict[str, str], roles_line, *, english: bool) -> str:
    """The units' (or the notice's) time-limited measures: each with its limits as written, its text and units."""
    who = unit or ("The notice" if english else "通知")
    if not measures:
        return (
            f"{who} names no time limit for these measures."
            if english
            else f"{who}{'负责的措施中' if unit else '中'}没有写明时限的任务。"
        )
    if english:
        lines = [f"{who} has {len(measures)} measure(s) with a time limit:"]
    else:
        lines = [f"{who}{'负责（或参与）的' if unit else '中'}有时限的任务共{len(measures)}项："]
    for m in measures:
        limits = "、".join(d.text for d in m.deadlines)
        lines += [f"【{label[m.key]}】{'time limit' if english else '时限'}：{limits}。{m.body}", roles_line(m)]
    return "\n".join(lines)
