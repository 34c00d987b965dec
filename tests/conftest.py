"""Shared fixtures: the real corpus, one index built per test session in a temp dir, and the services."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rag.settings import Settings

if TYPE_CHECKING:  # imported where used, so that a test needing no services (test_import_graph) loads none
    from rag.services import Services

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QA_FILE = ROOT / "eval" / "qa.jsonl"


def make_settings(tmp: Path, **overrides) -> Settings:
    """Settings on the real corpus with index and data in a temp dir and no chat model unless asked."""
    base = {"corpus_dir": CORPUS, "index_dir": tmp / "index", "data_dir": tmp / "data", "llm": {"backend": "none"},
            "server": {"ask_rate_per_minute": 0, "search_workers": 0}}  # rate limits and workers have their own tests
    base.update(overrides)
    return Settings(**base)


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("rag"))


@pytest.fixture(scope="session")
def services(settings) -> Services:
    from rag.services import Services

    svc = Services(settings)
    svc.retriever  # build the index once for the whole session
    return svc


@pytest.fixture(scope="session")
def corpus(services):
    return services.corpus


@pytest.fixture(scope="session")
def qa_rows() -> list[dict]:
    return [json.loads(line) for line in QA_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def client(services):
    from fastapi.testclient import TestClient

    from rag.api.app import create_app

    with TestClient(create_app(services, ui=False)) as c:
        yield c


# Apps with other server settings (rate limit, admin token, API keys, index dir) on the session's loaded
# components, so a test can change a setting without loading the model or building an index again.
SHARED_COMPONENTS = ("corpus", "embedder", "index", "retriever")


def services_like(services: Services, index_dir: Path | None = None, **server) -> Services:
    from rag.services import Services

    cfg = services.settings
    update = {"server": cfg.server.model_copy(update=server)}
    if index_dir is not None:
        update["index_dir"] = index_dir
    svc = Services(cfg.model_copy(update=update))
    for name in SHARED_COMPONENTS:
        svc.__dict__[name] = getattr(services, name)
    return svc


@pytest.fixture(scope="session")
def make_services(services):
    """services_like(services, index_dir=None, **server) as a fixture, for test modules."""
    return lambda index_dir=None, **server: services_like(services, index_dir, **server)


@pytest.fixture(scope="session")
def app_with(services):
    def make(**server):
        from rag.api.app import create_app

        return create_app(services_like(services, **server), ui=False)

    return make


@pytest.fixture
def index_copy(services, tmp_path) -> Path:
    """A private copy of the session's index directory, for tests that write builds."""
    target = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target
