"""Answers with the local chat model on a sample of a QA file: time to the first streamed token, time to
the whole answer, how often the model's phrasing passed the checks, and the unit / refusal / citation
figures of the final answers. The model runs one question at a time, as the server runs it.

    python bench/answer_latency.py                          # 12 questions of eval/qa.jsonl, llm mode
    python bench/answer_latency.py --sample 3 --mode extractive   # the pipeline without the chat model
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def p95(xs: list[float]) -> float:
    return sorted(xs)[min(len(xs) - 1, int(0.95 * len(xs)))] if xs else float("nan")


def main(argv: list[str] | None = None, services=None) -> dict:
    """Prints the figures and returns them; `services` defaults to the configured ones."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "eval" / "qa.jsonl"))
    ap.add_argument("--sample", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mode", default="llm", choices=["auto", "llm", "extractive"])
    args = ap.parse_args(argv)

    from rag.answer.events import Done, Token
    from rag.evaluation.scoring import share_contained
    from rag.evaluation.shape import clean_shape
    from rag.services import get_services

    svc = services or get_services()
    if args.mode != "extractive" and svc.chat_model is None:
        raise SystemExit("no chat model available: run `rag model prepare` and check RAG_LLM__BACKEND")
    rows = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    svc.answerer.ask("接水找谁", mode=args.mode)  # load the model once, outside the timings
    first_tokens, first_model_tokens, totals = [], [], []
    units = refusal = valid = kept = asked = n_units = 0.0
    sentences: dict[str, int] = {}  # the model's sentences kept, and dropped as adding nothing, by why
    unclean = 0  # answers with a bracket-only line or a measure's text twice
    for r in rows:
        started = time.perf_counter()
        first = first_model = None
        pieces = 0
        answer = None
        for e in svc.answerer.stream(r["question"], mode=args.mode):
            if isinstance(e, Token):
                pieces += 1
                now = time.perf_counter() - started
                first = first if first is not None else now
                if pieces == 2 and first_model is None:
                    first_model = now  # the preface (units, ids) is piece 1; the model's words follow
            elif isinstance(e, Done):
                answer = e.answer
        if answer is None:
            raise RuntimeError(f"{r['id']}: the answer stream ended without a result")
        totals.append(time.perf_counter() - started)
        first_tokens.append(first or 0.0)
        if first_model is not None and answer.mode == "llm":
            first_model_tokens.append(first_model)
        replaced = [n for n in answer.notes if "模型回答" in n]
        # header, refusal, list and unit-remit answers never ask the model
        asked += answer.phrasing is not None or bool(replaced)
        kept += answer.mode == "llm"
        valid += all(c.id in answer.retrieved for c in answer.citations)
        for why, count in (answer.phrasing or {}).items():
            sentences[why] = sentences.get(why, 0) + count
        unclean += clean_shape(answer.answer, [c.text for c in answer.citations]) < 1
        refusal += answer.refused == (r["category"] == "out_of_scope")
        if r["gold_units"]:
            n_units += 1
            units += share_contained(answer.answer, r["gold_units"]) or 0.0
        why = f" replaced: {replaced[0].split('：', 1)[-1][:90]}" if replaced else ""
        print(
            f"{r['id']:6s} {r['category']:16s} first={first or 0:.2f}s total={totals[-1]:.1f}s "
            f"mode={answer.mode:10s} refused={answer.refused}{why}",
            flush=True,
        )
    n = len(rows)
    figures = {
        "questions": n,
        "first_token_p50_s": statistics.median(first_tokens),
        "first_token_p95_s": p95(first_tokens),
        "first_model_token_p50_s": statistics.median(first_model_tokens) if first_model_tokens else float("nan"),
        "answer_p50_s": statistics.median(totals),
        "answer_p95_s": p95(totals),
        "answer_max_s": max(totals),
        "model_asked": int(asked),
        "model_kept": int(kept),
        "citation_validity": valid / n,
        "refusal_accuracy": refusal / n,
        "unit_recall": units / n_units if n_units else float("nan"),
        "model_sentences": sentences,
        "unclean_answers": int(unclean),
    }
    print(
        f"\nquestions={n} first token p50={figures['first_token_p50_s']:.2f}s p95={figures['first_token_p95_s']:.2f}s"
        f" | first model token p50={figures['first_model_token_p50_s']:.2f}s"
        f" | whole answer p50={figures['answer_p50_s']:.1f}s p95={figures['answer_p95_s']:.1f}s"
        f" max={figures['answer_max_s']:.1f}s"
    )
    print(
        f"model asked for {int(asked)} of {n}; its phrasing kept for {int(kept)}"
        f" ({kept / asked if asked else float('nan'):.2f}) citation validity={valid / n:.3f}"
        f" refusal accuracy={refusal / n:.3f} unit recall={figures['unit_recall']:.3f}"
    )
    print(
        f"model sentences: {sentences.get('kept', 0)} kept, dropped as adding nothing: "
        + ", ".join(f"{k} {v}" for k, v in sorted(sentences.items()) if k != "kept")
        + f" | answers with a bracket-only line or a measure's text twice: {int(unclean)}"
    )
    return figures


if __name__ == "__main__":
    main()
