"""A run against a saved earlier run: the change per metric and category, the questions that broke, the gate.

The gate looks at quality metrics only. Latency depends on the machine (a laptop baseline against a CI
runner), so its change is shown but never fails the run. By default only the overall figures gate: one
question flipping in a nine-question category moves it by 0.11, which would make any tolerance meaningless;
--gate-categories opts into per-category gating for sets large enough to bear it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rag.evaluation.aggregate import LATENCY_METRICS, QUALITY_METRICS

OVERALL = "overall"
EPS = 1e-9  # 0.1 - 0.08 is 0.020000000000000004 in floats; a drop of exactly max_drop passes


@dataclass
class MetricChange:
    scope: str  # "overall" or a category
    metric: str
    before: float
    after: float
    regressed: bool  # a quality metric that fell by more than max_drop
    gated: bool  # whether this change can fail the run

    @property
    def delta(self) -> float:
        return self.after - self.before

    def to_dict(self) -> dict:
        return {**asdict(self), "delta": round(self.delta, 6)}


@dataclass
class Comparison:
    max_drop: float
    changes: list[MetricChange] = field(default_factory=list)
    broke: list[dict] = field(default_factory=list)  # questions that passed before and fail now
    fixed: list[dict] = field(default_factory=list)  # questions that failed before and pass now
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[MetricChange]:
        return [c for c in self.changes if c.regressed and c.gated]

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {
            "max_drop": self.max_drop,
            "ok": self.ok,
            "failures": [c.to_dict() for c in self.failures],
            "changes": [c.to_dict() for c in self.changes],
            "broke": self.broke,
            "fixed": self.fixed,
            "notes": self.notes,
        }


# the headline latency_p50_s is the search time in a retrieval-only run and the answer time otherwise, so it
# is compared through the explicit search_/answer_ keys only
COMPARED_LATENCY = tuple(m for m in LATENCY_METRICS if not m.startswith("latency_"))


def _scope_changes(scope: str, before: dict, after: dict, max_drop: float, gated: bool) -> list[MetricChange]:
    out = []
    for metric in QUALITY_METRICS + COMPARED_LATENCY:
        if metric in before and metric in after:
            b, a = float(before[metric]), float(after[metric])
            quality = metric in QUALITY_METRICS
            out.append(MetricChange(scope, metric, b, a, quality and b - a > max_drop + EPS, gated and quality))
    return out


def _question_flips(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict]]:
    """Compared on the checks both runs made, so a retrieval-only baseline still flags retrieval breaks."""
    old = {str(q.get("id")): q for q in before}
    broke, fixed = [], []
    for q in after:
        prev = old.get(str(q.get("id")))
        if prev is None:
            continue
        now_checks, then_checks = q.get("checks") or {}, prev.get("checks") or {}
        common = [c for c in now_checks if c in then_checks]
        newly = [c for c in common if then_checks[c] and not now_checks[c]]
        healed = [c for c in common if not then_checks[c] and now_checks[c]]
        was_pass = all(then_checks[c] for c in common)
        is_pass = all(now_checks[c] for c in common)
        row = {"id": q.get("id"), "category": q.get("category"), "question": q.get("question")}
        if was_pass and not is_pass:
            broke.append(
                {
                    **row,
                    "checks": newly,
                    "retrieved_before": (prev.get("retrieved") or [])[:5],
                    "retrieved_now": (q.get("retrieved") or [])[:5],
                }
            )
        elif is_pass and not was_pass:
            fixed.append({**row, "checks": healed})
    return broke, fixed


def compare(current: dict, baseline: dict, max_drop: float = 0.02, gate_categories: bool = False) -> Comparison:
    cmp = Comparison(max_drop)
    cmp.changes += _scope_changes(OVERALL, baseline["overall"], current["overall"], max_drop, gated=True)
    for cat, now in current["by_category"].items():
        then = baseline.get("by_category", {}).get(cat)
        if then is None:
            cmp.notes.append(f"category {cat!r} is new: no baseline to compare with")
            continue
        cmp.changes += _scope_changes(cat, then, now, max_drop, gated=gate_categories)
    for cat in baseline.get("by_category", {}):
        if cat not in current["by_category"]:
            cmp.notes.append(f"category {cat!r} of the baseline is not in this run")
    skipped = [m for m in QUALITY_METRICS if m in baseline["overall"] and m not in current["overall"]]
    if skipped:
        cmp.notes.append(f"not measured in this run, so not compared: {', '.join(skipped)}")
    n_then, n_now = baseline["overall"].get("n"), current["overall"].get("n")
    if n_then != n_now:
        cmp.notes.append(f"the baseline has {n_then} questions, this run {n_now}: were they run on the same file?")
    cmp.broke, cmp.fixed = _question_flips(baseline.get("questions", []), current["questions"])
    return cmp
