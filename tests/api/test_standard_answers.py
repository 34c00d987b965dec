"""/api/admin/answers: a saved standard answer is given to a question of the same meaning, marked
"source": "standard", with its units from the corpus; other questions are answered as before. Unknown
citations get 422; every change is kept with its editor; export and import round-trip."""
from __future__ import annotations

import json

import pytest

from tests.api.conftest import ADMIN as AUTH

SAVED = {"question": "我们厂要接自来水，找哪个单位？", "answer": "接自来水请联系区自来水公司，报装可以全程网上办理。",
         "citations": ["二(四)4"]}


@pytest.fixture
def admin(admin_api):
    return admin_api


def save(admin, body=SAVED, editor="%E7%8E%8B%E8%8A%B3"):  # 王芳, percent-encoded: headers are ASCII
    r = admin.post("/api/admin/answers", json=body, headers=AUTH | {"X-Editor": editor})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_paraphrase_gets_the_standard_answer_with_units_from_the_data(admin, corpus):
    saved = save(admin)
    assert saved["citations"] == [{"doc": corpus.documents[0].id, "id": "二(四)4"}] and saved["version"] == 1
    r = admin.post("/api/ask", json={"question": "我们厂要接自来水找哪个单位"}).json()
    assert r["source"] == "standard" and r["standard"]["id"] == saved["id"]
    assert r["answer"].startswith(SAVED["answer"]) and not r["refused"]
    m = corpus.lookup("二(四)4")[0]
    assert [c["id"] for c in r["citations"]] == ["二(四)4"] and r["citations"][0]["units"] == list(m.units)
    assert "区水务局" in r["answer"]  # the measure's units, quoted from the notice, not from the saved text


def test_an_unrelated_question_is_answered_by_search_as_before(admin, client):
    save(admin)
    question = {"question": "纳税缴费有哪些便利措施？", "mode": "extractive"}
    r = admin.post("/api/ask", json=question).json()
    assert r["source"] == "retrieval" and r["standard"] is None
    before = client.post("/api/ask", json=question).json()
    assert [c["id"] for c in r["citations"]] == [c["id"] for c in before["citations"]]


def test_the_stream_ends_with_the_standard_answer(admin):
    save(admin)
    with admin.stream("POST", "/api/ask/stream", json={"question": "我们厂要接自来水找哪个单位"}) as r:
        body = "".join(r.iter_text())
    done = json.loads(body.split("event: done")[1].split("data: ", 1)[1].split("\n")[0])
    assert done["source"] == "standard"


