"""Plain-text tables for the terminal: metrics by category, and the change against a baseline."""

from __future__ import annotations

import unicodedata

from rag.evaluation.aggregate import QUALITY_METRICS
from rag.evaluation.compare import Comparison

SHORT = {
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "recall@k": "R@k",
    "mrr": "MRR",
    "unit_recall": "units",
    "fact_accuracy": "facts",
    "citation_validity": "cite_ok",
    "citation_hit": "cite_hit",
    "refusal_accuracy": "refusal",
    "list_recall": "list_R",
    "opening_clause": "opening",
    "clean_shape": "shape",
    "oos_near": "oos_near",
    "oos_far": "oos_far",
    "latency_p50_s": "p50_s",
    "latency_p95_s": "p95_s",
    "search_latency_p50_s": "search_p50_s",
    "search_latency_p95_s": "search_p95_s",
    "answer_latency_p50_s": "answer_p50_s",
    "answer_latency_p95_s": "answer_p95_s",
}
ABSENT = "-"
# the columns a reader looks at first, in this order; the other measured metrics follow
HEADLINE = (
    "hit@1",
    "hit@5",
    "refusal_accuracy",
    "list_recall",
    "opening_clause",
    "clean_shape",
    "fact_accuracy",
    "unit_recall",
)
TABLE_ORDER = HEADLINE + tuple(m for m in QUALITY_METRICS if m not in HEADLINE)


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(0, cols - width(text))
    return gap + text if right else text + gap


def render(rows: list[list[str]], right_from: int = 1) -> str:
    cols = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(pad(cell, cols[i], right=i >= right_from) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * c for c in cols).rstrip())
    return "\n".join(lines)


def metrics_table(overall: dict, by_category: dict[str, dict]) -> str:
    """Categories as rows, metrics as columns; a metric nobody measured gets no column, a gap gets '-'."""
    metrics = [m for m in TABLE_ORDER if m in overall or any(m in c for c in by_category.values())]
    metrics += [m for m in ("latency_p50_s", "latency_p95_s") if m in overall]
    rows = [["category", "n", "n_ret"] + [SHORT[m] for m in metrics]]
    for name, s in [*by_category.items(), ("OVERALL", overall)]:
        rows.append(
            [name, str(s.get("n", 0)), str(s.get("n_retrieval", 0))]
            + [f"{s[m]:.3f}" if m in s else ABSENT for m in metrics]
        )
    return render(rows)


def answerable_refused(overall: dict) -> str | None:
    """'answerable refused: N of M' when answers were measured."""
    if "n_answerable" not in overall:
        return None
    return f"answerable refused: {overall.get('answerable_refused', 0)} of {overall['n_answerable']}"


def comparison_table(cmp: Comparison, show_all: bool = False) -> str:
    """Every overall change, and per category only what moved (the full grid is in --json / --report)."""
    rows = [["scope", "metric", "baseline", "now", "change", ""]]
    for c in cmp.changes:
        # per category only quality metrics that moved; latency always moves a little
        if c.scope != "overall" and not show_all and (abs(c.delta) < 1e-9 or c.metric not in QUALITY_METRICS):
            continue
        flag = "REGRESSION" if c.regressed and c.gated else ("dropped" if c.regressed else "")
        rows.append(
            [c.scope, SHORT.get(c.metric, c.metric), f"{c.before:.3f}", f"{c.after:.3f}", f"{c.delta:+.3f}", flag]
        )
    return render(rows, right_from=2)
