"""HTML and plain text for the page: measure cards, answers, the notice tree and the reply window staff copy.

Everything here is a pure function of data, so it is tested without a browser; every piece of corpus or
user text goes through `escape` because the chat and the HTML panels render markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from rag.answer.extractive import roles_text
from rag.corpus import schedule
from rag.corpus.citation import Citation
from rag.corpus.collection import Corpus
from rag.corpus.model import Measure


def card_data(m: Measure) -> dict:
    """A measure in the shape of an answer's citation, so one card renders both."""
    return Citation.of(m).model_dump()


def unit_chips(units: Iterable[str], highlight: Iterable[str] = ()) -> str:
    marked = set(highlight)
    return "".join(f'<span class="rag-unit{" rag-unit-hit" if u in marked else ""}">{escape(u)}</span>' for u in units)


def units_block(c: dict, highlight: Iterable[str] = ()) -> str:
    """The units by role — 牵头, then 责任单位, then 配合 — or one 责任单位 row where all are responsible."""
    roles = c.get("roles") or {}
    units = c.get("units") or []
    if not units:
        return ""
    if not roles.get("lead") and not roles.get("cooperating"):
        chips = unit_chips(units, highlight)
        return f'<div class="rag-units"><span class="rag-units-label">责任单位：</span>{chips}</div>'
    rows = [
        (label, key, roles.get(key) or [])
        for label, key in (("牵头", "lead"), ("责任单位", "responsible"), ("配合", "cooperating"))
    ]
    return "".join(
        f'<div class="rag-units rag-role-{key}"><span class="rag-units-label">{label}：</span>'
        f"{unit_chips(us, highlight)}</div>"
        for label, key, us in rows
        if us
    )


def deadline_chips(deadlines: Iterable[str]) -> str:
    chips = "".join(f'<span class="rag-deadline">{escape(d)}</span>' for d in deadlines)
    return f'<div class="rag-deadlines"><span class="rag-units-label">时限：</span>{chips}</div>' if chips else ""


def marked_text(text: str, spans) -> str:
    """The measure text with the answer's sentences (or the best match to the question) in <mark>."""
    out, at = [], 0
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if start < at or end <= start or end > len(text):
            continue  # overlapping or out of range: never garble the text
        out += [escape(text[at:start]), f'<mark class="rag-hl">{escape(text[start:end])}</mark>']
        at = end
    return "".join(out) + escape(text[at:])


def measure_card(c: dict, *, highlight: Iterable[str] = (), extra: str = "") -> str:
    """One measure: its id, where it sits in the notice, its full text, its units by role and its time limits."""
    return (
        f'<div class="rag-card" data-measure="{escape(c.get("id", ""))}">'
        f'<div class="rag-card-head"><span class="rag-id">{escape(c.get("id", ""))}</span>'
        f'<span class="rag-section">{escape(c.get("section", ""))}</span>{extra}</div>'
        f'<div class="rag-text">{marked_text(c.get("text", ""), c.get("highlights") or [])}</div>'
        + units_block(c, highlight)
        + deadline_chips(c.get("deadlines") or [])
        + "</div>"
    )


def citation_cards(citations: list[dict]) -> str:
    if not citations:
        return ""
    cards = "".join(measure_card(c) for c in citations)
    title = f'<div class="rag-citations-title">引用的措施（{len(citations)} 条）</div>'
    return f'<div class="rag-citations">{title}{cards}</div>'


REFUSAL_TEXT = "这个问题不在本通知的范围内，系统没有找到可以回答它的措施。请换个说法，或咨询区行政服务中心。"


def refusal_notice(text: str = "") -> str:
    return f'<div class="rag-refused"><strong>⚠ 未找到相关规定</strong><div>{escape(text or REFUSAL_TEXT)}</div></div>'


