"""Synthetic city-scale corpora for the scale benchmarks: notices in the real notice's format, read by the real
parser, and vectors clustered like real ones (bench/scale_e2e.py says how).

A generated measure opens with a clause of a real measure (its topic) and goes on with words drawn by Zipf's law
from the real notice's vocabulary and 30,000 invented words, so BM25's postings have a realistic spread. Vectors:
a common direction, a topic per measure (shared with the clause it opens with), sub-topics, per-measure noise.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIM = 384
PER_NOTICE = (5, 10, 20)  # parts × sections × measures: 1,000 measures a notice
CN = "一二三四五六七八九十"
MODEL = "synthetic-clustered"


def topic_count(n: int) -> int:
    return max(32, int(2 * math.sqrt(n)))  # a city has more subjects than a district: 10k → 200, 1M → 2000


def normalized(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


class Generator:
    def __init__(self, n: int, seed: int = 5):
        from rag.corpus.parser import parse_file
        from rag.retrieval.tokenize import tokenize

        self.rng = np.random.default_rng(seed)
        real = parse_file(next((ROOT / "corpus").glob("*.txt")))
        self.real = real
        clauses = []
        for m in real.measures:
            clauses += [c for c in m.body.replace(",", "，").replace("。", "，").split("，") if len(c) >= 6]
        self.clauses = clauses
        words = sorted({t for m in real.measures for t in tokenize(m.text)})
        cjk = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 3000)])
        invented = {"".join(self.rng.choice(cjk, size=int(self.rng.integers(2, 4)))) for _ in range(30_000)}
        vocab = np.array(words + sorted(invented - set(words)))
        self.rng.shuffle(vocab)
        p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
        self.vocab, self.p = vocab, p / p.sum()
        units = sorted({u for m in real.measures for u in m.units})
        self.units = units + [f"区{w}{self.rng.choice(['局', '办', '委', '中心'])}" for w in vocab[:400]]
        self.topics = topic_count(n)
        tw = np.minimum(self.rng.zipf(1.3, self.topics).astype(np.float64), 200)
        self.topic_p = tw / tw.sum()

    def notice(self, doc: str, count: int) -> tuple[str, dict[str, tuple[int, int]]]:
        """One notice's text and, for each measure key, its (topic, sub-topic)."""
        rng, lines, topics = self.rng, [f"关于印发第{doc}号实施方案的通知", "为持续优化营商环境,制订本实施方案:"], {}
        parts, sections, items = PER_NOTICE
        left = count
        words = rng.choice(len(self.vocab), size=count * 40 + 200, p=self.p)
        w = 0
        for a in range(parts):
            if left <= 0:
                break
            lines.append(f"{CN[a]}、{''.join(self.vocab[words[w : w + 3]])}")
            w += 3
            for s in range(sections):
                if left <= 0:
                    break
                lines.append(f"({CN[s]}){''.join(self.vocab[words[w : w + 4]])}。具体措施:")
                w += 4
                for i in range(1, items + 1):
                    if left <= 0:
                        break
                    t, sub = int(rng.choice(self.topics, p=self.topic_p)), int(rng.integers(0, 8))
                    k = int(rng.integers(8, 30))
                    body = "，".join([self.clauses[t % len(self.clauses)], *self.vocab[words[w : w + k]]])
                    w = (w + k) % (len(words) - 40)
                    units = "、".join(rng.choice(self.units, size=int(rng.integers(1, 4)), replace=False))
                    lines.append(f"{i}.{body}。(责任单位:{units})")
                    topics[f"{doc}:{CN[a]}({CN[s]}){i}"] = (t, sub)
                    left -= 1
        return "\n".join(lines) + "\n", topics


def write_corpus(n: int, corpus_dir: Path) -> dict[str, tuple[int, int]]:
    gen = Generator(n)
    corpus_dir.mkdir(parents=True)
    shutil.copy(next((ROOT / "corpus").glob("*.txt")), corpus_dir)
    topics = {m.key: (i % gen.topics, i % 8) for i, m in enumerate(gen.real.measures)}
    left, g = n - len(gen.real.measures), 0
    per = PER_NOTICE[0] * PER_NOTICE[1] * PER_NOTICE[2]
    while left > 0:
        doc = f"gen-{g:05d}"
        text, t = gen.notice(doc, min(per, left))
        (corpus_dir / f"{doc}.txt").write_text(text, encoding="utf-8")
        topics.update(t)
        left -= len(t)
        g += 1
    return topics


def vectors_for(keys: list[str], topics: dict[str, tuple[int, int]], n_topics: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    common = normalized(rng.standard_normal(DIM, dtype=np.float32))
    topic_dirs = normalized(rng.standard_normal((n_topics, DIM), dtype=np.float32))
    sub_dirs = normalized(rng.standard_normal((n_topics, 8, DIM), dtype=np.float32))
    out = np.empty((len(keys), DIM), dtype=np.float32)
    for lo in range(0, len(keys), 100_000):
        chunk = keys[lo : lo + 100_000]
        ts = np.array([topics[k] for k in chunk])
        noise = normalized(rng.standard_normal((len(chunk), DIM), dtype=np.float32))
        out[lo : lo + len(chunk)] = normalized(
            0.6 * common + 0.55 * topic_dirs[ts[:, 0]] + 0.4 * sub_dirs[ts[:, 0], ts[:, 1]] + 1.0 * noise
        )
    return out


class SyntheticEmbedder:
    """Passages: the precomputed vector of each chunk text; questions: the vector given for the text, or a
    text-seeded random one."""

    name, dim = MODEL, DIM

    def __init__(self, by_text: dict[str, np.ndarray] | None = None, queries: dict[str, np.ndarray] | None = None):
        self.by_text, self.queries = by_text or {}, queries or {}

    def _random(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        return normalized(np.random.default_rng(seed).standard_normal(DIM).astype(np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        q = self.queries.get(text)
        return q if q is not None else self._random(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return (
            np.stack([self.by_text[t] if t in self.by_text else self._random(t) for t in texts])
            if texts
            else np.zeros((0, DIM), np.float32)
        )
