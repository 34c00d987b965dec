"""Fixtures for the evaluation harness: a small QA file in an outsider's spelling, services with a swapped
retriever or answerer, and the real app served by uvicorn on a free port."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.answer.model import Answer, Citation
from rag.services import Services
from tests.live import live_server

# every category of the dev set, one or two questions each (q084: 15 gold ids, so recall@k uses k=15)
SAMPLE_IDS = ("q001", "q002", "q036", "q060", "q084", "q100", "q114", "q123", "q134", "q152", "q169", "q178")
SHARED = ("corpus", "embedder", "index", "retriever", "chat_model", "answerer")


class FakeAnswerer:
    """The answer contract on top of retrieval, for when the real answerer is not there: cites the top hit."""

    def __init__(self, retriever):
        self.retriever = retriever

    def ask(self, question, history=None, mode="auto", doc=None, *, channel=None, client=None):
        hits = self.retriever.retrieve(question, 4, doc=doc)
        if not hits:
            return Answer(answer="无法回答", citations=[], refused=True, mode="extractive")
        top = hits[0].measure
        text = f"{top.text}\n责任单位：{'、'.join(top.units)}"
        return Answer(answer=text, citations=[Citation.of(top)], refused=False, mode="extractive",
                      retrieved=[h.measure.id for h in hits], timings={"search": 0.0, "answer": 0.0})


class DropFirstRetriever:
    """A deliberately worse retriever: loses its best hit. Everything else is the real one."""

    def __init__(self, inner):
        self.inner = inner

    def retrieve(self, query, top_k=5, doc=None):
        return self.inner.retrieve(query, top_k + 1, doc=doc)[1:]

    def __getattr__(self, name):
        return getattr(self.inner, name)


def services_with(services: Services, **replace) -> Services:
    """New Services on the session's loaded components (no rate limit), with some of them replaced."""
    cfg = services.settings
    svc = Services(cfg.model_copy(update={"server": cfg.server.model_copy(update={"ask_rate_per_minute": 0})}))
    for name in SHARED:
        if name in replace:
            svc.__dict__[name] = replace[name]
        elif name in ("corpus", "embedder", "index", "retriever"):
            svc.__dict__[name] = getattr(services, name)
    return svc


@pytest.fixture(scope="session")
def answerer(services):
    """The real answerer where the build has one, else the fake; both honour the same contract."""
    try:
        return services.answerer
    except Exception:
        return FakeAnswerer(services.retriever)


@pytest.fixture(scope="session")
def eval_services(services, answerer) -> Services:
    return services_with(services, answerer=answerer)


@pytest.fixture(scope="session")
def sample_rows(qa_rows) -> list[dict]:
    rows = [dict(r) for r in qa_rows if r["id"] in SAMPLE_IDS]
    assert len(rows) == len(SAMPLE_IDS)
    return rows


@pytest.fixture(scope="session")
def sample_file(sample_rows, tmp_path_factory) -> Path:
    """The sample as an outside evaluator might write it: full-width parentheses, spaces, extra fields."""
    lines = []
    for r in sample_rows:
        r = dict(r, source="hotline log", reviewed=True)
        if r["id"] == "q100":
            r["gold_ids"] = ["二（四） 4"]
        lines.append(json.dumps(r, ensure_ascii=False))
    path = tmp_path_factory.mktemp("eval") / "outside.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return path


def make_app(svc: Services):
    from rag.api.app import create_app

    app = create_app(svc, ui=False)
    if "/api/ask" not in {getattr(r, "path", "") for r in app.routes}:
        from rag.api.ask import router  # not yet registered by create_app in this build

        app.include_router(router)
    return app


@pytest.fixture(scope="session")
def live_url(eval_services):
    with live_server(make_app(eval_services)) as url:
        yield url


@pytest.fixture(scope="session")
def worse_services(services) -> Services:
    return services_with(services, retriever=DropFirstRetriever(services.retriever))


@pytest.fixture(scope="session")
def serve():
    """live_server(make_app(svc)) for tests that need a server of their own."""
    return lambda svc: live_server(make_app(svc))
