"""The Gradio page: a chat tab for enterprises and a quick look-up tab for window staff, mounted at /ui.

The UI calls the services in-process (no HTTP round trip), so search-as-you-type stays fast.
"""

from __future__ import annotations

import os

# Gradio would otherwise phone home for analytics and version checks; this system runs offline
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from rag.evaluation.job import EvalJob  # noqa: E402
from rag.feedback.store import FeedbackStore, open_store  # noqa: E402
from rag.services import Services  # noqa: E402
from ui import admin, chat, lookup  # noqa: E402

PATH = "/ui"
THEME = gr.themes.Soft(
    primary_hue="blue",
    font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "ui-sans-serif", "system-ui", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)
CSS = """
.rag-card { border: 1px solid #d0d7e2; border-radius: 8px; padding: 10px 12px; margin: 8px 0; background: #fff;
            color: #1f2937; }
.rag-card-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 4px; }
.rag-id { font-weight: 700; color: #1d4ed8; background: #e0eaff; border-radius: 4px; padding: 0 6px; }
.rag-section { color: #6b7280; font-size: 0.9em; }
.rag-text { line-height: 1.6; }
.rag-units { margin-top: 6px; }
.rag-units-label { color: #6b7280; font-size: 0.9em; }
.rag-unit { display: inline-block; background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; border-radius: 12px;
            padding: 0 8px; margin: 2px 4px 2px 0; font-size: 0.9em; }
.rag-unit-hit { background: #fef3c7; color: #92400e; border-color: #fcd34d; font-weight: 600; }
.rag-citations { margin-top: 10px; border-top: 1px dashed #cbd5e1; padding-top: 6px; }
.rag-citations-title { font-weight: 600; color: #374151; }
.rag-refused { background: #fff7ed; border: 1px solid #fdba74; border-left: 6px solid #f97316; color: #7c2d12;
               border-radius: 6px; padding: 8px 12px; }
.rag-error { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; border-radius: 6px; padding: 8px 12px; }
.rag-note { color: #6b7280; font-size: 0.9em; margin-top: 4px; }
.rag-answer { white-space: pre-wrap; line-height: 1.7; }
.rag-empty { color: #6b7280; padding: 12px; }
.rag-unit-title { font-weight: 700; margin-top: 12px; }
.rag-variant { margin-left: 6px; font-size: 0.8em; color: #92400e; background: #fef3c7; border-radius: 4px;
               padding: 0 4px; }
.rag-aliases { color: #6b7280; font-size: 0.85em; }
.rag-tree details { margin: 4px 0 4px 12px; }
.rag-tree summary { cursor: pointer; font-weight: 600; padding: 2px 0; }
.rag-doc-title { font-weight: 700; font-size: 1.05em; }
.rag-doc-meta { color: #6b7280; font-size: 0.9em; margin-bottom: 6px; }
#rag-copy-status { color: #065f46; min-height: 1.2em; }
.rag-role-lead .rag-unit { background: #dbeafe; color: #1e3a8a; border-color: #93c5fd; font-weight: 600; }
.rag-deadlines { margin-top: 4px; }
.rag-deadline { display: inline-block; background: #fff7ed; color: #9a3412; border: 1px solid #fdba74;
                border-radius: 12px;
                padding: 0 8px; margin: 2px 4px 2px 0; font-size: 0.9em; }
.rag-due { color: #6b7280; font-size: 0.85em; }
.rag-deadline-table { border-collapse: collapse; width: 100%; }
.rag-deadline-table th, .rag-deadline-table td { border-bottom: 1px solid #e5e7eb; padding: 6px; text-align: left;
                                                  vertical-align: top; }
.rag-validity { margin-left: 6px; }
.rag-expired, .rag-superseded { color: #b91c1c; font-weight: 600; }
mark.rag-hl { background: #fef08a; color: inherit; padding: 0 1px; border-radius: 2px; }
.rag-standard { margin-bottom: 6px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.rag-standard-badge { background: #1d4ed8; color: #fff; border-radius: 4px; padding: 1px 8px; font-weight: 700; }
.rag-standard-q { color: #6b7280; font-size: 0.9em; }
.rag-progress { background: #e5e7eb; border-radius: 6px; height: 14px; overflow: hidden; }
.rag-progress-bar { background: #2563eb; height: 100%; }
"""
HEAD = '<meta name="description" content="营商环境政策问答：引用措施编号与责任单位">'


def build_blocks(svc: Services, store: FeedbackStore | None = None) -> gr.Blocks:
    # opened on the first feedback, so building the page touches nothing on disk
    feedback = (lambda: store) if store is not None else (lambda: open_store(svc.settings.data_dir))
    titles = "、".join(f"《{d.header.plan_title or d.header.title}》" for d in svc.corpus.documents[:2])
    with gr.Blocks(title="政策问答 · 营商环境", analytics_enabled=False) as blocks:
        gr.Markdown(
            f"## 营商环境政策问答\n依据 {titles}（{len(svc.corpus.measures)} 条措施）回答，"
            "每个回答都列出引用的措施编号和责任单位。回答仅供参考，以通知原文为准。",
            elem_id="rag-title",
        )
        with gr.Tabs():
            with gr.Tab("智能问答（企业）", id="chat"):
                chat.build(svc, feedback)
            with gr.Tab("快速查询（窗口人员）", id="lookup"):
                lookup.build(svc)
            with gr.Tab("管理（工作人员）", id="admin"):
                admin.build(svc, feedback, EvalJob(svc))
    return blocks


def mount(app: FastAPI, svc: Services) -> FastAPI:
    """Serve the page at /ui inside the API's app, sharing its services and its process."""
    return gr.mount_gradio_app(
        app,
        build_blocks(svc),
        path=PATH,
        theme=THEME,
        css=CSS,
        head=HEAD,
        ssr_mode=False,
        footer_links=[],
        show_error=True,
        mcp_server=False,
    )
