"""The question bank's vote, measured with whole writers held out: each answerable question of the given
files is searched with a bank that holds no question by its writer, at several vote weights, and hit@1 is
printed by category. Also times the bank's two per-question products (retrieval's vote, scope's
similarities). This is how `retrieval.bank_weight` was chosen (on the dev files, never the test split).

    python bench/question_bank.py                                   # the dev files
    python bench/question_bank.py --weights 0 0.5 0.8 1.0 --gains 0 15 --neighbours 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = [ROOT / "eval" / f for f in ("qa.jsonl", "users-dev.jsonl", "users-train.jsonl")]
COVERAGE = ROOT / "eval" / "users-coverage.jsonl"  # in the bank, never scored (as `rag calibrate --bank-only`)


def main(argv: list[str] | None = None, services=None) -> dict[tuple[float, float], dict[str, float]]:
    """Prints the table and returns hit@1 by (weight, gain) and category; `services` defaults to the
    configured ones."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", default=[str(p) for p in DEV])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.5, 0.8, 1.0])
    ap.add_argument("--gains", type=float, nargs="+", default=[0.0, 15.0], help="bank_closeness_gain values")
    ap.add_argument("--neighbours", type=int, default=3)
    ap.add_argument("--bank-only", nargs="*", default=[str(COVERAGE)], help="files whose questions join the bank only")
    args = ap.parse_args(argv)
    from rag.calibration import labelled, question_bank, writer
    from rag.evaluation.aggregate import percentile
    from rag.services import get_services

    svc = services or get_services()
    retriever = svc.retriever
    questions = labelled([Path(f) for f in args.files])
    extra = labelled([Path(f) for f in args.bank_only])
    bank = question_bank(retriever, questions + extra)  # every labelled question, embedded as serving embeds them
    docs = {d.id for d in svc.corpus.documents}
    answerable = [q for q in questions if q.answerable and q.gold_ids]
    grid = [(w, gain) for w in args.weights for gain in args.gains]
    hits: dict[tuple[float, float], dict[str, list[bool]]] = {wg: defaultdict(list) for wg in grid}
    kept_cfg = retriever.cfg
    for g in sorted({writer(q) for q in answerable}):
        held_out = retriever.with_bank(bank.restricted(docs, frozenset([g])))  # a variant; the live one is kept
        for w, gain in grid:
            update = {"bank_weight": w, "bank_closeness_gain": gain, "bank_neighbours": args.neighbours}
            held_out.cfg = kept_cfg.model_copy(update=update)
            for q in (q for q in answerable if writer(q) == g):
                top = held_out.retrieve(q.question, 1)
                gold = {m.key for gid in q.gold_ids for m in svc.corpus.lookup(gid)}
                ok = bool(top) and top[0].measure.key in gold
                hits[(w, gain)][q.category].append(ok)
                hits[(w, gain)]["OVERALL"].append(ok)

    categories = sorted(c for c in hits[grid[0]] if c != "OVERALL") + ["OVERALL"]
    print(f"{len(answerable)} answerable questions, {len(bank)} in the bank, writers held out one at a time")
    print(f"{'weight':>7}{'gain':>6}" + "".join(f"{c[:12]:>14}" for c in categories))
    for w, gain in grid:
        print(f"{w:>7.2f}{gain:>6.1f}" + "".join(f"{statistics.mean(hits[(w, gain)][c]):>14.3f}" for c in categories))

    timings = []
    for v in bank.vectors[:300]:
        t = time.perf_counter()
        bank.votes(v, args.neighbours, kept_cfg.bank_temperature)
        bank.similarity(v)
        timings.append(time.perf_counter() - t)
    print(
        f"vote + similarities per question: p50 {percentile(timings, 50) * 1e3:.2f} ms, "
        f"p95 {percentile(timings, 95) * 1e3:.2f} ms"
    )
    return {wg: {c: statistics.mean(hits[wg][c]) for c in categories} for wg in grid}


if __name__ == "__main__":
    main()
