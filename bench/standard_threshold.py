"""How close in meaning a later question must be to a saved one for its standard answer to be reused.

Reads the labelled pairs of eval/standard-pairs.jsonl (a saved question, a later one, and whether they
ask the same thing; written by a helper who had read only the notice), embeds both sides as the
answerer does (traditional script made simplified, the query encoder), and prints, per split, how many
paraphrases match and how many different questions ("near": same topic, another answer; "other") would
wrongly get the saved answer at each threshold. The threshold is chosen on the dev groups only: the
lowest at which at most 1% of the dev pairs that ask something else (near and other) would match; the test
groups are reported beside it.

    python bench/standard_threshold.py
    python bench/standard_threshold.py --thresholds 0.9 0.92 0.94
    python bench/standard_threshold.py --latency     # also: answer time with the 60 saved questions vs none
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "eval" / "standard-pairs.jsonl"


def main(argv: list[str] | None = None, services=None) -> float:
    """Prints the tables and returns the threshold chosen on dev; `services` defaults to the configured ones."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=str(PAIRS))
    ap.add_argument("--thresholds", type=float, nargs="*")
    ap.add_argument("--latency", action="store_true", help="time extractive answers with and without the answers")
    ap.add_argument(
        "--as-asked", action="store_true", help="compare the questions as asked (no folding of outer punctuation)"
    )
    args = ap.parse_args(argv)
    from rag.language.script import to_simplified
    from rag.services import get_services
    from rag.standard.matcher import question_text

    svc = services or get_services()
    embed = svc.embedder.embed_query
    rows = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    cache: dict[str, np.ndarray] = {}

    def vec(text: str) -> np.ndarray:
        limit = svc.settings.embedding.max_query_chars
        key = to_simplified(text)[:limit] if args.as_asked else question_text(text, limit)
        if key not in cache:
            cache[key] = embed(key)
        return cache[key]

    sims: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        sims[r["split"]][r["kind"]].append(float(vec(r["saved"]) @ vec(r["asked"])))
    dev = sims["dev"]
    negatives = dev["near"] + dev["other"]
    chosen = min(
        (t for t in np.arange(0.80, 1.0, 0.005) if sum(s >= t for s in negatives) <= 0.01 * len(negatives)),
        default=1.0,
    )
    thresholds = sorted(set(args.thresholds or [0.88, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95]) | {round(chosen, 3)})
    print(f"chosen on dev (lowest with at most 1% of different questions matching): {chosen:.3f}")
    for split in ("dev", "test"):
        s = sims[split]
        print(f"\n{split}: {len(s['paraphrase'])} paraphrases, {len(s['near'])} near, {len(s['other'])} other")
        print(
            f"  cosine  paraphrase p10/p50 {np.percentile(s['paraphrase'], 10):.3f}/"
            f"{np.median(s['paraphrase']):.3f}  near max {max(s['near']):.3f}  other max {max(s['other']):.3f}"
        )
        print("  threshold  paraphrase matched  near matched  other matched")
        for t in thresholds:
            p = np.mean([x >= t for x in s["paraphrase"]])
            n = sum(x >= t for x in s["near"])
            o = sum(x >= t for x in s["other"])
            print(f"  {t:9.3f}  {p:18.3f}  {n:12d}  {o:13d}")
    if args.latency:
        print("\nlatency (the embedding cache is on, as served; each asked question once):")
        latency(svc, rows)
    return float(chosen)


def latency(svc, rows: list[dict]) -> None:
    """Extractive answers to every asked question: no standard answers saved, then the 60 saved questions
    saved (each citing its own best search hit), in a temporary data directory."""
    import tempfile
    import time

    from rag.evaluation.aggregate import percentile
    from rag.services import Services
    from rag.standard.service import StandardAnswerIn

    asked = [r["asked"] for r in rows]
    saved = list(dict.fromkeys(r["saved"] for r in rows))
    for n in (0, len(saved)):
        other = Services(svc.settings.model_copy(update={"data_dir": Path(tempfile.mkdtemp())}))
        for name in ("corpus", "embedder", "index", "retriever"):
            other.__dict__[name] = getattr(svc, name)
        for q in saved[:n]:
            top = svc.retriever.retrieve(q, 1)[0].measure
            other.standard_answers.create(StandardAnswerIn(question=q, answer="见所引措施。", citations=[top.id]))
        answerer = other.answerer
        answerer.ask(asked[0], mode="extractive")  # warm: the saved questions are embedded once, here
        cache = getattr(svc.embedder, "_cache", None)
        if cache is not None:
            cache.clear()  # each run encodes its questions afresh, as a new question would be
        times: dict[str, list[float]] = {"standard": [], "retrieval": []}
        for q in asked:
            t = time.perf_counter()
            a = answerer.ask(q, mode="extractive")
            times[a.source].append(1000 * (time.perf_counter() - t))
        print(
            f"{n:3d} saved: "
            + "; ".join(
                f"{k} answers ({len(v)}) p50 {percentile(v, 50):.1f} ms, p95 {percentile(v, 95):.1f} ms"
                for k, v in times.items()
                if v
            )
        )


if __name__ == "__main__":
    main()
