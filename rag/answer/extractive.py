"""Answers composed from the measures themselves: the units to contact, the measure numbers, the text
quoted verbatim (so every figure is the notice's own). No model; instant."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rag.answer.opening import list_lines, opening
from rag.corpus.model import Document, Measure
from rag.corpus.units import UnitDirectory

EnglishNames = dict[str, list[str]]  # unit → English renderings, from the notices' unit data


class HasRoles(Protocol):
    """Roles from the corpus (tuples) or a citation (lists): who leads, is responsible, cooperates."""

    @property
    def lead(self) -> Sequence[str]: ...
    @property
    def responsible(self) -> Sequence[str]: ...
    @property
    def cooperating(self) -> Sequence[str]: ...


def roles_text(
    roles: HasRoles, open_list: bool = False, *, english: bool = False, names: EnglishNames | None = None
) -> str:
    """责任单位：A、B where the notice names only responsible units (the Jiading layout); otherwise the lead
    first: 牵头：A；配合：B、C. A list that ended with 等 keeps it."""
    more = "等" if open_list and not english else ""
    show = (lambda us: _units_en(us, names or {})) if english else (lambda us: "、".join(us))
    if not roles.lead and not roles.cooperating:
        if not roles.responsible:
            return "Responsible units (责任单位): not named in the notice" if english else "责任单位：通知未列明"
        return (
            f"Responsible units (责任单位): {show(roles.responsible)}"
            if english
            else f"责任单位：{show(roles.responsible)}{more}"
        )
    labels = ("Lead (牵头)", "Responsible (责任)", "Cooperating (配合)") if english else ("牵头", "责任单位", "配合")
    named = (roles.lead, roles.responsible, roles.cooperating)
    lists = [(label, us) for label, us in zip(labels, named, strict=True) if us]
    text = (
        "; ".join(f"{label}: {show(us)}" for label, us in lists)
        if english
        else "；".join(f"{label}：{show(us)}" for label, us in lists)
    )
    return text + more


def english_names(units: UnitDirectory) -> EnglishNames:
    return {u.name: u.english for u in units if u.english}


def _units_en(units: list[str] | tuple[str, ...], names: EnglishNames) -> str:
    out = []
    for u in units:
        english = names.get(u) or names.get(u.split("(")[0])
        out.append(f"{u} ({english[0]})" if english else u)
    return ", ".join(out)


def _contact(m: Measure, english: bool, names: EnglishNames) -> str | None:
    """The best measure's units by role, where it has a lead or cooperating units; None for a plain list."""
    if m.roles.only_responsible:
        return None
    return roles_text(m.roles, m.units_open, english=english, names=names)


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
    above: str  # in place of a measure's text that the answer's opening already quotes whole
    units: Callable[[Measure], str]
    by_role: Callable[[str, str, str], str]  # (the units by role, best id, other ids)
    remit_roles: Callable[[str, dict[str, list[str]]], str]  # (unit asked about, role → ids)
    no_units: Callable[[str, str], str]  # (best id, other ids): the notice names nobody


_CHINESE = _Phrases(
    remit=lambda unit, n, ids: f"{unit}负责（或参与）以下{n}项措施：{ids}。",
    contact=lambda units, top, others: (
        f"请联系：{'、'.join(units)}（依据措施{top}）。" + (f"另见措施{others}。" if others else "")
    ),
    quoted="相关措施原文：",
    above="（原文即上文所引）",
    units=lambda m: roles_text(m.roles, m.units_open),
    by_role=lambda roles, top, others: (
        f"请联系——{roles}（依据措施{top}）。" + (f"另见措施{others}。" if others else "")
    ),
    remit_roles=lambda unit, by: (
        f"{unit}在以下措施中的职责——"
        + "；".join(
            f"{label}{len(ids)}项：{'、'.join(ids)}"
            for label, ids in (
                ("牵头", by.get("lead", [])),
                ("负责", by.get("responsible", [])),
                ("配合", by.get("cooperating", [])),
            )
            if ids
        )
        + "。"
    ),
    no_units=lambda top, others: (
        f"通知未列明该措施的责任单位（依据措施{top}）。" + (f"另见措施{others}。" if others else "")
    ),
)


def _english(names: EnglishNames) -> _Phrases:
    return _Phrases(
        remit=lambda unit, n, ids: f"{unit} is responsible for {n} measure(s) of the notice: {ids}.",
        contact=lambda units, top, others: (
            f"Contact: {_units_en(units, names)} — per measure {top}." + (f" See also {others}." if others else "")
        ),
        quoted="The measures, quoted from the notice:",
        above="(quoted in full above)",
        units=lambda m: roles_text(m.roles, m.units_open, english=True, names=names),
        by_role=lambda roles, top, others: (
            f"Contact — {roles} — per measure {top}." + (f" See also {others}." if others else "")
        ),
        remit_roles=lambda unit, by: (
            f"{unit}'s part in the notice — "
            + "; ".join(
                f"{label}: {', '.join(ids)}"
                for label, ids in (
                    ("leads", by.get("lead", [])),
                    ("responsible for", by.get("responsible", [])),
                    ("cooperates on", by.get("cooperating", [])),
                )
                if ids
            )
            + "."
        ),
        no_units=lambda top, others: (
            f"The notice names no unit for measure {top}." + (f" See also {others}." if others else "")
        ),
    )


