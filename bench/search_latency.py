"""Search latency on this machine: every question of a QA file through the in-process retriever (the
same code path as POST /api/search), after a warm-up. Prints p50/p95/max in milliseconds.

    python bench/search_latency.py [eval/qa.jsonl] [--rounds 3] [--http http://127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None, services=None) -> dict[str, dict[str, float]]:
    """Prints the figures and returns them by label; `services` defaults to the configured ones."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "eval" / "qa.jsonl"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--http", help="also time POST {URL}/api/search on a running server, e.g. http://127.0.0.1:8000")
    args = ap.parse_args(argv)

    from rag.evaluation.dataset import load_dataset
    from rag.services import get_services

    questions = [q.question for q in load_dataset(args.file).questions]
    retriever = (services or get_services()).retriever
    for q in questions[:10]:
        retriever.retrieve(q, args.top_k)  # warm-up: jieba, pinyin tables, first native calls
    times = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            retriever.retrieve(q, args.top_k)
            times.append((time.perf_counter() - t) * 1000)
    figures = {"in-process retrieve()": report("in-process retrieve()", times)}
    if args.http:
        import httpx

        with httpx.Client(base_url=args.http, timeout=30) as client:
            for q in questions[:10]:
                client.post("/api/search", json={"query": q, "top_k": args.top_k})
            times = []
            for _ in range(args.rounds):
                for q in questions:
                    t = time.perf_counter()
                    client.post("/api/search", json={"query": q, "top_k": args.top_k}).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
        figures["HTTP POST /api/search"] = report("HTTP POST /api/search", times)
    return figures


def report(label: str, times: list[float]) -> dict[str, float]:
    times.sort()
    figures = {
        "n": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "max_ms": times[-1],
    }
    print(
        f"{label}: n={len(times)} p50={figures['p50_ms']:.1f} ms p95={figures['p95_ms']:.1f} ms "
        f"max={figures['max_ms']:.1f} ms"
    )
    return figures


if __name__ == "__main__":
    main()
