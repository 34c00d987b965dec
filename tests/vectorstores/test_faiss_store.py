import numpy as np
import pytest

from rag.vectorstores.faiss_store import FaissStore


def _data(n=2000, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "ivf", "hnsw"])
def test_every_faiss_kind_finds_a_stored_vector_and_survives_save_load(tmp_path, kind):
    v = _data()
    keys = [f"d:{i}" for i in range(len(v))]
    store = FaissStore(16, kind, nlist=64, nprobe=16)
    store.add(keys, v)
    assert store.search(v[123], 1)[0][0] == "d:123"
    store.save(tmp_path)
    again = FaissStore(16, kind, nlist=64, nprobe=16)
    again.load(tmp_path)
    assert len(again) == len(v) and again.search(v[7], 1)[0][0] == "d:7"
    assert again.kind == f"faiss-{kind}"


@pytest.mark.parametrize("kind", ["flat", "ivf", "hnsw"])
def test_the_document_filter_reaches_the_index(kind):
    v = _data()
    keys = [f"{'a' if i % 3 else 'b'}:{i}" for i in range(len(v))]
    store = FaissStore(16, kind, nlist=16, nprobe=16)
    store.add(keys, v)
    found = store.search(v[3], 10, doc="b")
    assert found[0][0] == "b:3" and len(found) == 10 and all(k.startswith("b:") for k, _ in found)
    assert store.search(v[3], 10, doc="nope") == []
    assert store.search(v[4], 1, doc="b")[0][0] != "a:4"


def test_hnsw_returns_as_many_as_asked_beyond_ef_search():
    v = _data(n=600)
    store = FaissStore(16, "hnsw", ef_search=16)
    store.add([f"d:{i}" for i in range(len(v))], v)
    assert len(store.search(v[0], 300)) == 300


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_a_small_document_is_searched_wide_enough(kind):
    v = _data(n=4000)
    keys = [f"{'small' if i % 200 == 0 else 'big'}:{i}" for i in range(len(v))]
    store = FaissStore(16, kind, nlist=64, nprobe=1, ef_search=8)
    store.add(keys, v)
    found = store.search(v[400], 10, doc="small")
    assert len(found) == 10 and found[0][0] == "small:400"
