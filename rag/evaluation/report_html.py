"""The HTML report: one self-contained file an evaluator opens in a browser, offline.

No JavaScript and no external assets (users have no network): the chart is inline SVG and the styling
is one <style> block.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from rag.corpus.ids import normalize_id
from rag.evaluation.aggregate import QUALITY_METRICS
from rag.evaluation.compare import Comparison

LABELS = {
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "recall@k": "recall@k",
    "mrr": "MRR",
    "unit_recall": "unit recall",
    "fact_accuracy": "fact accuracy",
    "citation_validity": "citation validity",
    "citation_hit": "citation hit",
    "refusal_accuracy": "refusal accuracy",
    "list_recall": "list recall",
    "opening_clause": "opening clause",
    "clean_shape": "clean shape",
    "oos_near": "near out of scope right",
    "oos_far": "far out of scope refused",
    "latency_p50_s": "latency p50 (s)",
    "latency_p95_s": "latency p95 (s)",
    "search_latency_p50_s": "search p50 (s)",
    "search_latency_p95_s": "search p95 (s)",
    "answer_latency_p50_s": "answer p50 (s)",
    "answer_latency_p95_s": "answer p95 (s)",
}
COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1200px;
color:#222;padding:0 1em}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}.scroll{overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.l,th.l{text-align:left}.meta td{text-align:left}
.bad{color:#b00020;font-weight:bold}.good{color:#1b7a1b;font-weight:bold}
.banner{padding:.6em 1em;border-radius:4px;font-weight:bold}
.banner.fail{background:#fde2e4;color:#8a0015}.banner.pass{background:#e3f4e1;color:#17601a}
.q{border:1px solid #ddd;border-radius:4px;padding:.5em .8em;margin:.6em 0}.q .head{font-weight:bold}
.q dl{display:grid;grid-template-columns:9em 1fr;gap:.2em .8em;margin:.4em 0}.q dt{color:#666}.q dd{margin:0}
.gold{background:#d8f0d2;font-weight:bold}
.tag{display:inline-block;background:#fde2e4;color:#8a0015;border-radius:3px;padding:0 .4em;margin-right:.3em;
font-size:.9em}
.answer{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ccc;padding:.3em .6em}
"""


