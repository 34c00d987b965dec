"""The admin tab, for staff who curate answers and for evaluators: opened with the admin token typed into
the page (checked again on every action, on the server). Refused questions and thumbs-down answers, each a
click away from a standard answer; a regression file run in the background with a progress bar and its
HTML report; a notice uploaded and ingested."""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import gradio as gr

from rag.admin_token import token_matches
from rag.evaluation.dataset import DatasetError
from rag.evaluation.job import EvalJob, EvalRunning
from rag.feedback.store import FeedbackStore
from rag.services import Services
from rag.standard.checks import StandardAnswerError
from rag.standard.service import StandardAnswerIn

log = logging.getLogger(__name__)
LIST_ROWS = 50
EVAL_MODES = [("摘录式回答（最快）", "extractive"), ("与线上相同（auto）", "auto"), ("只测检索", "retrieval")]
NOTICE_TYPES = [".txt", ".docx", ".html", ".htm"]
_IDS = re.compile(r"[,，、;；\s]+")


def check_token(svc: Services, token: str | None) -> None:
    if not svc.settings.server.admin_token:
        raise gr.Error("管理功能未启用：请在服务器上设置 RAG_SERVER__ADMIN_TOKEN。")
    if not token_matches(svc.settings.server.admin_token, token or ""):
        raise gr.Error("管理令牌不正确。")


def refused_rows(svc: Services) -> list[dict]:
    qlog = svc.question_log
    if qlog is None:
        return []
    return [e.model_dump() for e in qlog.entries(refused=True, limit=LIST_ROWS, newest_first=True)]


def thumbs_down_rows(store: FeedbackStore) -> list[dict]:
    return [f.to_dict() for f in store.recent("down", LIST_ROWS)]


def saved_rows(svc: Services) -> list[list]:
    return [
        [a.id, a.question, "、".join(c.id for c in a.citations), a.version, a.editor, a.updated_at]
        for a in reversed(svc.standard_store.all())
    ]


def _cited_ids(citations: list) -> str:
    ids = [c.get("id", "") if isinstance(c, dict) else str(c) for c in citations or []]
    return "、".join(dict.fromkeys(i for i in ids if i))


def save_standard(svc: Services, question: str, answer: str, citations: str, editor: str) -> str:
    """Save through the same checks as POST /api/admin/answers; returns the message to show."""
    ids = [i for i in _IDS.split(citations or "") if i]
    try:
        given = StandardAnswerIn(question=question or "", answer=answer or "", citations=ids, editor=editor or None)
        saved = svc.standard_answers.create(given, "admin-tab")
    except StandardAnswerError as exc:
        return "未保存：" + "；".join(exc.problems)
    except ValueError:  # pydantic: an empty or too long question or answer
        return "未保存：请填写问题和答复（问题最多 2000 字，答复最多 8000 字）。"
    return f"✓ 已保存标准答复（编号 {saved.id}），相同意思的问题将得到这条答复。"


def progress_html(state) -> str:
    if state.status == "idle":
        return ""
    total = max(1, state.total)
    share = 100 * state.done / total
    if state.status == "failed":
        return f'<div class="rag-error">评测失败：{escape(state.error)}</div>'
    label = "已完成" if state.status == "done" else "评测中"
    return (
        f'<div class="rag-eval-status">{label}：{state.done}/{state.total} 题'
        + (f"，用时 {state.seconds} 秒" if state.status == "done" else "")
        + '</div><div class="rag-progress" role="progressbar" '
        f'aria-valuenow="{state.done}" aria-valuemax="{state.total}">'
        f'<div class="rag-progress-bar" style="width:{share:.1f}%"></div></div>'
    )


def report_frame(html: str) -> str:
    return (
        f'<iframe id="rag-eval-frame" title="评测报告" srcdoc="{escape(html, quote=True)}" '
        'style="width:100%;height:720px;border:1px solid #d0d7e2;border-radius:6px;background:#fff"></iframe>'
    )


