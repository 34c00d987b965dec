"""What the chat model's restatement (rag/answer/rewrite.py) does to the measures an answer rests on: for every
answerable question of the QA files, hit@1 of the answer's context in `auto` mode with the rewrite and without
it, by category, and the seconds each rewrite took. Needs the local chat model (`rag model prepare`).

    python bench/rewrite.py eval/qa.jsonl eval/users-dev.jsonl
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    from rag.answer.service import Answerer
    from rag.corpus.ids import normalize_id
    from rag.evaluation.aggregate import percentile
    from rag.evaluation.dataset import load_dataset
    from rag.services import get_services

    svc = get_services()
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
            pair = (bool(base.hits) and base.hits[0].measure.id in gold, bool(ctx.hits) and ctx.hits[0].measure.id in gold)
            hits[q.category].append(pair)
            hits["OVERALL"].append(pair)
    print(f"{'category':16s} {'n':>4s} {'hit@1':>7s} {'+rewrite':>9s}")
    for cat in sorted(hits, key=lambda c: (c == "OVERALL", c)):
        rows = hits[cat]
        print(f"{cat:16s} {len(rows):4d} {sum(a for a, _ in rows) / len(rows):7.3f} {sum(b for _, b in rows) / len(rows):9.3f}")
    if seconds:
        print(f"rewritten {len(seconds)} of {len(hits['OVERALL'])}; seconds per rewrite p50 {percentile(seconds, 50):.2f}, "
              f"p95 {percentile(seconds, 95):.2f}")


if __name__ == "__main__":
    main()