def test_saving_without_the_token_is_refused(admin):
    assert admin.post("/api/admin/answers", json=SAVED).status_code == 401
    assert admin.post("/api/admin/answers", json=SAVED, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert admin.get("/api/admin/answers").status_code == 401


@pytest.mark.parametrize("citations, says", [(["九(九)9"], "names no measure"), (["二(四)"], "section"),
                                             (["二(四)4", "七(一)1"], "七(一)1")])
def test_an_unknown_citation_is_422(admin, citations, says):
    r = admin.post("/api/admin/answers", json=SAVED | {"citations": citations}, headers=AUTH)
    assert r.status_code == 422 and says in json.dumps(r.json(), ensure_ascii=False)
    assert admin.get("/api/admin/answers", headers=AUTH).json() == []


def test_a_unit_or_measure_the_citations_do_not_hold_is_422(admin):
    r = admin.post("/api/admin/answers", json=SAVED | {"answer": "请联系区税务局。"}, headers=AUTH)
    assert r.status_code == 422 and "区税务局" in r.text
    r = admin.post("/api/admin/answers", json=SAVED | {"answer": "见二(四)5。"}, headers=AUTH)
    assert r.status_code == 422 and "二(四)5" in r.text


def test_get_put_delete_keep_every_change_with_its_editor(admin):
    saved = save(admin)
    assert saved["editor"] == "王芳"
    url = f"/api/admin/answers/{saved['id']}"
    assert admin.get(url, headers=AUTH).json() == saved
    changed = admin.put(url, json=SAVED | {"answer": "请联系区自来水公司。", "editor": "李强"}, headers=AUTH).json()
    assert changed["version"] == 2 and changed["editor"] == "李强" and changed["answer"] == "请联系区自来水公司。"
    assert admin.put("/api/admin/answers/999", json=SAVED, headers=AUTH).status_code == 404
    assert admin.delete(url + "?editor=赵敏", headers=AUTH).status_code == 200
    assert admin.get(url, headers=AUTH).status_code == 404
    history = admin.get(url + "/history", headers=AUTH).json()
    assert [(h["action"], h["editor"], h["version"]) for h in history] == [
        ("create", "王芳", 1), ("update", "李强", 2), ("delete", "赵敏", 3)]
    assert all(h["at"] for h in history) and history[1]["snapshot"]["answer"] == "请联系区自来水公司。"
    r = admin.post("/api/ask", json={"question": "我们厂要接自来水找哪个单位"}).json()
    assert r["source"] == "retrieval"  # deleted: out of use at once


def test_export_and_import_round_trip_as_json_lines(admin):
    save(admin)
    save(admin, {"question": "开办企业可以在哪里一次办好？", "answer": "通过“一窗通”平台一表申请。", "citations": ["二(一)4"]})
    lines = admin.get("/api/admin/answers/export", headers=AUTH).text.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 2 and rows[0]["citations"][0].endswith(":二(四)4")
    r = admin.post("/api/admin/answers/import", json={"answers": rows}, headers=AUTH)
    assert r.json() == {"created": 0, "replaced": 2}  # the same questions: replaced, not doubled
    bad = admin.post("/api/admin/answers/import", json={"answers": [rows[0], rows[1] | {"citations": ["九(九)9"]}]},
                     headers=AUTH)
    assert bad.status_code == 422 and "row 2" in bad.text
    assert len(admin.get("/api/admin/answers", headers=AUTH).json()) == 2


def test_the_cli_exports_and_imports(admin, tmp_path):
    from rag.standard import cli

    save(admin)
    out = tmp_path / "answers.jsonl"
    assert cli.export(type("A", (), {"out": str(out)})(), admin.svc.standard_answers) == 0
    admin.svc.standard_store.delete(1, "test")
    assert cli.import_file(type("A", (), {"file": out, "editor": "cli"})(), admin.svc.standard_answers) == 0
    assert [a.question for a in admin.svc.standard_store.all()] == [SAVED["question"]]


def test_import_credits_the_importer_and_a_row_may_omit_citations(admin):
    rows = [{"question": "户口迁移怎么办", "answer": "请拨打12345咨询。", "editor": "someone-else"}]
    r = admin.post("/api/admin/answers/import", json={"answers": rows}, headers=AUTH | {"X-Editor": "importer"})
    assert r.json() == {"created": 1, "replaced": 0}
    [a] = admin.get("/api/admin/answers", headers=AUTH).json()
    assert a["editor"] == "importer" and a["citations"] == []
    assert admin.get(f"/api/admin/answers/{a['id']}/history", headers=AUTH).json()[0]["action"] == "import"


def test_out_of_range_ids_and_dates_are_422_not_500(admin):
    assert admin.get(f"/api/admin/answers/{10**20}", headers=AUTH).status_code == 422
    assert admin.delete("/api/admin/answers/0", headers=AUTH).status_code == 422
    r = admin.get("/api/admin/log?since=0001-01-01T00:00:00%2B05:00", headers=AUTH)
    assert r.status_code == 422 and "UTC" in r.json()["detail"]
    bad = admin.post("/api/admin/answers", json=SAVED | {"citations": ["九(九)9"]}, headers=AUTH)
    assert bad.json()["detail"] == "'九(九)9' names no measure"