def answer_message(answer: dict) -> str:
    """The chat message for a finished answer: a notice when refused, the text, repair notes, the cards."""
    parts = []
    citations = answer.get("citations") or []
    if answer.get("refused"):
        parts.append(refusal_notice(answer.get("answer", "")))
    else:
        text = answer.get("answer", "")
        # the answer's lead (who to contact, the model's sentences); its quoted measures show as the cards
        shown = (answer.get("lead") or text) if citations else text
        standard = answer.get("standard") if answer.get("source") == "standard" else None
        if standard:
            asked = escape(standard.get("question", ""))
            parts.append(
                '<div class="rag-standard"><span class="rag-standard-badge">标准答复</span>'
                f'<span class="rag-standard-q">工作人员为“{asked}”审定的答复</span></div>'
            )
        parts.append(f'<div class="rag-answer">{escape(shown)}</div>')
    for note in answer.get("notes") or []:
        parts.append(f'<div class="rag-note">ℹ {escape(note)}</div>')
    parts.append(citation_cards(citations))
    return "".join(parts)


def streaming_message(text: str) -> str:
    return f'<div class="rag-answer rag-streaming">{escape(text.rstrip())}▌</div>'


def error_message(text: str) -> str:
    return f'<div class="rag-error"><strong>出错了</strong><div>{escape(text)}</div></div>'


def measure_list(measures: list[Measure], *, empty: str, highlight: Iterable[str] = ()) -> str:
    if not measures:
        return f'<div class="rag-empty">{escape(empty)}</div>'
    return (
        '<div class="rag-list">' + "".join(measure_card(card_data(m), highlight=highlight) for m in measures) + "</div>"
    )


def unit_view(corpus: Corpus, name: str) -> tuple[str, list[Measure]]:
    """Every measure of a unit, and of the variants the notice writes for it, grouped by entry."""
    found = corpus.units.find(name)
    if not found:
        return f'<div class="rag-empty">没有名为“{escape(name)}”的单位。</div>', []
    blocks: list[str] = []
    measures: list[Measure] = []
    for u in found:
        ms = [corpus.by_key[k] for k in u.measure_ids]
        measures.extend(m for m in ms if m not in measures)
        title = escape(u.name) + ("" if u.name == found[0].name else '<span class="rag-variant">相关写法</span>')
        aliases = f'<div class="rag-aliases">又称：{escape("、".join(u.aliases))}</div>' if u.aliases else ""
        blocks.append(
            f'<div class="rag-unit-block"><div class="rag-unit-title">{title}（{len(ms)} 条）</div>{aliases}'
            + "".join(measure_card(card_data(m), highlight=[u.name]) for m in ms)
            + "</div>"
        )
    return '<div class="rag-list">' + "".join(blocks) + "</div>", measures


_STATUS = {"expired": "已失效", "superseded": "已废止", "not_yet": "尚未施行", "in_force": "现行有效"}


def validity_line(d, today: date) -> str:
    """施行 and 有效期 as the notice (or its sidecar) gives them, and whether it is in force today."""
    v = d.validity
    parts = []
    if v.effective_from:
        parts.append(f"{v.effective_from.isoformat()} 起施行")
    if v.effective_until:
        parts.append(f"有效期至 {v.effective_until.isoformat()}")
    if v.superseded_by:
        parts.append(f"已被 {v.superseded_by} 替代")
    status = v.status(today)
    if not parts and status == "in_force":
        return ""
    return f'<span class="rag-validity rag-{status}">{escape("，".join(parts))}（{_STATUS[status]}）</span>'


