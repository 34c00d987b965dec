"""The index on disk under crashes and damage: a build killed at any moment leaves the old build serving;
a corrupt, half-written or mismatched build is detected on load and rebuilt, never served."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from rag.indexing.store import IndexError_, build_index, current_build, load_index, load_or_build
from rag.settings import VectorStoreSettings

ROOT = Path(__file__).resolve().parents[2]
STORE = VectorStoreSettings()


class HashEmbedder:
    """Deterministic, instant vectors of the real model's size: a build spends its time writing files."""

    name, dim = "hash-test-384", 384

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.stack([np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16))
                        .standard_normal(self.dim).astype(np.float32) for t in texts])
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def built(corpus, tmp_path):
    index_dir = tmp_path / "index"
    return build_index(corpus, HashEmbedder(), index_dir, STORE), index_dir


def _assert_rebuilt(corpus, index_dir, old_path, why: str):
    with pytest.raises(IndexError_, match=why):
        load_index(corpus, HashEmbedder(), index_dir, STORE)
    again = load_or_build(corpus, HashEmbedder(), index_dir, STORE)
    assert again.rebuilt and again.path != old_path and len(again.store) == len(corpus.measures)
    assert load_index(corpus, HashEmbedder(), index_dir, STORE).path == again.path  # the rebuild loads cleanly
    return again


# --- damage ------------------------------------------------------------------------------------------------

def test_truncated_faiss_index_is_detected_and_rebuilt(corpus, built):
    first, index_dir = built
    f = first.path / "faiss.index"
    f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    _assert_rebuilt(corpus, index_dir, first.path, "checksum")


def test_flipped_bytes_in_vectors_are_detected_and_rebuilt(corpus, built):
    first, index_dir = built
    f = first.path / "vectors.npy"
    data = bytearray(f.read_bytes())
    for i in (200, len(data) // 2, len(data) - 3):
        data[i] ^= 0xFF
    f.write_bytes(bytes(data))
    _assert_rebuilt(corpus, index_dir, first.path, "checksum")


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"\xff\xfe\x00", b"[]", b'{"format": 99}', b"null"])
def test_garbage_manifest_is_detected_and_rebuilt(corpus, built, garbage):
    first, index_dir = built
    (first.path / "manifest.json").write_bytes(garbage)
    with pytest.raises(IndexError_):
        load_index(corpus, HashEmbedder(), index_dir, STORE)
    again = load_or_build(corpus, HashEmbedder(), index_dir, STORE)
    assert again.path != first.path and load_index(corpus, HashEmbedder(), index_dir, STORE).path == again.path


def test_missing_file_is_detected_and_rebuilt(corpus, built):
    first, index_dir = built
    (first.path / "faiss.keys.json").unlink()
    _assert_rebuilt(corpus, index_dir, first.path, "missing")


@pytest.mark.parametrize("pointer", ["build-does-not-exist", "", "../..", "/etc", "build-x/../../..", "\x00"])
def test_current_pointing_nowhere_is_detected_and_rebuilt(corpus, built, pointer):
    first, index_dir = built
    (index_dir / "CURRENT").write_text(pointer)
    assert current_build(index_dir) is None
    _assert_rebuilt(corpus, index_dir, first.path, "no index")


def test_keys_tampered_with_a_matching_checksum_are_still_caught(corpus, built):
    # someone "repairs" the manifest after editing a file: the sizes no longer agree
    first, index_dir = built
    keys = first.path / "faiss.keys.json"
    keys.write_text(json.dumps(json.loads(keys.read_text())[:-1]))
    manifest = json.loads((first.path / "manifest.json").read_text())
    manifest["files"]["faiss.keys.json"] = hashlib.sha256(keys.read_bytes()).hexdigest()
    (first.path / "manifest.json").write_text(json.dumps(manifest))
    again = load_or_build(corpus, HashEmbedder(), index_dir, STORE)
    assert again.path != first.path and len(again.store) == len(corpus.measures)


