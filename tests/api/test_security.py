"""Security defaults: loopback only unless told otherwise, admin disabled without a token, and nothing a
request carries is ever opened as a file."""
from __future__ import annotations

import builtins
import io
import ipaddress
import os

import pytest

from rag import cli
from rag.settings import Settings, get_settings

HOSTILE = ["../../../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd", "C:\\Windows\\win.ini", "~/.ssh/id_rsa",
           "corpus/jiading-2021-7.txt", "file:///etc/passwd", "%00/etc/passwd"]


def test_a_fresh_install_listens_on_loopback_and_has_no_admin_endpoints(monkeypatch):
    from fastapi import HTTPException
    from fastapi.security import HTTPAuthorizationCredentials

    from rag.api.admin import require_admin
    from rag.services import Services

    for name in [k for k in os.environ if k.startswith("RAG_SERVER")]:
        monkeypatch.delenv(name)
    cfg = Settings()
    assert ipaddress.ip_address(cfg.server.host).is_loopback
    for token in ("", "guess"):  # no token configured: nothing a client sends opens them
        with pytest.raises(HTTPException) as refused:
            require_admin(Services(cfg), HTTPAuthorizationCredentials(scheme="Bearer", credentials=token))
        assert refused.value.status_code == 403 and "disabled" in refused.value.detail


def test_rag_serve_passes_the_loopback_default_to_uvicorn(monkeypatch, services):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr("rag.api.app.create_app", lambda svc, **kw: object())  # the app itself is not under test
    monkeypatch.setattr(cli, "_services", lambda: services)
    monkeypatch.delenv("RAG_SERVER__HOST", raising=False)
    get_settings.cache_clear()
    try:
        assert cli.main(["serve"]) == 0
        assert seen["host"] == "127.0.0.1"
        monkeypatch.setenv("RAG_SERVER__HOST", "0.0.0.0")  # told otherwise: then it listens where it is told
        get_settings.cache_clear()
        assert cli.main(["serve"]) == 0 and seen["host"] == "0.0.0.0"
    finally:
        get_settings.cache_clear()


@pytest.fixture
def opened(monkeypatch):
    """Every path the process opens while the fixture is active."""
    paths = []
    real_open, real_os_open, real_io_open = builtins.open, os.open, io.open

    def spy(real):
        def wrapper(file, *args, **kwargs):
            paths.append(os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else repr(file))
            return real(file, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_io_open))
    monkeypatch.setattr(os, "open", spy(real_os_open))
    return paths


@pytest.mark.parametrize("value", HOSTILE)
def test_nothing_in_a_request_is_opened_as_a_path(client, opened, value):
    from pathlib import Path

    Path(__file__).read_text()
    assert opened == [__file__]  # the spy sees what pathlib opens
    responses = [
        client.post("/api/search", json={"query": value}),
        client.post("/api/search", json={"query": "企业开办", "doc": value}),
        client.get(f"/api/measures/{value}"),
        client.get("/api/measures", params={"doc": value}),
        client.get(f"/api/units/{value}/measures"),
    ]
    assert all(r.status_code < 500 for r in responses)
    assert responses[1].status_code == 404 and responses[3].status_code == 404
    assert not [p for p in opened if "passwd" in str(p) or "win.ini" in str(p) or "id_rsa" in str(p) or "jiading" in str(p)], opened