def ingest_notice(svc: Services, path: str | None, doc_id: str, replace: bool) -> str:
    from rag.ingest import IngestError, ingest, knowledge_line, warning_lines

    if not path:
        return "请先选择通知文件（.txt、.docx 或 .html）。"
    from rag.indexing.reindex import ReindexRunning

    job = svc.reindexer
    if job.running:
        return "未导入：正在重建索引，请稍后再试。"
    try:  # the notice is parsed and copied here; the index is rebuilt by the one re-index job, built aside
        result = ingest(Path(path), svc.settings, doc_id.strip() or None, replace=replace, build_index=False)
    except (IngestError, ValueError) as exc:  # NoticeFormatError is a ValueError with the line number
        return f"未导入：{exc}"
    # lines the parser placed by its own choice (closing text, a note joined to a measure): a person checks them
    lines = warning_lines(Path(path).name, result.warnings)
    placed = (
        "\n\n请核对以下由解析器自行归属的行：\n\n" + "\n".join(f"- {escape(line.strip())}" for line in lines)
        if lines
        else ""
    )
    try:
        job.start()
    except ReindexRunning:
        return f"已加入 {result.doc_id}，但另一次重建索引正在进行；它完成后请在管理接口再重建一次。{placed}"
    state = job.wait(timeout_s=900)
    if state["status"] != "done":
        error = state.get("error", state["status"])
        return f"已加入 {result.doc_id}，但重建索引失败（旧索引继续服务）：{error}{placed}"
    done = f"索引已重建（{state['embedded']} 条新向量，共 {state['measures']} 条）"
    # counted by the retriever the re-index just installed, as it serves the notice
    known = knowledge_line(result.doc_id, svc.retriever.knowledge(result.doc_id)["labelled_questions"], english=False)
    return f"✓ 已导入：{result.summary()}；{done}。{known}{placed}"


