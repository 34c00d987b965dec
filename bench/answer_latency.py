"""Answers with the local chat model on a sample of a QA file: time to the first streamed token, time to
the whole answer, how often the model's phrasing passed the checks, and the unit / refusal / citation
figures of the final answers. The model runs one question at a time, as the server runs it."""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
import unicodedata
from pathlib import Path


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("（", "(").replace("）", ")")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default="eval/qa.jsonl")
    ap.add_argument("--sample", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mode", default="llm")
    args = ap.parse_args()

    from rag.services import get_services

    svc = get_services()
    if svc.chat_model is None:
        raise SystemExit("no chat model available: run `rag model prepare` and check RAG_LLM__BACKEND")
    rows = [json.loads(l) for l in Path(args.file).read_text(encoding="utf-8").splitlines() if l.strip()]
    rows = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    svc.answerer.ask("接水找谁", mode=args.mode)  # load the model once, outside the timings
    first_tokens, first_model_tokens, totals = [], [], []
    units = refusal = valid = kept = asked = n_units = 0.0
    reasons: list[str] = []
    for r in rows:
        started = time.perf_counter()
        first = first_model = None
        pieces = 0
        for e in svc.answerer.stream(r["question"], mode=args.mode):
            if e["event"] == "token":
                pieces += 1
                now = time.perf_counter() - started
                first = first if first is not None else now
                if pieces == 2 and first_model is None:
                    first_model = now  # the preface (units, ids) is piece 1; the model's words follow
            elif e["event"] == "done":
                a = e["answer"]
        totals.append(time.perf_counter() - started)
        first_tokens.append(first or 0.0)
        if first_model is not None and a.mode == "llm":
            first_model_tokens.append(first_model)
        replaced = [n for n in a.notes if "模型回答" in n]
        asked += a.mode == "llm" or bool(replaced)  # header, refusal and unit-remit answers never ask the model
        kept += a.mode == "llm"
        reasons += [n.split("：", 1)[-1] for n in replaced]
        valid += all(c.id in a.retrieved for c in a.citations)
        refusal += a.refused == (r["category"] == "out_of_scope")
        if r["gold_units"]:
            n_units += 1
            units += sum(norm(u) in norm(a.answer) for u in r["gold_units"]) / len(r["gold_units"])
        why = f" replaced: {replaced[0].split('：', 1)[-1][:90]}" if replaced else ""
        print(f"{r['id']:6s} {r['category']:16s} first={first or 0:.2f}s total={totals[-1]:.1f}s mode={a.mode:10s} refused={a.refused}{why}", flush=True)
    p95 = lambda xs: sorted(xs)[min(len(xs) - 1, int(0.95 * len(xs)))] if xs else float("nan")
    n = len(rows)
    print(f"\nquestions={n} first token p50={statistics.median(first_tokens):.2f}s p95={p95(first_tokens):.2f}s"
          f" | first model token p50={statistics.median(first_model_tokens) if first_model_tokens else float('nan'):.2f}s"
          f" | whole answer p50={statistics.median(totals):.1f}s p95={p95(totals):.1f}s max={max(totals):.1f}s")
    print(f"model asked for {int(asked)} of {n}; its phrasing kept for {int(kept)} ({kept / asked if asked else float('nan'):.2f})"
          f" citation validity={valid / n:.3f} refusal accuracy={refusal / n:.3f}"
          f" unit recall={units / n_units if n_units else float('nan'):.3f}")


if __name__ == "__main__":
    main()
