"""Answers composed from the measures themselves: the units to contact, the measure numbers, the text
quoted verbatim (so every figure is the notice's own). No model; instant."""
from __future__ import annotations

from rag.corpus.model import Document, Measure
from rag.corpus.units import ENGLISH_NAMES


def _units_en(units: list[str] | tuple[str, ...]) -> str:
    out = []
    for u in units:
        english = ENGLISH_NAMES.get(u) or ENGLISH_NAMES.get(u.split("(")[0])
        out.append(f"{u} ({english[0]})" if english else u)
    return ", ".join(out)


def contact_units(measures: list[Measure]) -> list[str]:
    """Units of the measures in order of first appearance; generic entries (各相关部门) last."""
    seen: list[str] = []
    for m in measures:
        for u in m.units:
            if u not in seen:
                seen.append(u)
    return sorted(seen, key=lambda u: ("相关" in u and len(u) <= 6, seen.index(u)))


def doc_label(m: Measure, documents: dict[str, Document]) -> str:
    """The measure id, with its document named when more than one notice is loaded."""
    if len(documents) > 1 and m.doc in documents:
        number = documents[m.doc].header.doc_number or m.doc
        return f"{number} {m.id}"
    return m.id


def compose(measures: list[Measure], documents: dict[str, Document], *, english: bool, unit_query: str | None = None) -> str:
    label = {m.key: doc_label(m, documents) for m in measures}
    units = contact_units(measures[:1])  # the best measure's units lead; the others' follow with their text
    ids = "、".join(label[m.key] for m in measures)
    top, others = label[measures[0].key], "、".join(label[m.key] for m in measures[1:])
    lines: list[str] = []
    if english:
        if unit_query:
            lines.append(f"{unit_query} is responsible for {len(measures)} measure(s) of the notice: {ids}.")
        else:
            lines.append(f"Contact: {_units_en(units)} — per measure {top}." + (f" See also {others}." if others else ""))
        lines.append("The measures, quoted from the notice:")
        for m in measures:
            lines.append(f"【{label[m.key]}】{m.body}")
            lines.append(f"Responsible units (责任单位): {_units_en(m.units)}")
        return "\n".join(lines)
    if unit_query:
        lines.append(f"{unit_query}负责（或参与）以下{len(measures)}项措施：{ids}。")
    else:
        lines.append(f"请联系：{'、'.join(units)}（依据措施{top}）。" + (f"另见措施{others}。" if others else ""))
    lines.append("相关措施原文：")
    for m in measures:
        lines.append(f"【{label[m.key]}】{m.body}")
        lines.append(f"责任单位：{'、'.join(m.units)}{'等' if m.units_open else ''}")
    return "\n".join(lines)


def refusal(title: str, reason: str, *, english: bool) -> str:
    zh = f"本通知未涉及该问题（{reason}）。本系统只依据《{title}》回答；请换个问法，或咨询相关主管部门。"
    if english:
        return f"本通知未涉及该问题。The notice does not cover this question ({reason}). Answers here come only from 《{title}》."
    return zh
