"""An app with an admin token and a data directory of its own (standard answers, the question log), on the
session's loaded components."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app

ADMIN_TOKEN = "s3cret-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def admin_api(make_services, tmp_path):
    svc = make_services(admin_token=ADMIN_TOKEN)
    svc.settings.data_dir = tmp_path / "data"
    with TestClient(create_app(svc, ui=False)) as c:
        c.svc = svc
        yield c
