"""An empty corpus directory with the layout notices written for the tests (tests/fixtures/notices/layouts):
roles, deadlines and validity through the API and the answers, judged on 2026-12-01."""
from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app
from rag.services import Services
from tests.conftest import ROOT, make_settings

pytestmark = pytest.mark.model  # `svc`: services of their own on the real model
LAYOUTS = ROOT / "tests" / "fixtures" / "notices" / "layouts"


@pytest.fixture(scope="module")
def svc(tmp_path_factory) -> Services:
    tmp = tmp_path_factory.mktemp("layouts")
    shutil.copytree(LAYOUTS, tmp / "corpus")
    services = Services(make_settings(tmp, corpus_dir=tmp / "corpus", today="2026-12-01", server={
        "ask_rate_per_minute": 0, "search_workers": 0, "ui": False, "mcp": False}))
    services.retriever
    return services


@pytest.fixture(scope="module")
def client(svc):
    with TestClient(create_app(svc)) as c:
        yield c


def test_documents_show_their_validity(client):
    docs = {d["id"]: d for d in client.get("/api/documents").json()}
    assert (docs["donghai-2023-5"]["effective_from"], docs["donghai-2023-5"]["effective_until"]) == ("2023-08-01", "2025-07-31")
    assert docs["donghai-2023-5"]["status"] == "expired"
    assert docs["xihu-2020-9"]["superseded_by"] == "xihu-2024-2" and docs["xihu-2020-9"]["status"] == "superseded"
    assert docs["beicheng-2022-8"]["effective_until"] == "2027-04-30"  # from the sidecar
    assert docs["nanshan-2022-3"]["effective_from"] is None and docs["nanshan-2022-3"]["status"] == "in_force"
    assert docs["donghai-2023-5"]["attachments"] == ["附件：1.临江区企业开办流程图", "2.临江区政务服务事项清单"]


def test_measures_carry_roles_and_deadlines(client):
    m = client.get("/api/measures/二3", params={"doc": "xihu-2024-2"}).json()
    assert m["roles"] == {"lead": ["县金融办"], "responsible": ["各相关部门"], "cooperating": []}
    assert m["units"] == ["县金融办", "各相关部门"] and m["deadlines"] == ["2024年9月底前"]
    assert client.get("/api/measures/xihu-2024-2:第5条").json()["id"] == "三5"
    hit = client.post("/api/search", json={"query": "融资风险补偿资金池", "doc": "xihu-2024-2"}).json()["hits"][0]
    assert hit["id"] == "二3" and hit["roles"]["lead"] == ["县金融办"] and hit["deadlines"] == ["2024年9月底前"]


def test_unit_directory_says_whether_a_unit_leads_or_cooperates(client):
    body = client.get("/api/units/区规划资源局/measures").json()
    assert {(m["id"], m["role"]) for m in body["measures"]} == {("一2", "cooperating"), ("二1", "lead")}
    unit = next(u for u in client.get("/api/units").json() if u["name"] == "区规划资源局")
    assert unit["roles"] == {"一2": "cooperating", "二1": "lead"}


def test_deadlines_endpoint_filters_by_date_unit_and_document(client):
    due = client.get("/api/deadlines", params={"before": "2022-06-30"}).json()
    assert {(r["doc"], r["id"], r["text"]) for r in due} == {
        ("beicheng-2022-8", "一(一)", "2022年6月底前"), ("nanshan-2022-3", "二(一)", "2022年6月前")}
    jing = client.get("/api/deadlines", params={"unit": "县经信局"}).json()
    assert [(r["id"], r["text"], r["role"]) for r in jing] == [("一2", "30日内", "lead"), ("三5", "24小时内", "lead")]
    one = client.get("/api/deadlines", params={"doc": "donghai-2023-5"}).json()
    assert [r["text"] for r in one if r["id"] == "一2"] == ["2023年12月底前", "5个工作日内", "一个月内"]
    assert client.get("/api/deadlines", params={"before": "六月"}).status_code == 422
    assert client.get("/api/deadlines", params={"unit": "区不存在局"}).status_code == 404
    assert client.get("/api/deadlines", params={"doc": "nope"}).status_code == 404


def test_an_answer_names_the_lead_first(client):
    body = client.post("/api/ask", json={"question": "对首次入统的小微企业有什么奖励？", "mode": "extractive",
                                         "doc": "xihu-2024-2"}).json()
    assert body["citations"][0]["id"] == "一2"
    # the answering clause first, then whom to contact, the lead first
    assert "牵头：县经信局；配合：县财政局、县统计局" in body["answer"].splitlines()[1]


