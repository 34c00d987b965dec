"""The Milvus back-end, on Milvus Lite (same client API as a cluster): the VectorStore contract, persistence
inside an index build, and the build/load path chosen by settings."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.fakes import CountingEmbedder

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from rag.corpus.collection import Corpus  # noqa: E402
from rag.indexing.store import build_index, load_index, load_or_build  # noqa: E402
from rag.settings import VectorStoreSettings  # noqa: E402
from rag.vectorstores import VectorStore, make_vector_store  # noqa: E402
from rag.vectorstores.faiss_store import FaissStore  # noqa: E402
from rag.vectorstores.milvus_store import MilvusStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DIM = 16


def HashEmbedder():
    return CountingEmbedder(DIM, "hash-test")


def unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def build_dir(tmp_path) -> Path:
    d = tmp_path / "build-20260101000000-abcdef01"
    d.mkdir()
    return d


def test_store_contract_and_round_trip(build_dir):
    keys = [f"{'a' if i % 2 else 'b'}:{i}" for i in range(300)]
    vecs = unit_vectors(300)
    store = MilvusStore(DIM)
    assert isinstance(store, VectorStore) and store.kind == "milvus-hnsw"
    store.bind(build_dir)
    store.add(keys[:100], vecs[:100])
    store.add(keys[100:], vecs[100:])  # added in two calls, like any store
    files = store.save(build_dir)
    assert files == ["milvus.json"] and (build_dir / "milvus.db").is_dir()
    assert len(store) == 300
    hits = store.search(vecs[7], 5)
    assert hits[0][0] == keys[7] and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    exact = np.argsort(-(vecs @ vecs[7]))[:5]
    assert [k for k, _ in hits] == [keys[i] for i in exact]  # 300 vectors: HNSW finds the exact top 5
    only_a = store.search(vecs[8], 5, doc="a")  # key 8 is in document b
    assert only_a and all(k.startswith("a:") for k, _ in only_a)
    scores, positions = store.search_batch(vecs[:3], 1)
    assert positions[:, 0].tolist() == [0, 1, 2]
    store.close()

    again = MilvusStore(DIM)
    again.bind(build_dir)
    again.load(build_dir)
    assert len(again) == 300 and again.keys == keys
    assert again.search(vecs[123], 1)[0][0] == keys[123]
    again.close()


def test_load_refuses_a_build_that_does_not_match(build_dir):
    store = MilvusStore(DIM)
    store.bind(build_dir)
    store.add(["d:1", "d:2"], unit_vectors(2))
    store.save(build_dir)
    store.close()
    meta = json.loads((build_dir / "milvus.json").read_text())
    (build_dir / "milvus.json").write_text(json.dumps({**meta, "count": 3, "keys": ["d:1", "d:2", "d:3"]}))
    with pytest.raises(ValueError, match="holds 2 rows"):
        s = MilvusStore(DIM)
        try:
            s.load(build_dir)
        finally:
            s.close()
    with pytest.raises(ValueError, match="settings want"):
        MilvusStore(DIM + 1).load(build_dir)


def test_ivf_index_type(build_dir):
    store = MilvusStore(DIM, index_type="IVF_FLAT", index_params={"nlist": 4}, search_params={"nprobe": 4})
    assert store.kind == "milvus-ivf_flat"
    store.bind(build_dir)
    vecs = unit_vectors(200, seed=3)
    store.add([f"d:{i}" for i in range(200)], vecs)
    store.save(build_dir)
    assert store.search(vecs[42], 1)[0][0] == "d:42"
    store.close()


def test_factory_builds_it_from_settings():
    store = make_vector_store(VectorStoreSettings(backend="milvus"), DIM)
    assert isinstance(store, MilvusStore) and store.lite
    remote = make_vector_store(VectorStoreSettings(backend="milvus", milvus_uri="http://milvus.example:19530", milvus_token="u:p"), DIM)
    assert not remote.lite
    remote.bind(Path("/nonexistent/build-20260101000000-abcdef01"))
    assert remote.collection == "rag_build_20260101000000_abcdef01"  # one collection per build on a cluster


def test_index_build_and_load_with_milvus(tmp_path):
    """build_index / load_index through the Milvus back-end agree with FAISS on the same vectors."""
    corpus = Corpus.load(ROOT / "corpus")
    emb = HashEmbedder()
    cfg = VectorStoreSettings(backend="milvus")
    built = build_index(corpus, emb, tmp_path / "index", cfg)
    assert built.manifest["store"] == "milvus-hnsw" and built.manifest["count"] == len(corpus.measures)
    assert (built.path / "milvus.db").is_dir() and "milvus.json" in built.manifest["files"]
    q = emb.embed_query("企业开办")
    faiss = FaissStore(DIM)
    faiss.add(built.keys, built.vectors)
    assert [k for k, _ in built.store.search(q, 5)] == [k for k, _ in faiss.search(q, 5)]
    built.store.close()

    loaded = load_index(corpus, emb, tmp_path / "index", cfg)
    assert loaded.path == built.path and len(loaded.store) == len(corpus.measures)
    assert [k for k, _ in loaded.store.search(q, 5)] == [k for k, _ in faiss.search(q, 5)]
    loaded.store.close()

    # switching the setting back to FAISS makes the build stale: rebuilt, every vector reused
    emb.embedded = 0
    again = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    assert again.manifest["store"] == "faiss-flat" and emb.embedded == 0