def notice_tree(corpus: Corpus, today: date | None = None) -> str:
    """Each notice as nested <details>: part → section → measure, closed so the whole outline fits."""
    today = today or date.today()
    out = []
    for d in corpus.documents:
        h = d.header
        meta = "　".join(escape(x) for x in (h.doc_number, h.date, h.publisher) if x)
        out.append(
            f'<div class="rag-doc"><div class="rag-doc-title">{escape(h.title or d.id)}</div>'
            f'<div class="rag-doc-meta">{meta}　共 {len(d.measures)} 条措施　{validity_line(d, today)}</div>'
        )
        parts: dict[tuple[str, str], dict[tuple[str, str], list[Measure]]] = {}
        for m in d.measures:
            parts.setdefault((m.part, m.part_title), {}).setdefault((m.section, m.section_title), []).append(m)
        for (part, ptitle), sections in parts.items():
            n = sum(len(ms) for ms in sections.values())
            out.append(f'<details class="rag-part"><summary>{escape(part)}、{escape(ptitle)}（{n} 条）</summary>')
            for (sec, stitle), ms in sections.items():
                if not sec:  # a part's own items: no section level to open
                    out.extend(measure_card(card_data(m)) for m in ms)
                    continue
                out.append(
                    f'<details class="rag-sec"><summary>({escape(sec)}){escape(stitle)}（{len(ms)} 条）</summary>'
                )
                out.extend(measure_card(card_data(m)) for m in ms)
                out.append("</details>")
            out.append("</details>")
        out.append("</div>")
    return '<div class="rag-tree">' + "".join(out) + "</div>"


def source_name(corpus: Corpus, doc_id: str) -> str:
    """《plan title》（文号） as a reply cites it; inner title marks become 〈〉 as Chinese typesetting wants."""
    d = corpus.document(doc_id)
    if d is None:
        return "本通知"
    title = d.header.plan_title or d.header.title or d.id
    title = title.replace("《", "〈").replace("》", "〉")
    return f"《{title}》" + (f"（{d.header.doc_number}）" if d.header.doc_number else "")


def reply_text(measures: list[Measure], corpus: Corpus, topic: str = "") -> str:
    """A reply window staff can read out or paste into a message: each measure's number, text and units."""
    if not measures:
        return ""
    docs = list(dict.fromkeys(m.doc for m in measures))
    source = source_name(corpus, docs[0]) if len(docs) == 1 else "相关通知"
    head = f"关于“{topic.strip()}”，{source}中的相关措施如下：" if topic.strip() else f"{source}中的相关措施如下："
    lines = [head]
    for i, m in enumerate(measures, 1):
        path = f"{m.part_title} > {m.section_title}" if m.section else m.part_title
        where = path if len(docs) == 1 else f"{source_name(corpus, m.doc)} {path}"
        lines.append(f"{i}. 第{m.id}条（{where}）：{m.body}")
        lines.append(f"   {roles_text(m.roles, m.units_open)}")
        if m.deadlines:
            lines.append(f"   时限：{'、'.join(d.text for d in m.deadlines)}")
    return "\n".join(lines)


def deadline_rows(corpus: Corpus, unit: str | None = None, before: date | None = None) -> list[tuple[Measure, list]]:
    """Measures with time limits (of a unit and its variants, when one is chosen), each with the limits
    that are due by `before` (dated ones only) or all of them."""
    try:
        return schedule.by_measure(schedule.due(corpus, unit=unit, before=before))
    except schedule.UnknownUnit:
        return []


def deadline_view(corpus: Corpus, unit: str | None = None, before: date | None = None) -> str:
    """The 时限 view: a table of every time limit as written, with its last day where the text fixes one,
    its measure and its units by role."""
    rows = deadline_rows(corpus, unit, before)
    if not rows:
        who = f"“{unit}”" if unit else "所选范围"
        return f'<div class="rag-empty">{escape(who)}没有{"该日期前到期的" if before else "写明时限的"}任务。</div>'
    body = []
    for m, due in rows:
        limits = "<br>".join(
            escape(d.text) + (f'<span class="rag-due">（{d.by.isoformat()}前）</span>' if d.by else "") for d in due
        )
        where = escape(m.id if len(corpus.documents) == 1 else f"{source_name(corpus, m.doc)} {m.id}")
        body.append(
            f'<tr><td class="rag-id">{where}</td><td>{limits}</td><td>{escape(m.body)}</td>'
            f"<td>{escape(roles_text(m.roles, m.units_open))}</td></tr>"
        )
    return (
        '<table class="rag-deadline-table"><thead><tr><th>措施</th><th>时限</th><th>内容</th><th>单位</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