def test_a_manifest_from_another_embedding_model_is_rebuilt(corpus, built):
    first, index_dir = built

    class Other(HashEmbedder):
        name = "another-model-384"

    with pytest.raises(IndexError_, match="embedding_model"):
        load_index(corpus, Other(), index_dir, STORE)
    again = load_or_build(corpus, Other(), index_dir, STORE)
    assert again.manifest["embedding_model"] == "another-model-384" and again.path != first.path


def test_a_manifest_with_another_dimension_is_rebuilt(corpus, built):
    first, index_dir = built

    class Smaller(HashEmbedder):
        dim = 128

    again = load_or_build(corpus, Smaller(), index_dir, STORE)
    assert again.manifest["dim"] == 128 and again.vectors.shape == (len(corpus.measures), 128)


def test_a_half_written_build_is_never_served_and_is_cleaned_up(corpus, built):
    first, index_dir = built
    partial = index_dir / "build-20990101000000-deadbeef"
    partial.mkdir()
    (partial / "vectors.npy").write_bytes(b"\x93NUMPY half")
    (index_dir / ".CURRENT.1234abcd").write_text(partial.name)  # the pointer was never renamed into place
    assert load_index(corpus, HashEmbedder(), index_dir, STORE).path == first.path
    build_index(corpus, HashEmbedder(), index_dir, STORE)
    assert not partial.exists() and not first.path.exists()


# --- kill -9 -----------------------------------------------------------------------------------------------

LOOP = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {here!r})
    from rag.corpus.collection import Corpus
    from rag.indexing.store import build_index
    from rag.settings import VectorStoreSettings
    from test_integrity import HashEmbedder
    corpus = Corpus.load(Path({corpus!r}))
    print("ready", flush=True)
    while True:
        build_index(corpus, HashEmbedder(), Path({index!r}), VectorStoreSettings())
""")


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_kill_9_at_random_moments_of_rebuilding_never_breaks_the_index(corpus, settings, built, tmp_path):
    """A process rebuilding over and over is killed at random moments; most land while it writes files or
    swaps CURRENT. After every kill the index loads, verified, and serves all measures."""
    _, index_dir = built
    script = tmp_path / "rebuild_loop.py"
    script.write_text(LOOP.format(root=str(ROOT), here=str(Path(__file__).parent), corpus=str(settings.corpus_dir),
                                  index=str(index_dir)))
    rng = random.Random(20211207)
    builds_seen = set()
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.05, 1.5))
        finally:
            _kill(proc)
        loaded = load_index(corpus, HashEmbedder(), index_dir, STORE)  # raises if CURRENT names anything broken
        assert len(loaded.store) == loaded.manifest["count"] == len(corpus.measures)
        builds_seen.add(loaded.path.name)
    assert len(builds_seen) >= 2, "the kills never let a rebuild finish: the test proves less than it says"
    final = build_index(corpus, HashEmbedder(), index_dir, STORE)  # the next build clears what the kills left
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("build-")) == [final.path.name]


def test_kill_9_during_rag_index_build_keeps_the_old_index_serving(services, tmp_path):
    """The real command with the real model, killed while it embeds: the old build still loads and answers."""
    index_dir = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, index_dir, ignore=shutil.ignore_patterns(".lock"))
    before = (index_dir / "CURRENT").read_text()
    env = {**os.environ, "RAG_CORPUS_DIR": str(services.settings.corpus_dir), "RAG_INDEX_DIR": str(index_dir),
           "RAG_DATA_DIR": str(tmp_path / "data"), "RAG_LLM__BACKEND": "none"}
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "index", "build", "--force"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = False
    try:
        proc.wait(timeout=random.Random(7).uniform(1.5, 4.0))  # loading the model or embedding: a build takes ~20 s
    except subprocess.TimeoutExpired:
        _kill(proc)
        killed = True
    loaded = load_index(services.corpus, services.embedder, index_dir, services.settings.vector_store)
    if killed:
        assert (index_dir / "CURRENT").read_text() == before == loaded.path.name, "a killed build was made live"
    else:  # a machine fast enough to finish first: the new build must then be complete
        assert proc.returncode == 0 and loaded.path.name != before
    from rag.retrieval import HybridRetriever

    hits = HybridRetriever(services.corpus, services.embedder, loaded, services.settings.retrieval).retrieve("企业开办", 3)
    assert len(hits) == 3
