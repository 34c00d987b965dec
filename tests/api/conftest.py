"""Apps with other server settings (rate limit, admin token, index dir) on the session's loaded components,
so a test can change a setting without loading the model or building an index again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.api.app import create_app
from rag.services import Services

SHARED = ("corpus", "embedder", "index", "retriever")


def services_like(services: Services, index_dir: Path | None = None, **server) -> Services:
    cfg = services.settings
    update = {"server": cfg.server.model_copy(update=server)}
    if index_dir is not None:
        update["index_dir"] = index_dir
    svc = Services(cfg.model_copy(update=update))
    for name in SHARED:
        svc.__dict__[name] = getattr(services, name)
    return svc


@pytest.fixture(scope="session")
def make_services(services):
    """services_like(services, index_dir=None, **server) as a fixture, for test modules."""
    return lambda index_dir=None, **server: services_like(services, index_dir, **server)


@pytest.fixture(scope="session")
def app_with(services):
    def make(**server):
        return create_app(services_like(services, **server), ui=False)

    return make


@pytest.fixture
def index_copy(services, tmp_path) -> Path:
    """A private copy of the session's index directory, for tests that write builds."""
    target = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target
