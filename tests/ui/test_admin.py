"""The admin tab's server side, without a browser: every action checks the token; saving goes through the
API's checks; the progress bar and the report frame; a notice upload's refusals."""
from __future__ import annotations

import gradio as gr
import pytest

from rag.evaluation.job import EvalState
from ui import admin, render


@pytest.fixture
def svc(make_services, tmp_path):
    s = make_services(admin_token="tok")
    s.settings.data_dir = tmp_path / "data"
    return s


def test_every_action_needs_the_token(svc, make_services):
    admin.check_token(svc, "tok")
    for wrong in ("", "tok ", "TOK", None):
        with pytest.raises(gr.Error, match="不正确"):
            admin.check_token(svc, wrong)
    with pytest.raises(gr.Error, match="未启用"):
        admin.check_token(make_services(), "")


def test_save_goes_through_the_checks(svc):
    assert admin.save_standard(svc, "接自来水找谁", "请联系区自来水公司。", "二(四)4", "王芳").startswith("✓")
    assert "names no measure" in admin.save_standard(svc, "q", "a", "九(九)9", "")
    assert admin.save_standard(svc, "", "a", "二(四)4", "").startswith("未保存")
    [row] = admin.saved_rows(svc)
    assert row[1:5] == ["接自来水找谁", "二(四)4", 1, "王芳"]


def test_progress_and_report():
    assert admin.progress_html(EvalState()) == ""
    running = admin.progress_html(EvalState(status="running", done=3, total=12))
    assert "3/12" in running and "width:25.0%" in running
    assert "评测失败" in admin.progress_html(EvalState(status="failed", error="boom"))
    frame = admin.report_frame('<html><body>"x" & y</body></html>')
    assert 'srcdoc="&lt;html&gt;&lt;body&gt;&quot;x&quot; &amp; y' in frame


def test_notice_upload_refusals(svc, tmp_path):
    assert "请先选择" in admin.ingest_notice(svc, None, "", False)
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    assert admin.ingest_notice(svc, str(bad), "", False).startswith("未导入")


def test_cards_mark_highlights_and_the_standard_badge():
    assert render.marked_text("甲乙<丙>丁", [[2, 5]]) == '甲乙<mark class="rag-hl">&lt;丙&gt;</mark>丁'
    assert render.marked_text("甲乙", [[1, 9], [0, 0]]) == "甲乙"  # out of range: text untouched
    msg = render.answer_message({"answer": "找区自来水公司。", "lead": "找区自来水公司。", "citations": [], "refused": False,
                                 "source": "standard", "standard": {"question": "接<自来水>"}})
    assert "标准答复" in msg and "接&lt;自来水&gt;" in msg