def test_an_answer_from_an_expired_notice_says_so_first(client):
    body = client.post("/api/ask", json={"question": "企业开办多长时间能办完？", "mode": "extractive",
                                         "doc": "donghai-2023-5"}).json()
    assert not body["refused"] and body["citations"][0]["id"] == "一1"
    first = body["answer"].splitlines()[0]
    assert first.startswith("注意：") and "有效期至2025年7月31日，已失效" in first
    assert any("已失效" in n for n in body["notes"])


def test_a_unit_s_time_limited_tasks_come_from_the_deadline_data(client):
    body = client.post("/api/ask", json={"question": "县经信局有哪些有时限的任务？", "mode": "extractive"}).json()
    assert [c["id"] for c in body["citations"]] == ["一2", "三5"] and not body["refused"]
    assert "30日内" in body["answer"] and "24小时内" in body["answer"]


def test_search_prefers_notices_in_force(svc):
    from rag.retrieval.hybrid import HybridRetriever

    question = "小微企业新增贷款有贴息吗？"
    plain = HybridRetriever(svc.corpus, svc.embedder, svc.index, svc.retriever.cfg.model_copy(update={"out_of_force_factor": 1.0}),
                            today=svc.settings.current_date)
    before = {h.measure.key: h.score for h in plain.retrieve(question, 8)}
    after = {h.measure.key: h.score for h in svc.retriever.retrieve(question, 8)}
    old = "xihu-2020-9:一1"  # superseded by xihu-2024-2
    assert after[old] == pytest.approx(before[old] * 0.85)
    current = "xihu-2024-2:一2"
    assert after[current] == pytest.approx(before[current])


def test_an_answer_from_a_superseded_notice_names_its_successor(client):
    body = client.post("/api/ask", json={"question": "小微企业新增贷款有贴息吗？", "mode": "extractive",
                                         "doc": "xihu-2020-9"}).json()
    first = body["answer"].splitlines()[0]
    assert "已被《西湖县支持中小企业发展的实施意见》西政发〔2024〕2号替代" in first


def test_documents_show_their_lead_text_and_no_warnings_for_the_known_layouts(client):
    docs = {d["id"]: d for d in client.get("/api/documents").json()}
    assert docs["xihu-2024-2"]["leads"] == [{"at": "一", "title": "加大财政支持", "text": "具体措施如下：", "line": 9}]
    assert all(d["warnings"] == [] for d in docs.values())


def test_the_admin_upload_returns_the_lines_the_parser_placed(svc, tmp_path, monkeypatch):
    """The admin tab's upload (ui/admin.py) and the re-index it starts: the closing text of a notice as it is
    written is kept, shown by /api/documents, and each line placed by the parser comes back with its number."""
    from ui.admin import ingest_notice

    shutil.copytree(LAYOUTS, tmp_path / "corpus")
    shutil.copytree(svc.settings.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns(".lock"))
    upload = Services(svc.settings.model_copy(update={"corpus_dir": tmp_path / "corpus", "index_dir": tmp_path / "index",
                                                      "data_dir": tmp_path / "data"}))
    upload.__dict__["embedder"] = svc.embedder  # the model already loaded, for the four new vectors too
    monkeypatch.setattr("rag.indexing.reindex.make_embedder", lambda cfg: svc.embedder)
    notice = ROOT / "tests" / "fixtures" / "notices" / "as-written" / "qinghe-2024-6.txt"
    status = ingest_notice(upload, str(notice), "", False)
    assert status.startswith("✓ 已导入") and "请核对以下由解析器自行归属的行" in status
    assert "line 14: not a part, section, item or closing line; kept as closing text" in status
    state = upload.reindexer.state
    assert state["status"] == "done" and state["embedded"] == 4
    assert [(w["doc"], w["line"], w["placed"]) for w in state["warnings"]] == [
        ("qinghe-2024-6", n, "closing") for n in (14, 15, 16, 17)]
    with TestClient(create_app(upload)) as c:
        doc = next(d for d in c.get("/api/documents").json() if d["id"] == "qinghe-2024-6")
        assert doc["measures"] == 4 and "按照“就高不重复”原则执行" in doc["closing"][1]
        assert [w["line"] for w in doc["warnings"]] == [14, 15, 16, 17]
        hits = c.post("/api/search", json={"query": "就高不重复", "doc": "qinghe-2024-6"}).json()["hits"]
        assert all("就高不重复" not in h["text"] for h in hits)  # closing text is never a measure
