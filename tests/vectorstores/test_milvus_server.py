"""Search through a real Milvus standalone server (the `milvus` package), started in a temporary directory:
the index built into it, the same retriever on top, the same top 5 as FAISS on the dev set."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
milvus = pytest.importorskip("milvus")

from rag.services import Services  # noqa: E402

pytestmark = pytest.mark.milvus
ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ("rootCoord", "proxy", "queryCoord", "queryNode", "indexCoord", "indexNode", "dataCoord", "dataNode")


def _stop(server) -> None:
    """SIGTERM, then SIGKILL: the server sometimes hangs on SIGTERM, and it must never outlive the tests."""
    proc = server.server_proc
    try:
        server.stop()  # terminate, wait 1 s, kill
    finally:
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def milvus_uri(tmp_path_factory):
    server = milvus.MilvusServer()
    server.set_base_dir(str(tmp_path_factory.mktemp("milvus")))
    # freshly inserted rows are otherwise searched through an approximate interim index for a while
    server.config.set("queryNode.segcore.interimIndex.enableIndex", False)
    for component in COMPONENTS:  # advertise loopback; the package has no setting for the listen address
        server.config.set(f"{component}.ip", "127.0.0.1")
    started = time.monotonic()
    try:
        server.start()
        yield f"http://127.0.0.1:{server.listen_port}"  # the port moves on when 19530 is taken
    finally:
        _stop(server)
    assert time.monotonic() - started < 300


def _questions() -> list[str]:
    rows = []
    for name in ("qa.jsonl", "users-dev.jsonl"):
        rows += [json.loads(line) for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("history") in (None, [])]


def test_search_through_a_milvus_server_gives_faiss_top5(services, milvus_uri, index_copy):
    cfg = services.settings
    settings = cfg.model_copy(update={"index_dir": index_copy, "vector_store": cfg.vector_store.model_copy(
        update={"backend": "milvus", "milvus_uri": milvus_uri})})
    svc = Services(settings)
    svc.__dict__["embedder"] = services.embedder  # the same encoder, loaded once
    try:
        retriever = svc.retriever  # a stale (FAISS) build: rebuilt into Milvus, reusing its vectors
        assert svc.index.store.kind.startswith("milvus") and not svc.index.store.lite
        assert svc.index.manifest["embedded"] == 0
        questions = _questions()
        assert len(questions) > 500
        differ = []
        for q in questions:
            want = [h.measure.key for h in services.retriever.retrieve(q, 5)]
            got = [h.measure.key for h in retriever.retrieve(q, 5)]
            if got != want:
                differ.append((q, want, got))
        assert not differ, differ[:5]
        doc = services.corpus.documents[0].id
        assert {h.measure.doc for h in retriever.retrieve("接水", 5, doc=doc)} == {doc}
    finally:
        svc.index.store.close()
