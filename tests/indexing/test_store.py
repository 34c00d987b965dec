import json
import shutil


from rag.corpus.collection import Corpus
from rag.indexing.store import current_build, load_index, load_or_build
from rag.settings import VectorStoreSettings
from tests.fakes import CountingEmbedder


def _corpus(tmp_path, *extra):
    d = tmp_path / "corpus"
    d.mkdir(exist_ok=True)
    shutil.copy(__import__("tests.conftest", fromlist=["CORPUS"]).CORPUS / "jiading-2021-7.txt", d)
    for name, text in extra:
        (d / name).write_text(text, encoding="utf-8")
    return Corpus.load(d)


def test_manifest_and_reload(tmp_path):
    corpus, emb = _corpus(tmp_path), CountingEmbedder()
    built = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    m = built.manifest
    assert m["count"] == 172 and m["dim"] == 8 and m["embedding_model"] == "counting-test"
    assert m["corpus_fingerprint"] == corpus.fingerprint and m["store"] == "faiss-flat"
    assert set(m["files"]) >= {"vectors.npy", "faiss.index"}
    again = load_index(corpus, emb, tmp_path / "index", VectorStoreSettings())
    assert again.rebuilt == "" and emb.embedded == 172
    # one string a key in the serving process: the corpus's own, in the index and in its store; the chunk
    # hashes stay in the build for a rebuild to read (live_donor), not in every search process
    assert all(k is m.key for k, m in zip(again.keys, corpus.measures, strict=True))
    assert again.store.keys is again.keys and "chunk_hashes" not in again.manifest
    assert again.keys == json.loads((again.path / "manifest.json").read_text(encoding="utf-8"))["keys"]


def test_new_notice_embeds_only_its_measures(tmp_path):
    emb = CountingEmbedder()
    load_or_build(_corpus(tmp_path), emb, tmp_path / "index", VectorStoreSettings())
    second = "一、总则\n(一)节。具体措施:\n1.做一件事。(责任单位:区府办)\n2.再做一件。(责任单位:区经委)\n"
    corpus = _corpus(tmp_path, ("zz-second.txt", second))
    rebuilt = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    assert "stale" in rebuilt.rebuilt and rebuilt.manifest["embedded"] == 2 and emb.embedded == 174
    assert rebuilt.manifest["count"] == 174


def test_corrupt_index_is_rebuilt_not_served(tmp_path):
    corpus, emb = _corpus(tmp_path), CountingEmbedder()
    first = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    vec = first.path / "vectors.npy"
    vec.write_bytes(vec.read_bytes()[:-16] + b"\0" * 16)
    again = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    assert "corrupt" in again.rebuilt and again.path != first.path
    assert current_build(tmp_path / "index") == again.path and not first.path.exists()


def test_model_change_makes_index_stale(tmp_path):
    corpus, emb = _corpus(tmp_path), CountingEmbedder()
    load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    other = CountingEmbedder(name="another-model")
    rebuilt = load_or_build(corpus, other, tmp_path / "index", VectorStoreSettings())
    assert "embedding_model" in rebuilt.rebuilt and other.embedded == 172
    manifest = json.loads((rebuilt.path / "manifest.json").read_text())
    assert manifest["embedding_model"] == "another-model"


def test_build_artifacts_stay_out_of_git():
    from pathlib import Path

    ignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text()
    assert "/index/*" in ignore and "/data/" in ignore

def test_every_rebuild_reuses_what_verifies_unless_full(tmp_path):
    """`rebuild` is the one path (index build, ingest, admin re-index, stale load): a store change keeps
    every vector, `full` embeds all again, and a corrupt live build donates nothing."""
    from rag.indexing.store import rebuild

    corpus, emb = _corpus(tmp_path), CountingEmbedder()
    first = load_or_build(corpus, emb, tmp_path / "index", VectorStoreSettings())
    hnsw = rebuild(corpus, emb, tmp_path / "index", VectorStoreSettings(faiss_index="hnsw"), reason="test")
    assert hnsw.manifest["store"] == "faiss-hnsw" and hnsw.manifest["embedded"] == 0 and emb.embedded == 172
    assert (hnsw.vectors == first.vectors).all()
    assert rebuild(corpus, emb, tmp_path / "index", VectorStoreSettings(), full=True).manifest["embedded"] == 172
    vec = current_build(tmp_path / "index") / "vectors.npy"
    vec.write_bytes(vec.read_bytes()[:-16] + b"\0" * 16)
    assert rebuild(corpus, emb, tmp_path / "index", VectorStoreSettings()).manifest["embedded"] == 172


def test_store_size_picks_the_faiss_index(tmp_path):
    from rag.vectorstores import make_vector_store

    auto = VectorStoreSettings(faiss_index="auto", faiss_exact_below=1000)
    assert make_vector_store(auto, 8, 999).kind == "faiss-flat"
    assert make_vector_store(auto, 8, 1000).kind == "faiss-ivf"
    assert make_vector_store(VectorStoreSettings(faiss_index="ivf"), 8, 10).kind == "faiss-ivf"