def _fmt(value, metric: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else escape(str(value))


def _heat(value: float) -> str:
    return f' style="background:hsl({120 * max(0.0, min(1.0, value)):.0f},65%,86%)"'


def summary_table(overall: dict, by_category: dict) -> str:
    metrics = [m for m in QUALITY_METRICS if m in overall or any(m in c for c in by_category.values())]
    latency = [
        m
        for m in ("search_latency_p50_s", "search_latency_p95_s", "answer_latency_p50_s", "answer_latency_p95_s")
        if m in overall
    ]
    head = "".join(f"<th>{escape(LABELS[m])}</th>" for m in metrics + latency)
    rows = []
    for name, s in [*by_category.items(), ("overall", overall)]:
        cells = "".join(f"<td{_heat(s[m])}>{s[m]:.3f}</td>" if m in s else "<td>–</td>" for m in metrics)
        cells += "".join(f"<td>{_fmt(s.get(m))}</td>" for m in latency)
        label = f"<b>{escape(name)}</b>" if name == "overall" else escape(name)
        rows.append(
            f"<tr><td class=l>{label}</td><td>{s.get('n', 0)}</td><td>{s.get('n_retrieval', 0)}</td>{cells}</tr>"
        )
    return (
        f"<table><tr><th class=l>category</th><th>n</th><th>n with gold ids</th>{head}</tr>"
        + "".join(rows)
        + "</table>"
    )


def chart_svg(overall: dict, by_category: dict) -> str:
    """Grouped horizontal bars: one group per category (and overall), one bar per quality metric."""
    metrics = [m for m in QUALITY_METRICS if m in overall or any(m in c for c in by_category.values())]
    groups = [*by_category.items(), ("overall", overall)]
    label_w, bar_w, bar_h, gap, group_gap, top = 170, 560, 10, 2, 16, 40
    group_h = len(metrics) * (bar_h + gap) + group_gap
    height = top + len(groups) * group_h + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" height="{height}" '
        f'font-size="11" role="img" aria-label="metrics by category">'
    ]
    x = label_w
    for i, m in enumerate(metrics):  # legend
        lx = label_w + (i % 5) * 115
        ly = 8 + (i // 5) * 14
        out.append(
            f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{COLORS[i % len(COLORS)]}"/>'
            f'<text x="{lx + 14}" y="{ly + 9}">{escape(LABELS[m])}</text>'
        )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        tx = x + tick * bar_w
        out.append(
            f'<line x1="{tx}" y1="{top - 4}" x2="{tx}" y2="{height - 20}" stroke="#ddd"/>'
            f'<text x="{tx}" y="{height - 6}" text-anchor="middle" fill="#666">{tick:g}</text>'
        )
    for g, (name, s) in enumerate(groups):
        y0 = top + g * group_h
        weight = ' font-weight="bold"' if name == "overall" else ""
        out.append(
            f'<text x="{label_w - 8}" y="{y0 + len(metrics) * (bar_h + gap) / 2 + 4}" text-anchor="end"{weight}>'
            f"{escape(name)} (n={s.get('n', 0)})</text>"
        )
        for i, m in enumerate(metrics):
            y = y0 + i * (bar_h + gap)
            if m not in s:
                out.append(f'<text x="{x + 3}" y="{y + bar_h - 1}" fill="#999" font-size="9">n/a</text>')
                continue
            w = max(0.0, min(1.0, float(s[m]))) * bar_w
            out.append(
                f'<rect x="{x}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLORS[i % len(COLORS)]}">'
                f"<title>{escape(name)} · {escape(LABELS[m])}: {s[m]:.3f}</title></rect>"
                f'<text x="{x + w + 3:.1f}" y="{y + bar_h - 1}" font-size="9">{s[m]:.2f}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _ranked(q: dict, key: str, show: int = 5, cited: bool = False) -> str:
    """A row's ranked ids (`key`), gold ones marked; with their documents where the row gives them, and then a
    gold id counts only in the question's document."""
    retrieved, docs = q.get(key, []), q.get(f"{key}_docs")
    gold_set, doc = {normalize_id(g) for g in q.get("gold_ids", [])}, q.get("doc", "")
    docs = docs if isinstance(docs, list) and len(docs) == len(retrieved) else None
    good = [
        normalize_id(r) in gold_set and (not doc or docs is None or docs[i] == doc) for i, r in enumerate(retrieved)
    ]
    labels = [f"{r} [{docs[i] or '?'}]" if docs is not None else r for i, r in enumerate(retrieved)]
    items = [
        f'<span class="gold">{escape(label)}</span>' if ok else escape(label)
        for label, ok in zip(labels[:show], good[:show], strict=True)
    ]
    text = " · ".join(items) or "(nothing)"
    if gold_set and cited:
        if not any(good):
            text += ' <span class="bad">no gold id cited</span>'
    elif gold_set:
        rank = next((i for i, ok in enumerate(good, 1) if ok), None)
        if rank is None:
            text += f' <span class="bad">no gold id in the first {len(retrieved)}</span>'
        elif rank > show:
            text += f" … first gold id at rank {rank}"
    return text


def question_card(q: dict) -> str:
    tags = "".join(f'<span class="tag">{escape(c)}</span>' for c in q.get("failed", []))
    rows = [
        ("question", escape(q.get("question", ""))),
        ("gold ids", escape("、".join(q.get("gold_ids", [])) or "(none)")),
        ("gold units", escape("、".join(q.get("gold_units", [])) or "(none)")),
        ("answer facts", escape("、".join(q.get("answer_facts", [])) or "(none)")),
        ("retrieved", _ranked(q, "retrieved")),
    ]
    if q.get("doc"):
        rows.insert(1, ("document", escape(q["doc"])))
    if q.get("history"):
        turns = "\n".join(f"{t.get('role')}: {t.get('content')}" for t in q["history"])
        rows.insert(1, ("history", f'<div class="answer">{escape(turns)}</div>'))
    if "answer" in q:
        refused = ' <span class="bad">refused</span>' if q.get("refused") else ""
        status = f" ({escape(q['status'])})" if q.get("status") not in (None, "", "answered", "refused") else ""
        rows += [
            ("answer", f'<div class="answer">{escape(q.get("answer") or "")}</div>{refused}{status}'),
            ("cited", _ranked(q, "citations", show=50, cited=True)),
            ("answer context", escape(" · ".join(q.get("answer_retrieved", [])) or "(none)")),
            ("mode", escape(q.get("mode") or "")),
        ]
    scores = ", ".join(f"{LABELS.get(k, k)} {v:.2f}" for k, v in (q.get("scores") or {}).items() if v is not None)
    rows.append(("scores", escape(scores)))
    for err in q.get("errors", []):
        rows.append(("error", f'<span class="bad">{escape(err)}</span>'))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="q" id="q-{escape(str(q.get("id")))}"><div class="head">{escape(str(q.get("id")))} '
        f"· {escape(q.get('category', ''))} {tags}</div><dl>{body}</dl></div>"
    )


def comparison_section(cmp: Comparison, categories: list[str]) -> str:
    verdict = "pass" if cmp.ok else "fail"
    text = (
        f"No gated metric dropped by more than {cmp.max_drop}."
        if cmp.ok
        else "Regression: "
        + "; ".join(f"{c.scope} {LABELS.get(c.metric, c.metric)} {c.before:.3f} → {c.after:.3f}" for c in cmp.failures)
    )
    parts = [f'<h2>Against the baseline</h2><p class="banner {verdict}">{escape(text)}</p>']
    parts += [f"<p>{escape(n)}</p>" for n in cmp.notes]
    rows = []
    for c in cmp.changes:
        if c.scope != "overall":
            continue
        cls = (
            ' class="bad"'
            if c.regressed
            else (' class="good"' if c.delta > 1e-9 and c.metric in QUALITY_METRICS else "")
        )
        rows.append(
            f"<tr><td class=l>{escape(LABELS.get(c.metric, c.metric))}</td><td>{c.before:.3f}</td>"
            f"<td>{c.after:.3f}</td><td{cls}>{c.delta:+.3f}</td></tr>"
        )
    parts.append(
        "<h3>Overall</h3><table><tr><th class=l>metric</th><th>baseline</th><th>now</th><th>change</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    grid = {(c.scope, c.metric): c for c in cmp.changes if c.metric in QUALITY_METRICS}
    metrics = [m for m in QUALITY_METRICS if any(k[1] == m for k in grid)]
    head = "".join(f"<th>{escape(LABELS[m])}</th>" for m in metrics)
    body = []
    for cat in categories:
        cells = []
        for m in metrics:
            change = grid.get((cat, m))
            if change is None:
                cells.append("<td>–</td>")
                continue
            cls = ' class="bad"' if change.regressed else (' class="good"' if change.delta > 1e-9 else "")
            cells.append(f'<td{cls} title="{change.before:.3f} → {change.after:.3f}">{change.delta:+.3f}</td>')
        body.append(f"<tr><td class=l>{escape(cat)}</td>{''.join(cells)}</tr>")
    parts.append(f"<h3>Change by category</h3><table><tr><th class=l>category</th>{head}</tr>{''.join(body)}</table>")
    parts.append(f"<h3>Questions that went from pass to fail ({len(cmp.broke)})</h3>")
    if cmp.broke:
        parts.append(
            "<table><tr><th class=l>id</th><th class=l>category</th><th class=l>question</th>"
            "<th class=l>newly failed</th><th class=l>top 5 before</th><th class=l>top 5 now</th></tr>"
        )
        for b in cmp.broke:
            parts.append(
                f'<tr><td class=l><a href="#q-{escape(str(b["id"]))}">{escape(str(b["id"]))}</a></td>'
                f"<td class=l>{escape(str(b['category']))}</td><td class=l>{escape(str(b['question']))}</td>"
                f"<td class=l>{escape(', '.join(b['checks']))}</td>"
                f"<td class=l>{escape(' · '.join(b['retrieved_before']))}</td>"
                f"<td class=l>{escape(' · '.join(b['retrieved_now']))}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    if cmp.fixed:
        parts.append(
            f"<h3>Questions that went from fail to pass ({len(cmp.fixed)})</h3><p>"
            + ", ".join(escape(str(f["id"])) for f in cmp.fixed)
            + "</p>"
        )
    return "".join(parts)


def render_html(report: dict, comparison: Comparison | None = None) -> str:
    meta, overall, by_cat = report.get("meta", {}), report["overall"], report["by_category"]
    failed = [q for q in report["questions"] if not q.get("passed", True)]
    meta_rows = "".join(f"<tr><th class=l>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in meta.items())
    parts = [
        f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>QA evaluation: "
        f"{escape(str(meta.get('file', '')))}</title><style>{CSS}</style></head><body>",
        f"<h1>QA evaluation — {escape(str(meta.get('file', '')))}</h1>",
        f'<table class="meta">{meta_rows}</table>',
        f"<p>{overall.get('n', 0)} questions, {overall.get('n_retrieval', 0)} with gold ids (retrieval metrics "
        f"are over those), {len(failed)} failed at least one check. A dash: not measured in this run or not "
        f"applicable to the category.</p>",
        "<h2>Summary</h2>",
        f'<div class="scroll">{summary_table(overall, by_cat)}</div>',
        *(
            [f"<p>answerable refused: {overall.get('answerable_refused', 0)} of {overall['n_answerable']}</p>"]
            if "n_answerable" in overall
            else []
        ),
        "<h2>Metrics by category</h2>",
        chart_svg(overall, by_cat),
    ]
    if comparison is not None:
        parts.append(comparison_section(comparison, list(by_cat)))
    parts.append(f"<h2>Failed questions ({len(failed)})</h2>")
    for cat in by_cat:
        in_cat = [q for q in failed if q.get("category") == cat]
        if in_cat:
            parts.append(f"<h3>{escape(cat)} ({len(in_cat)})</h3>" + "".join(question_card(q) for q in in_cat))
    parts.append("</body></html>\n")
    return "".join(parts)


def write_html(report: dict, path: str | Path, comparison: Comparison | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, comparison), encoding="utf-8")
    return path