def build(svc: Services, feedback: Callable[[], FeedbackStore], job: EvalJob) -> None:
    refused_state = gr.State([])
    down_state = gr.State([])
    with gr.Row():
        token = gr.Textbox(
            label="管理令牌", type="password", elem_id="rag-admin-token", scale=4, placeholder="RAG_SERVER__ADMIN_TOKEN"
        )
        login = gr.Button("进入管理", variant="primary", elem_id="rag-admin-login", scale=1)
    with gr.Column(visible=False, elem_id="rag-admin-panel") as panel:
        with gr.Tabs():
            with gr.Tab("标准答复", id="admin-answers"):
                refresh = gr.Button("刷新列表", elem_id="rag-admin-refresh", size="sm")
                gr.Markdown("**被拒答的问题**：点一行，把问题填入下方表单，写好答复后保存为标准答复。")
                refused = gr.Dataframe(
                    headers=["时间", "问题", "渠道"], interactive=False, wrap=True, elem_id="rag-admin-refused"
                )
                gr.Markdown("**点踩的回答**：点一行，问题、原回答和引用填入下方表单。")
                down = gr.Dataframe(
                    headers=["时间", "问题", "意见", "引用"], interactive=False, wrap=True, elem_id="rag-admin-down"
                )
                with gr.Group(elem_id="rag-std-form"):
                    question = gr.Textbox(label="问题", elem_id="rag-std-question")
                    answer = gr.Textbox(label="标准答复", lines=4, elem_id="rag-std-answer")
                    citations = gr.Textbox(
                        label="引用的措施编号（多个用顿号或逗号分开，如 二(四)4、二(四)5）", elem_id="rag-std-citations"
                    )
                    editor = gr.Textbox(label="编辑人", elem_id="rag-std-editor")
                    save = gr.Button("保存标准答复", variant="primary", elem_id="rag-std-save")
                status = gr.Markdown(elem_id="rag-std-status")
                gr.Markdown("**已保存的标准答复**")
                saved = gr.Dataframe(
                    headers=["编号", "问题", "引用", "版本", "编辑人", "更新时间"],
                    interactive=False,
                    wrap=True,
                    elem_id="rag-std-list",
                )
                with gr.Row():
                    remove_id = gr.Number(label="编号", precision=0, elem_id="rag-std-remove-id", scale=1)
                    remove = gr.Button("删除这条标准答复", elem_id="rag-std-remove", scale=1)
            with gr.Tab("回归评测", id="admin-eval"):
                gr.Markdown("上传回归测试集（JSON Lines，格式见 eval-format.md），评测在后台运行，完成后显示报告。")
                eval_file = gr.File(label="回归测试集（.jsonl）", file_types=[".jsonl"], elem_id="rag-eval-file")
                eval_mode = gr.Radio(EVAL_MODES, value="extractive", label="评测方式", elem_id="rag-eval-mode")
                run = gr.Button("运行评测", variant="primary", elem_id="rag-eval-run")
                progress = gr.HTML(elem_id="rag-eval-progress")
                report = gr.HTML(elem_id="rag-eval-report")
                report_file = gr.File(label="下载报告", visible=False, elem_id="rag-eval-download")
                timer = gr.Timer(1.0, active=False)
            with gr.Tab("导入通知", id="admin-ingest"):
                notice_file = gr.File(
                    label="通知文件（.txt、.docx 或 .html）", file_types=NOTICE_TYPES, elem_id="rag-notice-file"
                )
                notice_id = gr.Textbox(label="文档编号（可选，默认取文件名）", elem_id="rag-notice-id")
                notice_replace = gr.Checkbox(label="替换同编号的通知", value=False)
                ingest = gr.Button("导入并重建索引", variant="primary", elem_id="rag-notice-ingest")
                notice_status = gr.Markdown(elem_id="rag-notice-status")

    def lists(tok):
        check_token(svc, tok)
        r, d = refused_rows(svc), thumbs_down_rows(feedback())
        return (
            [[e["at"], e["question"], e["channel"]] for e in r],
            r,
            [[f["created_at"], f["question"], f["comment"], _cited_ids(f["citations"])] for f in d],
            d,
            saved_rows(svc),
        )

    outputs = [refused, refused_state, down, down_state, saved]

    def open_panel(tok):
        return gr.update(visible=True), *lists(tok)

    login.click(open_panel, [token], [panel, *outputs])
    token.submit(open_panel, [token], [panel, *outputs])
    refresh.click(lists, [token], outputs)

    def pick_refused(tok, rows, evt: gr.SelectData):
        check_token(svc, tok)
        row = rows[evt.index[0]]
        return row["question"], "", "", "已填入被拒答的问题：写好答复和引用的措施后保存。"

    def pick_down(tok, rows, evt: gr.SelectData):
        check_token(svc, tok)
        row = rows[evt.index[0]]
        return row["question"], row["answer"], _cited_ids(row["citations"]), "已填入点踩的回答：改好后保存。"

    refused.select(pick_refused, [token, refused_state], [question, answer, citations, status])
    down.select(pick_down, [token, down_state], [question, answer, citations, status])

    def do_save(tok, q, a, c, e):
        check_token(svc, tok)
        return save_standard(svc, q, a, c, e), saved_rows(svc)

    save.click(do_save, [token, question, answer, citations, editor], [status, saved])

    def do_remove(tok, answer_id, e):
        check_token(svc, tok)
        if answer_id is None or not 1 <= answer_id < 2**63:
            return "请填写要删除的编号（正整数）。", saved_rows(svc)
        gone = svc.standard_answers.delete(int(answer_id), e or "admin-tab")
        msg = f"✓ 已删除标准答复 {gone.id}（历史记录保留）。" if gone else f"没有编号为 {int(answer_id)} 的标准答复。"
        return msg, saved_rows(svc)

    remove.click(do_remove, [token, remove_id, editor], [status, saved])

    def start_eval(tok, path, mode):
        check_token(svc, tok)
        if not path:
            raise gr.Error("请先上传回归测试集（.jsonl）。")
        try:
            state = job.start(Path(path), mode, name=Path(path).name)
        except (DatasetError, EvalRunning, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        return progress_html(state), "", gr.update(visible=False), gr.Timer(active=True)

    written: dict[float, Path] = {}  # run (its start time) → its report file, written once

    def poll(tok):
        check_token(svc, tok)  # the report holds the regression questions and answers
        state = job.state
        if state.status == "running":
            return progress_html(state), gr.skip(), gr.skip(), gr.skip()
        if state.status != "done":
            return progress_html(state), "", gr.update(visible=False), gr.Timer(active=False)
        out = written.get(state.started)
        if out is None:
            out = written[state.started] = Path(tempfile.mkdtemp(prefix="rag-eval-")) / "report.html"
            out.write_text(state.html, encoding="utf-8")
        return (
            progress_html(state),
            report_frame(state.html),
            gr.update(value=str(out), visible=True),
            gr.Timer(active=False),
        )

    run.click(start_eval, [token, eval_file, eval_mode], [progress, report, report_file, timer])
    timer.tick(poll, [token], [progress, report, report_file, timer])

    def do_ingest(tok, path, doc_id, replace):
        check_token(svc, tok)
        return ingest_notice(svc, path, doc_id or "", replace)

    ingest.click(do_ingest, [token, notice_file, notice_id, notice_replace], [notice_status])
