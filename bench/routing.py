"""Which notice questions are routed to, with several notices loaded: the share routed to the notice that answers.

    python bench/routing.py --corpus-dir DIR --index-dir DIR FILE.jsonl [FILE.jsonl …] [--closeness 0.93,0.95]

DIR holds the notices loaded together (the index is built there when missing). Each answerable single-turn
question of the files that routes (it names no notice, measure or unit's remit: rag/retrieval/routing.py) is
routed as the service routes it, and counted right when the notice is its `doc`. `--closeness` routes again with
each of those `route_bank_closeness` values (how near the labelled questions must come for their vote to count).
The search after routing is not timed or scored here; `rag eval` scores the answers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shares(retriever, rows: list[dict], values: list[float]) -> dict[str, dict]:
    """Per notice: how many of `rows` route, and the share routed to their `doc` with each closeness value."""
    from rag.retrieval.routing import needs_routing

    names = {d.id for d in retriever.corpus.documents}
    right: Counter[tuple[float, str]] = Counter()
    asked: Counter[str] = Counter()
    kept = retriever.cfg
    try:
        for q in rows:
            if not q.get("gold_ids") or q.get("history") or q.get("doc") not in names:
                continue
            plan = retriever.plan(q["question"], None)
            if not needs_routing(plan, None, len(names)):
                continue
            asked[q["doc"]] += 1
            for v in values:
                retriever.cfg = kept.model_copy(update={"route_bank_closeness": v})
                right[(v, q["doc"])] += retriever.route(plan) == q["doc"]
    finally:
        retriever.cfg = kept
    return {
        doc: {"questions": n, "right": {v: right[(v, doc)] / n for v in values}} for doc, n in sorted(asked.items())
    }


def main(argv: list[str] | None = None, retriever=None) -> dict[str, dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--corpus-dir", type=Path)
    ap.add_argument("--index-dir", type=Path)
    ap.add_argument("--closeness", default="", help="route_bank_closeness values to compare, comma-separated")
    args = ap.parse_args(argv)
    if retriever is None:
        from rag.services import Services
        from rag.settings import Settings

        if args.corpus_dir is None or args.index_dir is None:
            ap.error("--corpus-dir and --index-dir are needed")
        settings = Settings(
            corpus_dir=args.corpus_dir,
            index_dir=args.index_dir,
            data_dir=args.index_dir / "data",
            llm={"backend": "none"},
        )
        retriever = Services(settings).retriever
    values = [retriever.cfg.route_bank_closeness] + [float(v) for v in args.closeness.split(",") if v]
    values = list(dict.fromkeys(values))
    rows = [json.loads(line) for path in args.files for line in path.read_text(encoding="utf-8").splitlines() if line]
    found = shares(retriever, rows, values)
    print("| notice | routed | " + " | ".join(f"right, closeness {v}" for v in values) + " |")
    print("| --- | ---: |" + " ---: |" * len(values))
    for doc, f in found.items():
        print(f"| {doc} | {f['questions']} | " + " | ".join(f"{f['right'][v]:.3f}" for v in values) + " |")
    return found


if __name__ == "__main__":
    main()
