"""Questions that ask for every measure on a topic: "办理破产方面有哪些具体措施？" wants the whole group of
measures the notice puts under that heading, not the three best hits.

Which group: the section (or, where parts have no sections, the part) of the best hit, when the question
names its heading or the best hits gather in it; otherwise every hit that scores near the best. A unit's
whole remit and a section named by its id are listed by retrieval already (rag/retrieval/hybrid.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rag.answer.highlight import grams
from rag.corpus.model import Measure
from rag.retrieval.hit import Hit

# a listing word next to a word for measures: 哪些措施, 列了哪些, 一共有几项, 都有什么政策; which measures
_ASKS_LIST = re.compile(
    r"(?:哪些|哪几(?:条|项|个)?|几项|几条|所有|全部|都有(?:什么|啥|哪些)|有什么|有啥|列了|列出|列举|一共|总共|汇总|梳理)"
    r"(?:具体|相关|的|主要|支持|扶持|优惠){0,2}(?:措施|政策|举措|条款|条|项|规定|任务|内容|支持|补贴|扶持|服务)"
    # the measures first, then the listing: 这一块的措施全部列一下, 相关条款 全部列一下, 相关政策都列出来,
    # 措施一共有哪些, 规定一共有几条, 措施有哪几条
    r"|(?:措施|政策|举措|条款)\s*(?:全部|都|全|一一)?\s*(?:列|罗列)(?:一下|出来|个|举|出)"
    r"|(?:措施|政策|举措|条款|规定)(?:一共|总共|都)有?(?:哪些|哪几(?:条|项)|几(?:条|项)|什么)"
    r"|(?:措施|政策|举措|条款|规定)有?(?:哪几(?:条|项)|几(?:条|项))"
    r"|(?i:\b(?:list|all)\b.{0,20}\b(?:measures|policies|support)|\bwhich measures\b|\bwhat measures\b)"
)


@dataclass(frozen=True)
class Listing:
    """The measures a list question asks for, in the notice's order, and the heading they share (if any)."""

    measures: list[Measure]
    heading: str


def asks_list(question: str) -> bool:
    return _ASKS_LIST.search(question) is not None


def group_of(m: Measure) -> tuple[str, str, str]:
    """The group a measure is listed with: its section, or its part where the part has no sections (or the
    section is itself the measure)."""
    return (m.doc, m.part, m.section if m.item is not None else "")


def heading_of(m: Measure) -> str:
    return m.section_title if m.item is not None and m.section else m.part_title


def names_heading(question: str, hits: Sequence[Hit], idf: Mapping[str, float], title_share: float) -> bool:
    """Whether the question names the heading of the best hit's group: a `title_share` of the heading's
    weighted bigrams ("长三角那边营商环境一体化" names 长三角营商环境整体提升), or of its weighted characters
    within the stretches of two or more it shares with the question. The second reads "破产那块" as naming
    办理破产: by bigrams it names a third (the cross-word bigram 理破 is as rare as 破产), by characters the
    rare 破 and 产 against the common 办 and 理."""
    if not hits:
        return False
    heading = heading_of(hits[0].measure)
    head = grams(heading)
    weight = sum(idf.get(g, 0.0) for g in head if len(g) == 2) or 1.0
    if sum(idf.get(g, 0.0) for g in head & grams(question) if len(g) == 2) / weight >= title_share:
        return True
    return _shared_stretches(question, heading, idf) >= title_share


def _shared_stretches(question: str, heading: str, idf: Mapping[str, float]) -> float:
    """The idf weight of the heading's characters that lie in a stretch of two or more the question also
    holds, as a share of all its characters' weight."""
    covered: set[int] = set()
    for i in range(len(heading) - 1):
        j = i + 2
        while j <= len(heading) and heading[i:j] in question:
            covered.update(range(i, j))
            j += 1
    total = sum(idf.get(c, 0.0) for c in heading) or 1.0
    return sum(idf.get(heading[k], 0.0) for k in covered) / total


def heads_a_group(
    question: str, hits: Sequence[Hit], idf: Mapping[str, float], *, title_share: float, gathered: int
) -> bool:
    """A list question about a group the notice itself has: it names the heading and the best hits gather
    under it. The notice's own structure says it is in scope ("帮办服务那一节列了哪几条", "长三角营商环境方案里有哪些
    具体措施"), whatever a scope model reads in its other words."""
    if not hits or not asks_list(question):
        return False
    key = group_of(hits[0].measure)
    in_group = sum(1 for h in hits[:5] if group_of(h.measure) == key)
    return in_group >= gathered and names_heading(question, hits, idf, title_share)


def list_measures(
    question: str,
    hits: Sequence[Hit],
    measures_of: Mapping[tuple[str, str, str], Sequence[Measure]],
    idf: Mapping[str, float],
    *,
    title_share: float,
    gathered: int,
    margin: float,
    limit: int,
) -> Listing:
    """The measures the question asks for: the best hit's whole group when the question names its heading
    (a `title_share` of the heading's weight) or `gathered` of the five best hits are in it; else the hits
    within `margin` of the best. At most `limit`."""
    if not hits:
        return Listing([], "")
    top = hits[0].measure
    key = group_of(top)
    group = list(measures_of.get(key, [top]))
    heading = heading_of(top)
    in_group = sum(1 for h in hits[:5] if group_of(h.measure) == key)
    if len(group) > 1 and (names_heading(question, hits, idf, title_share) or in_group >= gathered):
        return Listing(group[:limit], heading)
    near = [h.measure for h in hits if h.score >= hits[0].score - margin]
    return Listing(near[:limit], "")
