"""Searches in worker processes: the same hits as in the serving process, a re-index reaches the workers,
a dead worker is replaced without a failed search, and the workers end with the server."""
from __future__ import annotations

import os
import shutil
import signal
import time

import pytest
from fastapi.testclient import TestClient

from rag.api.app import create_app
from rag.indexing.reindex import Reindexer
from rag.search_workers import SearchWorkers
from rag.services import Services
from tests.conftest import ROOT, make_settings

QUESTIONS = ["接水接电接气分别找哪些单位？", "二(四)4", "区税务局负责哪些措施？", "How do I register a company online?",
             "不动产登记能不能网上办？", "帮半营业执照要多久"]


def _same(a, b) -> bool:
    return [(h.measure.key, round(h.score, 5), h.via) for h in a] == [(h.measure.key, round(h.score, 5), h.via) for h in b]


def _pids(workers: SearchWorkers) -> list[int]:
    return [p.pid for p in workers._pool._processes.values()]


@pytest.fixture(scope="module")
def workers(services):
    w = SearchWorkers(services, processes=2, build=Services)
    w.start()
    yield w
    w.close()


def test_workers_give_the_hits_the_serving_process_gives(workers, services):
    assert len(_pids(workers)) == 2
    for q in QUESTIONS:
        assert _same(workers.retrieve(q, 5), services.retriever.retrieve(q, 5)), q
    scoped = workers.retrieve("企业开办", 3, doc="jiading-2021-7")
    assert len(scoped) == 3 and {h.measure.doc for h in scoped} == {"jiading-2021-7"}
    assert workers.fallbacks == 0


def test_a_killed_worker_is_replaced_and_no_search_fails(workers, services):
    os.kill(_pids(workers)[0], signal.SIGKILL)
    time.sleep(0.5)
    answered = [workers.retrieve(q, 5) for q in QUESTIONS]  # the one that finds the pool broken is answered here
    assert all(len(hits) == 5 for hits in answered)
    assert workers.fallbacks >= 1
    deadline = time.monotonic() + 120
    while workers._pool is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers._pool is not None, "no new workers within 120 s"
    before = workers.fallbacks
    assert _same(workers.retrieve(QUESTIONS[0], 5), services.retriever.retrieve(QUESTIONS[0], 5))
    assert workers.fallbacks == before and len(_pids(workers)) >= 1


def test_a_reindex_reaches_the_workers(tmp_path, services):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "jiading-2021-7.txt", corpus)
    index = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, index, ignore=shutil.ignore_patterns(".lock"))
    svc = Services(make_settings(tmp_path, corpus_dir=corpus, index_dir=index))
    svc.retriever  # the copied index: nothing embedded
    w = SearchWorkers(svc, processes=1, build=Services)
    w.start()
    try:
        assert {h.measure.doc for h in w.retrieve("邮轮旅客通关怎么办理？", 5)} == {"jiading-2021-7"}
        shutil.copy(ROOT / "tests" / "fixtures" / "notices" / "baoshan-2021-12.txt", corpus)
        state = Reindexer(svc)
        state.start()
        assert state.wait(300)["status"] == "done"
        hits = w.retrieve("邮轮旅客通关怎么办理？", 5, doc="baoshan-2021-12")
        assert hits and hits[0].measure.key == "baoshan-2021-12:二(一)1"
        assert w.fallbacks == 0  # answered by the worker, after it read the new build
    finally:
        w.close()
    assert w._pool is None and w.retrieve("二(四)4", 1)[0].measure.id == "二(四)4"  # closed: answered here


def test_the_server_stops_its_workers(tmp_path, services):
    svc = Services(services.settings.model_copy(update={"server": services.settings.server.model_copy(update={"search_workers": 1})}))
    for name in ("corpus", "embedder", "index", "retriever"):
        svc.__dict__[name] = getattr(services, name)
    svc.searcher.start()
    pids = _pids(svc.searcher)
    with TestClient(create_app(svc, ui=False)) as client:
        r = client.post("/api/search", json={"query": "接水找谁", "top_k": 3})
        assert r.status_code == 200 and len(r.json()["hits"]) == 3
        assert client.get("/healthz").json()["search_workers"] == 1
    assert svc.searcher.fallbacks == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)


def test_a_worker_reloads_once_per_build_of_the_serving_process(monkeypatch, services):
    import rag.search_workers as sw

    class FakeServices:
        def __init__(self):
            self.index = type("I", (), {"path": "index/build-b"})()  # CURRENT names a build the server has not loaded
            self.reloads = 0
            self.retriever = type("R", (), {"retrieve": lambda self, q, k, doc=None: services.retriever.retrieve(q, k, doc=doc)})()

        def reload(self):
            self.reloads += 1

    fake = FakeServices()
    monkeypatch.setattr(sw, "_worker_services", fake)
    monkeypatch.setattr(sw, "_reloaded_for", None)
    for _ in range(3):
        assert sw._search("index/build-a", "接水找谁", 3, None)
    assert fake.reloads == 1
    sw._search("index/build-c", "接水找谁", 3, None)  # the server moved on: one more reload
    assert fake.reloads == 2


def test_workers_go_when_the_serving_process_is_killed(tmp_path, services):
    """kill -9 of the serving process leaves no search worker behind."""
    import json
    import subprocess
    import sys

    script = tmp_path / "serve.py"
    script.write_text(
        "import json, os, signal, sys\n"
        "from rag.search_workers import SearchWorkers\n"
        "from rag.services import Services\n"
        "from rag.settings import Settings\n"
        "if __name__ == '__main__':  # spawned workers import this file again\n"
        "    svc = Services(Settings.model_validate_json(sys.argv[1]))\n"
        "    w = SearchWorkers(svc, processes=2, build=Services)\n"
        "    w.start()\n"
        "    print(json.dumps([p.pid for p in w._pool._processes.values()]), flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n", encoding="utf-8")
    # not subprocess.run: it would wait for the end of stdout, which surviving workers keep open
    proc = subprocess.Popen([sys.executable, str(script), services.settings.model_dump_json()], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    with proc.stdout:
        line = proc.stdout.readline()
        proc.wait(timeout=300)
    assert line.strip(), "the serving script printed no worker pids"
    pids = json.loads(line)
    assert len(pids) == 2
    deadline = time.monotonic() + 15
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        for pid in list(alive):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                alive.discard(pid)
        time.sleep(0.2)
    for pid in alive:  # a failing run must not leave them behind either
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers {alive} outlived the killed serving process"