@dataclass(frozen=True)
class Composed:
    """An extractive answer in its two parts: the lead (what answers, who to contact, per which measure) and
    the quoted measures with their units; `opening` is the lead's first line, `status` whether the measures
    give what was asked (partial: the question asks for a detail none of them states)."""

    lead: str
    quoted: str
    opening: str = ""
    status: Literal["answered", "partial"] = "answered"
    unstated: str | None = None

    @property
    def text(self) -> str:
        return f"{self.lead}\n{self.quoted}" if self.quoted else self.lead


def compose(
    measures: list[Measure],
    documents: dict[str, Document],
    *,
    english: bool,
    unit_query: str | None = None,
    names: EnglishNames | None = None,
    question: str = "",
    idf: Mapping[str, float] | None = None,
    listing: str | None = None,
    detail_topic_share: float = 0.0,
) -> Composed:
    """The answer from the measures. With the `question` (and the corpus's gram `idf`), the lead opens with
    the words that answer it (rag/answer/opening.py); `listing` (the heading, or "" for none) asks for every
    measure given, one compact line each, instead of three quoted in full."""
    say = _english(names or {}) if english else _CHINESE
    label = {m.key: doc_label(m, documents) for m in measures}
    top, others = label[measures[0].key], "、".join(label[m.key] for m in measures[1:])
    if listing is not None or (unit_query and question and idf is not None):
        return _listed(measures, label, say, question, idf or {}, listing or "", unit_query, english, names or {})
    asked = set(unit_query.split("、")) if unit_query else set()
    by_role: dict[str, list[str]] = {}
    for m in measures if unit_query else []:
        role = next((r for u in asked if (r := m.roles.role_of(u))), "responsible")
        by_role.setdefault(role, []).append(label[m.key])
    if unit_query and set(by_role) - {"responsible"}:  # the unit leads or cooperates somewhere: say which
        lead = say.remit_roles(unit_query, by_role)
    elif unit_query:
        lead = say.remit(unit_query, len(measures), "、".join(label[m.key] for m in measures))
    elif not measures[0].units:
        lead = say.no_units(top, others)
    elif (roles := _contact(measures[0], english, names or {})) is not None:
        lead = say.by_role(roles, top, others)
    else:  # the best measure's units lead; the others' follow with their text
        lead = say.contact(contact_units(measures[:1]), top, others)
    if not question or idf is None or unit_query:
        return Composed(lead, _quoted(measures, label, say, ""), lead.split("\n")[0])
    contact = _first_sentence(lead)
    first = opening(question, measures, idf, label, contact, english=english, topic_share=detail_topic_share)
    quoted = _quoted(measures, label, say, first.text)
    if first.folded:  # the contact line became the opening
        rest = lead[len(contact) :].strip()
        lead = first.text + ("\n" + rest if rest else "")
    else:
        lead = first.text + "\n" + lead
    return Composed(lead, quoted, first.text, first.status, first.unstated)


def _quoted(measures: list[Measure], label: dict[str, str], say: _Phrases, above: str) -> str:
    """The measures quoted in full with their units; one the opening (`above`) already quotes whole is named,
    not said twice."""
    lines = [say.quoted]
    for m in measures:
        whole = m.body.strip().rstrip("。；;.")
        lines += [f"【{label[m.key]}】" + (say.above if whole and whole in above else m.body), say.units(m)]
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    """Up to the first full stop that is not inside parentheses (the contact sentence of a lead)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "（(" and 1 or (ch in "）)" and -1 or 0)
        if depth <= 0 and (ch == "。" or (ch == "." and text[i + 1 : i + 2] in (" ", ""))):
            return text[: i + 1]
    return text


def _listed(
    measures: list[Measure],
    label: dict[str, str],
    say: _Phrases,
    question: str,
    idf: Mapping[str, float],
    heading: str,
    unit_query: str | None,
    english: bool,
    names: EnglishNames,
) -> Composed:
    """Every measure asked for, one line each: id, its clause for the question, its units."""
    units = {m.key: roles_text(m.roles, m.units_open, english=english, names=names) for m in measures}
    lines = list_lines(question, measures, idf, label, units)
    n = len(measures)
    if unit_query:
        head = say.remit(unit_query, n, "").rstrip("：:。. ") + ("：" if not english else ":")
    elif english:
        head = f"The notice has {n} measure(s)" + (f" under “{heading}”" if heading else " on this") + ":"
    else:
        head = f"通知中{f'“{heading}”' if heading else '与此相关的'}措施共{n}项："
    return Composed("\n".join([head, *lines]), "", lines[0] if lines else head)


def refusal(
    title: str, reason: str, related: list[Measure], hotline: str, *, english: bool, names: EnglishNames | None = None
) -> str:
    """Says the notice does not cover the question, and still helps: a weakly related measure with its units
    (the answer stays a refusal), and the citizens' hotline for everything else."""
    if english:
        text = (
            f"本通知未涉及该问题。The notice does not cover this question ({reason}). "
            f"Answers here come only from 《{title}》."
        )
        if related:
            text += (
                " 可能相关 (possibly related): "
                + "; ".join(f"{m.id} ({roles_text(m.roles, english=True, names=names)})" for m in related)
                + "."
            )
        return text + (f" For other matters, call the {hotline}." if hotline else "")
    text = f"本通知未涉及该问题（{reason}）。本系统只依据《{title}》回答。"
    if related:
        text += "可能相关：" + "；".join(f"措施{m.id}（{roles_text(m.roles)}）" for m in related) + "。"
    return text + (f"其他事项可拨打{hotline}咨询。" if hotline else "请换个问法，或咨询相关主管部门。")
