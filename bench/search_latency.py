"""Search latency on this machine: every question of a QA file through the in-process retriever (the
same code path as POST /api/search), after a warm-up. Prints p50/p95/max in milliseconds."""
from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default="eval/qa.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--http", help="also time POST {URL}/api/search on a running server, e.g. http://127.0.0.1:8000")
    args = ap.parse_args()

    from rag.services import get_services

    from rag.evaluation.dataset import load_dataset

    questions = [q.question for q in load_dataset(args.file).questions]
    retriever = get_services().retriever
    for q in questions[:10]:
        retriever.retrieve(q, args.top_k)  # warm-up: jieba, pinyin tables, first native calls
    times = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            retriever.retrieve(q, args.top_k)
            times.append((time.perf_counter() - t) * 1000)
    report("in-process retrieve()", times)
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
        report("HTTP POST /api/search", times)


def report(label: str, times: list[float]) -> None:
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{label}: n={len(times)} p50={statistics.median(times):.1f} ms p95={p(0.95):.1f} ms max={times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
