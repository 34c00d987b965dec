"""The admin tab as staff and evaluators meet it, in headless Chromium against a live `rag serve` with an
admin token and a corpus and index of its own (a notice is ingested here): a refused question and a
thumbs-down become standard answers that paraphrases then get, marked 标准答复; a regression file runs in
the background with a progress bar and shows its report; a notice is uploaded and ingested. Also: the
page needs no emoji font, and citation cards mark the sentence that matches the question."""
from __future__ import annotations

import json
import os
import re
import shutil

import httpx
import pytest

from tests.conftest import CORPUS, ROOT
from tests.ui.conftest import OUT, LiveServer
from tests.ui.test_browser import ask, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOKEN = "staff-token"
REFUSED = "怎么办理户口迁移？"
WATER = "我们厂要接自来水，找哪个单位？"


@pytest.fixture(scope="module")
def live_server(services, tmp_path_factory):
    root = tmp_path_factory.mktemp("admin-ui")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copytree(services.settings.index_dir, root / "index", ignore=shutil.ignore_patterns(".lock"))
    env = os.environ | {
        "RAG_CORPUS_DIR": str(root / "corpus"), "RAG_INDEX_DIR": str(root / "index"),
        "RAG_DATA_DIR": str(root / "data"), "RAG_LLM__BACKEND": "none", "RAG_SERVER__UI": "true",
        "RAG_SERVER__ADMIN_TOKEN": TOKEN, "RAG_SERVER__SEARCH_WORKERS": "0", "GRADIO_ANALYTICS_ENABLED": "False",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    server = LiveServer(env, root / "data", OUT / "admin-server.log")
    server.start()
    yield server
    server.stop()


def open_admin(page) -> None:
    page.get_by_role("tab", name="管理（工作人员）").click()
    page.fill("#rag-admin-token input", TOKEN)
    page.click("#rag-admin-login")
    page.wait_for_selector("#rag-admin-panel #rag-admin-refused")


def back_to_chat(page) -> None:
    page.get_by_role("tab", name="智能问答（企业）").click()


def answers_so_far(page) -> int:
    return page.locator("#rag-chat .rag-answer, #rag-chat .rag-refused, #rag-chat .rag-error").count()


def test_the_page_needs_no_emoji_font(page):
    ask(page, WATER, 0)
    text = page.evaluate("() => document.body.innerText")
    emoji = [c for c in text if ord(c) >= 0x1F000 or 0x2600 <= ord(c) <= 0x27BF and c not in "⚠✓"]
    assert not emoji, f"characters that need an emoji font: {sorted(set(emoji))}"
    icons = page.evaluate("() => [...document.querySelectorAll('#rag-up img, #rag-down img')].map(i => i.naturalWidth)")
    assert len(icons) == 2 and all(w > 0 for w in icons)  # the SVG icons loaded
    shot(page, "admin-01-icons")


def test_citation_cards_mark_the_sentence_that_matches_the_question(page):
    ask(page, "供水报装能不能网上办理？", 0)
    marks = page.locator("#rag-chat .rag-card mark.rag-hl").all_inner_texts()
    assert any("网上办理" in m for m in marks), marks


def test_a_refused_question_becomes_a_standard_answer_that_a_paraphrase_gets(page, live_server):
    ask(page, REFUSED, 0)
    page.wait_for_selector("#rag-chat .rag-refused")
    open_admin(page)
    row = page.locator("#rag-admin-refused [role=gridcell]", has_text=REFUSED).first
    row.click()
    page.wait_for_function(
        "q => document.querySelector('#rag-std-question textarea, #rag-std-question input').value === q", arg=REFUSED)
    page.fill("#rag-std-answer textarea", "户口迁移不属于本通知的内容，请拨打12345市民服务热线咨询。")
    page.fill("#rag-std-editor input, #rag-std-editor textarea", "窗口王芳")
    page.click("#rag-std-save")
    page.wait_for_selector("#rag-std-status:has-text('已保存标准答复')")
    assert REFUSED in page.locator("#rag-std-list").inner_text()
    shot(page, "admin-02-saved-from-refused")

    back_to_chat(page)
    n = answers_so_far(page)
    ask(page, "户口迁移怎么办理", n)
    assert page.locator("#rag-chat .rag-standard-badge").count() == 1
    assert "12345" in page.locator("#rag-chat .rag-answer").last.inner_text()
    ask(page, "纳税缴费有哪些便利措施？", n + 1)  # unrelated: answered by search, no badge
    assert page.locator("#rag-chat .rag-standard-badge").count() == 1
    shot(page, "admin-03-standard-in-chat")

    log = httpx.get(live_server.url + "/api/admin/log?refused=true",
                    headers={"Authorization": f"Bearer {TOKEN}"}).json()["entries"]
    assert REFUSED in [e["question"] for e in log] and all(e["channel"] == "ui" for e in log)


def test_a_thumbs_down_becomes_a_standard_answer_with_its_citations(page):
    ask(page, WATER, 0)
    page.click("#rag-down")
    page.wait_for_selector("#rag-feedback-status:has-text('反馈已保存')")
    open_admin(page)
    page.locator("#rag-admin-down [role=gridcell]", has_text=WATER).first.click()
    page.wait_for_function("() => document.querySelector('#rag-std-citations input, #rag-std-citations textarea')"
                           ".value.includes('二(四)4')")
    page.fill("#rag-std-answer textarea", "接自来水请找区自来水公司，报装、查询、缴费都可以在网上办理。")
    page.click("#rag-std-save")
    page.wait_for_selector("#rag-std-status:has-text('已保存标准答复')")
    back_to_chat(page)
    ask(page, "工厂接自来水要找哪个单位", answers_so_far(page))
    assert page.locator("#rag-chat .rag-standard-badge").count() == 1
    card_units = page.locator("#rag-chat .rag-card").last.inner_text()
    assert "区自来水公司" in card_units and "区水务局" in card_units  # units from the notice


def test_saving_a_standard_answer_needs_the_right_token(page):
    page.get_by_role("tab", name="管理（工作人员）").click()
    page.fill("#rag-admin-token input", "wrong")
    page.click("#rag-admin-login")
    page.wait_for_selector("text=管理令牌不正确")
    assert not page.locator("#rag-admin-panel #rag-std-save").is_visible()


def test_a_regression_file_runs_in_the_background_and_shows_its_report(page, tmp_path):
    rows = [json.loads(line) for line in (ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines()[:12]]
    upload = tmp_path / "regression.jsonl"
    upload.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    open_admin(page)
    page.get_by_role("tab", name="回归评测").click()
    page.set_input_files("#rag-eval-file input[type=file]", str(upload))
    page.wait_for_selector("#rag-eval-file :text('regression.jsonl')")
    page.click("#rag-eval-run")
    page.wait_for_selector("#rag-eval-progress .rag-progress")  # the bar shows while it runs
    page.wait_for_selector("#rag-eval-progress :text('已完成')", timeout=120_000)
    assert "12/12" in page.locator("#rag-eval-progress").inner_text()
    frame = page.frame_locator("#rag-eval-frame")
    frame.locator("text=hit@1").first.wait_for()
    assert "regression.jsonl" in frame.locator("body").inner_text()
    shot(page, "admin-04-report")


def test_an_uploaded_notice_is_ingested(page, live_server):
    open_admin(page)
    page.get_by_role("tab", name="导入通知").click()
    page.set_input_files("#rag-notice-file input[type=file]", str(ROOT / "tests/fixtures/notices/baoshan-2021-12.txt"))
    page.wait_for_selector("#rag-notice-file :text('baoshan-2021-12.txt')")
    page.click("#rag-notice-ingest")
    page.wait_for_selector("#rag-notice-status:has-text('已导入')", timeout=180_000)
    assert re.search(r"baoshan-2021-12.*measures", page.locator("#rag-notice-status").inner_text())
    health = httpx.get(live_server.url + "/healthz", timeout=120).json()
    assert health["documents"] == 2
    shot(page, "admin-05-ingested")
