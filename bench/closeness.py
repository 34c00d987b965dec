"""How near questions come to the labelled questions of the question bank, per question file: the two figures
behind RetrievalSettings.route_bank_closeness (answerable labelled questions: does their vote count when a
question is routed among several notices?) and AnswerSettings.everyday_closeness (out-of-scope labelled
questions: is a question about an unlabelled notice one of them?).

    python bench/closeness.py eval/users-newaskers-dev.jsonl eval/notices/putuo-renewal-2023.jsonl \
        eval/notices/songjiang-jobs-2024.jsonl

For each file: the share of its answerable single-turn questions whose three nearest answerable bank questions
average at least each `--route` threshold, and the share of its answerable, near and far out-of-scope questions
whose three nearest out-of-scope bank questions average at least each `--everyday` threshold.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None, services=None) -> dict[str, dict]:
    """Prints the figures and returns them by file; `services` defaults to the configured ones."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--route", type=float, nargs="+", default=[0.92, 0.93, 0.94])
    ap.add_argument("--everyday", type=float, nargs="+", default=[0.92, 0.93, 0.94, 0.95])
    args = ap.parse_args(argv)

    from rag.language.script import to_simplified
    from rag.retrieval.question_bank import DEFAULT_BANK, QuestionBank
    from rag.services import get_services

    svc = services or get_services()
    bank = QuestionBank.load(svc.settings.retrieval.question_bank or DEFAULT_BANK)
    out: dict[str, dict] = {}
    for name in args.files:
        rows = [json.loads(line) for line in Path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
        groups: dict[str, list[tuple[float, float]]] = {}
        for r in rows:
            kind = "answerable" if r.get("gold_ids") else r.get("oos_kind") or "far"
            answerable, out_of_scope = bank.similarity(svc.embedder.embed_query(to_simplified(r["question"])))
            if kind != "answerable" or not r.get("history"):
                groups.setdefault(kind, []).append((answerable, out_of_scope))
        answered = np.array([a for a, _ in groups.get("answerable", [])])
        figures = {
            "route": {t: float(np.mean(answered >= t)) if len(answered) else float("nan") for t in args.route},
            "everyday": {
                kind: {t: float(np.mean(np.array([o for _, o in sims]) >= t)) for t in args.everyday}
                for kind, sims in sorted(groups.items())
            },
        }
        out[name] = figures
        print(name)
        print(
            "  answerable, labelled questions as near as: "
            + ", ".join(f"≥{t} {s:.3f}" for t, s in figures["route"].items())
        )
        for kind, shares in figures["everyday"].items():
            print(
                f"  {kind}, out-of-scope questions as near as: " + ", ".join(f"≥{t} {s:.3f}" for t, s in shares.items())
            )
    return out


if __name__ == "__main__":
    main()
