"""Shared fixtures: the real corpus, one index built per test session in a temp dir, and the services."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.services import Services
from rag.settings import Settings

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
