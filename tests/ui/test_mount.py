"""The page is mounted in the API's app: / goes to /ui, the Gradio config is Chinese, the API still works."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app


@pytest.fixture(scope="module")
def ui_client(services):
    with TestClient(create_app(services, ui=True)) as c:
        yield c


def test_root_redirects_to_ui(ui_client):
    r = ui_client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/ui/"  # Starlette's redirect: the method kept


def test_ui_page_and_config(ui_client):
    assert ui_client.get("/ui/").status_code == 200
    cfg = ui_client.get("/ui/config").json()
    assert cfg["title"] == "政策问答 · 营商环境"
    labels = {c.get("props", {}).get("label") for c in cfg["components"]}
    assert {"搜索措施", "意见（可选）", "可复制的答复", "选择责任单位（可输入筛选）"} <= labels


def test_api_still_served_beside_the_ui(ui_client):
    assert ui_client.get("/healthz").json()["measures"] == 172
    assert ui_client.post("/api/search", json={"query": "接自来水"}).status_code == 200


def test_ui_can_be_turned_off(client):
    assert client.get("/ui/").status_code == 404
    assert client.get("/", follow_redirects=False).status_code == 404


def test_building_the_page_writes_nothing_until_feedback(services, tmp_path):
    from rag.services import Services
    from ui.app import build_blocks

    svc = Services(services.settings.model_copy(update={"data_dir": tmp_path / "data"}))
    build_blocks(svc)
    assert not (tmp_path / "data").exists()
