"""Metrics over a set of question results: overall and by category.

A metric no question of the group could be scored on is absent from the group's dict, never 0: a
retrieval-only run has no answer metrics, and out_of_scope questions have no retrieval metrics.
"""

from __future__ import annotations

from rag.evaluation.evaluate import QuestionResult
from rag.evaluation.scoring import ANSWER_METRICS, RETRIEVAL_METRICS

QUALITY_METRICS = RETRIEVAL_METRICS + ANSWER_METRICS
LATENCY_METRICS = (
    "latency_p50_s",
    "latency_p95_s",
    "search_latency_p50_s",
    "search_latency_p95_s",
    "answer_latency_p50_s",
    "answer_latency_p95_s",
)
COUNT_KEYS = ("n", "n_retrieval", "errors", "n_answerable", "answerable_refused")


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), without numpy."""
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summarize(results: list[QuestionResult]) -> dict:
    out: dict = {"n": len(results), "n_retrieval": sum(1 for r in results if r.question.gold_ids)}
    for metric in QUALITY_METRICS:
        values = [v for r in results if (v := r.scores.get(metric)) is not None]
        if values:
            out[metric] = round(sum(values) / len(values), 6)
    for kind, attr in (("search", "search_s"), ("answer", "answer_s")):
        times = [getattr(r, attr) for r in results if getattr(r, attr) is not None]
        if times:
            out[f"{kind}_latency_p50_s"] = round(percentile(times, 50), 4)
            out[f"{kind}_latency_p95_s"] = round(percentile(times, 95), 4)
    # the headline latency is what a user waits for: the answer when answers were measured
    headline = "answer" if "answer_latency_p50_s" in out else "search"
    for p in ("p50", "p95"):
        if f"{headline}_latency_{p}_s" in out:
            out[f"latency_{p}_s"] = out[f"{headline}_latency_{p}_s"]
    # answers of answerable questions that were obtained, and how many of them refused: the cost of refusing
    # too eagerly, which refusal accuracy mixes with the out-of-scope questions
    answerable = [r.reply for r in results if r.reply is not None and r.question.answerable]
    if answerable:
        out["n_answerable"] = len(answerable)
        out["answerable_refused"] = sum(1 for reply in answerable if reply.refused)
    errors = sum(1 for r in results if r.errors)
    if errors:
        out["errors"] = errors
    return out


def aggregate(results: list[QuestionResult]) -> tuple[dict, dict[str, dict]]:
    """(overall, by_category) with categories in name order."""
    by_cat: dict[str, list[QuestionResult]] = {}
    for r in results:
        by_cat.setdefault(r.question.category, []).append(r)
    return summarize(results), {c: summarize(rs) for c, rs in sorted(by_cat.items())}
