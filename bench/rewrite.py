"""What the chat model's restatement (rag/answer/rewrite.py) does to the measures an answer rests on: for every
answerable question of the QA files, hit@1 of the answer's context in `auto` mode with the rewrite and without
it, by category, and the seconds each rewrite took. Needs the local chat model (`rag model prepare`).

    python bench/rewrite.py eval/qa.jsonl eval/users-dev.jsonl
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict


def main(argv: list[str] | None = None, services=None) -> dict[str, tuple[float, float]]:
    """Prints the table and returns hit@1 without and with the rewrite, by category; `services` defaults to
    the configured ones (their chat model does the rewriting)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)

    from rag.answer.service import Answerer
    from rag.corpus.ids import normalize_id
    from rag.evaluation.aggregate import percentile
    from rag.evaluation.dataset import load_dataset
    from rag.services import get_services

    svc = services or get_services()
    with_rw = svc.answerer
    settings = svc.settings.model_copy(deep=True)
    settings.answer.rewrite = False
    without = Answerer(svc.corpus, svc.retriever, svc.chat_model, settings)
    if with_rw.rewriter is None:
        raise SystemExit("no chat model: set RAG_LLM__BACKEND and run `rag model prepare`")
    hits: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    seconds: list[float] = []
    for path in args.files:
        for q in load_dataset(path).questions:
            if not q.gold_ids:
                continue
            gold = {normalize_id(g) for g in q.gold_ids}
            base = without.context(q.question)
            t = time.perf_counter()
            ctx = with_rw.context(q.question)
            if ctx.rewritten:
                seconds.append(time.perf_counter() - t)
            pair = (
                bool(base.hits) and base.hits[0].measure.id in gold,
                bool(ctx.hits) and ctx.hits[0].measure.id in gold,
            )
            hits[q.category].append(pair)
            hits["OVERALL"].append(pair)
    table = {
        cat: (sum(a for a, _ in rows) / len(rows), sum(b for _, b in rows) / len(rows))
        for cat, rows in sorted(hits.items(), key=lambda kv: (kv[0] == "OVERALL", kv[0]))
    }
    print(f"{'category':16s} {'n':>4s} {'hit@1':>7s} {'+rewrite':>9s}")
    for cat, (plain, rewritten) in table.items():
        print(f"{cat:16s} {len(hits[cat]):4d} {plain:7.3f} {rewritten:9.3f}")
    if seconds:
        print(
            f"rewritten {len(seconds)} of {len(hits['OVERALL'])}; seconds per rewrite "
            f"p50 {percentile(seconds, 50):.2f}, p95 {percentile(seconds, 95):.2f}"
        )
    return table


if __name__ == "__main__":
    main()
