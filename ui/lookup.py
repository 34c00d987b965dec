"""The quick look-up tab, for window staff: search as you type, the unit directory, the notice as a tree,
and a reply draft built from the chosen measures, with a copy button.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from rag.corpus.model import Measure
from rag.corpus.validity import parse_date
from rag.services import Services
from ui import render

SEARCH_TOP_K = 8
DRAFT_DEFAULT = 3  # search results preselected for the reply; a unit's measures are all preselected

# Copies the draft; navigator.clipboard exists only in secure contexts (https, localhost), so fall back to
# the older selection-based copy for a server reached over plain http on the office network.
COPY_JS = """(text) => {
  const done = () => { const s = document.querySelector('#rag-copy-status');
    if (s) s.textContent = text ? '✓ 已复制到剪贴板' : '没有可复制的内容'; };
  if (!text) { done(); return; }
  const fallback = () => { const t = document.createElement('textarea'); t.value = text; document.body.appendChild(t);
    t.select(); try { document.execCommand('copy'); } finally { t.remove(); } done(); };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, fallback); }
  else { fallback(); }
}"""


def search(svc: Services, query: str) -> tuple[str, list[Measure], str]:
    """Measures for a query: an id written in any form first, then the retriever's hits.
    Returns (html, measures, count line)."""
    query = (query or "").strip()[: svc.settings.server.max_query_chars]
    if not query:
        return (
            render.measure_list([], empty="输入关键词、单位名称或措施编号（如 二(四)4），结果随输入即时显示。"),
            [],
            "",
        )
    measures = list(svc.corpus.lookup(query)) if len(query) <= 40 else []
    for h in svc.searcher.retrieve(query, SEARCH_TOP_K):
        if h.measure not in measures:
            measures.append(h.measure)
    named = {n for _, names in svc.corpus.units.mentions(query) for n in names}
    html = render.measure_list(measures, empty=f"没有找到与“{query}”相关的措施。", highlight=named)
    return html, measures, f"找到 {len(measures)} 条相关措施（按相关度排序）"


def unit_choices(svc: Services) -> list[tuple[str, str]]:
    units = sorted(svc.corpus.units, key=lambda u: (-len(u.measure_ids), u.name))
    return [(f"{u.name}（{len(u.measure_ids)} 条）", u.name) for u in units]


def draft_choices(measures: list[Measure]) -> list[tuple[str, str]]:
    return [(f"{m.id} {m.body[:24]}{'…' if len(m.body) > 24 else ''}", m.key) for m in measures]


def build(svc: Services) -> None:
    """The look-up tab's components and events, inside the caller's Blocks."""
    corpus = svc.corpus
    topic = gr.State("")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            with gr.Tabs():
                with gr.Tab("搜索", id="search"):
                    query = gr.Textbox(
                        label="搜索措施",
                        placeholder="关键词、单位或编号，例如：接自来水、税务局、二(四)4",
                        elem_id="rag-search",
                        autofocus=False,
                    )
                    count = gr.Markdown(elem_id="rag-search-count")
                    results = gr.HTML(search(svc, "")[0], elem_id="rag-search-results")
                with gr.Tab("单位目录", id="units"):
                    unit = gr.Dropdown(
                        unit_choices(svc),
                        value=None,
                        label="选择责任单位（可输入筛选）",
                        info="同一单位的不同写法一并列出",
                        elem_id="rag-unit",
                    )
                    unit_html = gr.HTML(
                        '<div class="rag-empty">选择一个单位，查看它负责的全部措施。</div>', elem_id="rag-unit-measures"
                    )
                with gr.Tab("时限", id="deadlines"):
                    with gr.Row():
                        due_unit = gr.Dropdown(
                            unit_choices(svc), value=None, label="单位（可不选）", elem_id="rag-due-unit"
                        )
                        due_before = gr.Textbox(label="到期不晚于（如 2022-06-30，可不填）", elem_id="rag-due-before")
                    due_html = gr.HTML(render.deadline_view(corpus), elem_id="rag-deadlines")
                with gr.Tab("通知目录", id="tree"):
                    gr.HTML(render.notice_tree(corpus, svc.settings.current_date()), elem_id="rag-tree")
        with gr.Column(scale=2, elem_id="rag-draft-col"):
            gr.Markdown("### 答复草稿\n勾选要写入答复的措施，复制后可直接读给企业或粘贴到回复中。")
            picked = gr.CheckboxGroup([], label="写入答复的措施", elem_id="rag-draft-pick")
            draft = gr.Textbox(
                label="可复制的答复", lines=10, max_lines=24, buttons=["copy"], interactive=True, elem_id="rag-draft"
            )
            copy = gr.Button(
                "复制答复",
                icon=str(Path(__file__).parent / "icons" / "clipboard.svg"),
                variant="primary",
                elem_id="rag-copy",
            )
            gr.HTML('<div id="rag-copy-status"></div>', padding=False)

    def compose(keys: list[str], about: str) -> str:
        return render.reply_text([corpus.by_key[k] for k in keys or [] if k in corpus.by_key], corpus, about)

    def on_search(q: str):
        html, measures, line = search(svc, q)
        keys = [m.key for m in measures[:DRAFT_DEFAULT]]
        return html, line, gr.update(choices=draft_choices(measures), value=keys), compose(keys, q), q

    def on_unit(name: str | None):
        if not name:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        html, measures = render.unit_view(corpus, name)
        keys = [m.key for m in measures]
        return (
            html,
            gr.update(choices=draft_choices(measures), value=keys),
            compose(keys, f"{name}负责的事项"),
            f"{name}负责的事项",
        )

    def on_deadlines(name: str | None, before: str):
        day = parse_date(before or "")
        if (before or "").strip() and day is None:
            return '<div class="rag-empty">日期写成 2022-06-30 或 2022年6月30日。</div>'
        return render.deadline_view(corpus, name or None, day)

    due_unit.change(on_deadlines, [due_unit, due_before], due_html, queue=False, show_progress="hidden")
    due_before.change(
        on_deadlines, [due_unit, due_before], due_html, queue=False, trigger_mode="always_last", show_progress="hidden"
    )

    # .change, not .input: Gradio 6 raises `input` from keydown, which pasting and some Chinese input methods
    # never send. queue=False makes each a plain request; always_last drops stale ones while one runs.
    query.change(
        on_search,
        query,
        [results, count, picked, draft, topic],
        queue=False,
        trigger_mode="always_last",
        show_progress="hidden",
    )
    unit.change(on_unit, unit, [unit_html, picked, draft, topic], queue=False, show_progress="hidden")
    picked.input(compose, [picked, topic], draft, queue=False, show_progress="hidden")
    copy.click(None, draft, None, js=COPY_JS)
