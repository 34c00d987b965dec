"""Answers composed from the measures themselves: the units to contact, the measure numbers, the text
quoted verbatim (so every figure is the notice's own). No model; instant."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rag.corpus.model import Document, Measure
from rag.corpus.units import UnitDirectory

EnglishNames = dict[str, list[str]]  # unit → English renderings, from the notices' unit data


def english_names(units: UnitDirectory) -> EnglishNames:
    return {u.name: u.english for u in units if u.english}


def _units_en(units: list[str] | tuple[str, ...], names: EnglishNames) -> str:
    out = []
    for u in units:
        english = names.get(u) or names.get(u.split("(")[0])
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


@dataclass(frozen=True)
class _Phrases:
    """The wording of an extractive answer in one language; the structure is the same in both."""

    remit: Callable[[str, int, str], str]  # (unit asked about, number of measures, ids)
    contact: Callable[[list[str], str, str], str]  # (units to contact, best id, other ids)
    quoted: str
    units: Callable[[Measure], str]


_CHINESE = _Phrases(
    remit=lambda unit, n, ids: f"{unit}负责（或参与）以下{n}项措施：{ids}。",
    contact=lambda units, top, others: f"请联系：{'、'.join(units)}（依据措施{top}）。" + (f"另见措施{others}。" if others else ""),
    quoted="相关措施原文：",
    units=lambda m: f"责任单位：{'、'.join(m.units)}{'等' if m.units_open else ''}",
)
def _english(names: EnglishNames) -> _Phrases:
    return _Phrases(
        remit=lambda unit, n, ids: f"{unit} is responsible for {n} measure(s) of the notice: {ids}.",
        contact=lambda units, top, others: f"Contact: {_units_en(units, names)} — per measure {top}."
        + (f" See also {others}." if others else ""),
        quoted="The measures, quoted from the notice:",
        units=lambda m: f"Responsible units (责任单位): {_units_en(m.units, names)}",
    )


def compose(measures: list[Measure], documents: dict[str, Document], *, english: bool, unit_query: str | None = None,
            names: EnglishNames | None = None) -> str:
    say = _english(names or {}) if english else _CHINESE
    label = {m.key: doc_label(m, documents) for m in measures}
    top, others = label[measures[0].key], "、".join(label[m.key] for m in measures[1:])
    if unit_query:
        lead = say.remit(unit_query, len(measures), "、".join(label[m.key] for m in measures))
    else:  # the best measure's units lead; the others' follow with their text
        lead = say.contact(contact_units(measures[:1]), top, others)
    lines = [lead, say.quoted]
    for m in measures:
        lines += [f"【{label[m.key]}】{m.body}", say.units(m)]
    return "\n".join(lines)


def refusal(title: str, reason: str, related: list[Measure], hotline: str, *, english: bool,
            names: EnglishNames | None = None) -> str:
    """Says the notice does not cover the question, and still helps: a weakly related measure with its units
    (the answer stays a refusal), and the citizens' hotline for everything else."""
    if english:
        text = f"本通知未涉及该问题。The notice does not cover this question ({reason}). Answers here come only from 《{title}》."
        if related:
            text += " 可能相关 (possibly related): " + "; ".join(f"{m.id} ({_units_en(m.units, names or {})})" for m in related) + "."
        return text + (f" For other matters, call the {hotline}." if hotline else "")
    text = f"本通知未涉及该问题（{reason}）。本系统只依据《{title}》回答。"
    if related:
        text += "可能相关：" + "；".join(f"措施{m.id}（责任单位：{'、'.join(m.units)}）" for m in related) + "。"
    return text + (f"其他事项可拨打{hotline}咨询。" if hotline else "请换个问法，或咨询相关主管部门。")
