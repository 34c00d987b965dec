"""An answer's first sentence: the words of the chosen measure that answer the question, with the measure's
id, before who to contact and the quoted measures.

Three shapes, chosen from the question and the measure's text (no model):
- the answering clause itself: "当事人…已提交立案材料的,原则上无需重复提交纸质版本（措施二(十一)9）。";
- for a question that asks who handles something, the units first and what the measure has them do;
- for a question that asks for a detail the measure it leads with does not give (a rate, a date, a phone number …),
  that the notice does not state it, then the related clause: status "partial", never a figure of its own.
A list question gets one compact line per measure: id, its clause for the question, its units.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rag.answer.answering_clause import answering_clause
from rag.answer.detail import Asked, asked_detail, asked_details, states
from rag.corpus.model import Measure

LIST_LINE_CHARS = 60  # a list's line for one measure: its clause for the question, cut here
_ASKS_WHO = re.compile(
    r"找谁|找哪|问谁|问哪|哪个(?:部门|单位|机构|窗口|科室|局|委|办)|哪些(?:部门|单位|机构)|哪家(?:单位|部门)?|"
    r"谁(?:来)?(?:负责|管|办|受理|牵头|审批)|归谁|由谁|哪(?:个|些)?(?:部门|单位)(?:负责|管)|"
    r"(?i:\bwho\b|which (?:department|office|agency|bureau|authority|unit|government body)|whom)"
)


def asks_who(question: str) -> bool:
    return _ASKS_WHO.search(question) is not None


@dataclass(frozen=True)
class Opening:
    text: str  # the first line of the answer
    status: Literal["answered", "partial"]
    unstated: str | None = None  # the detail the notice does not state, named for the reader
    folded: bool = False  # the contact line is folded into it (a who-handles question): not said again below


def clause_for(question: str, m: Measure, idf: Mapping[str, float], asked: Asked | None, limit: int = 0) -> str:
    text = answering_clause(question, m, idf, asked).text
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


def opening(
    question: str,
    measures: Sequence[Measure],
    idf: Mapping[str, float],
    label: Mapping[str, str],
    contact: str,
    *,
    english: bool,
    topic_share: float = 0.0,
) -> Opening:
    """The first line; `contact` is the line that names whom to contact (it follows, or is folded in). When the
    question asks for a detail that no measure states about what it asks (`topic_share`: rag/answer/detail.py),
    the line says the notice does not state it."""
    top = measures[0]
    asked = asked_detail(question)
    # every detail asked: one the measures do not state makes the answer partial, and the clause quoted is
    # the one giving a detail they do state ("能领多少钱，能领几个月？": the amount is there, the months not)
    kinds = asked_details(question)
    # stated by the measure the answer leads with: the opening quotes it, and a figure of the kind in a measure
    # ranked below it is, on the dev files, about something else ("充一次电收多少钱" and the lift subsidy of the
    # third measure cited); the measures below are still quoted after the opening
    missing = [a for a in kinds if not states(a, question, top.body, idf, topic_share)]
    stated = [a for a in kinds if a not in missing]
    said = clause_for(question, top, idf, stated[0] if stated else asked)
    if missing:
        what = missing[0].label(english)
        if english:
            return Opening(
                f"The notice does not state {what}. The related measure {label[top.key]} says: “{said}”.",
                "partial",
                what,
            )
        return Opening(f"通知没有写明{what}。与此相关的措施{label[top.key]}写的是：{said}。", "partial", what)
    if asks_who(question):  # the units first, with what the measure has them do
        if english:
            return Opening(f"{contact} Measure {label[top.key]}: “{said}”.", "answered", folded=True)
        return Opening(f"{contact.rstrip('。')}：{said}。", "answered", folded=True)
    if english:
        return Opening(f"Measure {label[top.key]}: “{said}”.", "answered")
    return Opening(f"{said}（措施{label[top.key]}）。", "answered")


def list_lines(
    question: str,
    measures: Sequence[Measure],
    idf: Mapping[str, float],
    label: Mapping[str, str],
    units: Mapping[str, str],
) -> list[str]:
    """One line per measure: id, its clause for the question, its units (`units`: measure key → text)."""
    asked = asked_detail(question)
    return [
        f"{label[m.key]}：{clause_for(question, m, idf, asked, LIST_LINE_CHARS)}（{units[m.key]}）" for m in measures
    ]
