"""Scores of one question, exactly as ../shared/eval-format.md defines them. Pure functions, no I/O.

A score is None when the question does not allow it (no gold ids, no gold units, …) or the run did not
measure it; aggregation then leaves the question out instead of counting a zero.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rag.corpus.ids import normalize_id

MRR_DEPTH = 20
RETRIEVAL_METRICS = ("hit@1", "hit@5", "recall@k", "mrr")
ANSWER_METRICS = ("unit_recall", "fact_accuracy", "citation_validity", "citation_hit", "refusal_accuracy")


def retrieval_depth(gold_ids) -> int:
    """How many measures to ask for so that MRR@20 and recall@k are both computable."""
    return max(MRR_DEPTH, len(gold_ids))


def fold_text(text: str) -> str:
    """Answer text and gold strings alike: full-width forms folded (NFKC, so （）→()), white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Reply:
    """What the system answered, whichever way it was asked (in process or over HTTP)."""

    text: str
    refused: bool
    citations: list[tuple[str, str]] = field(default_factory=list)  # (doc, id); doc may be ""
    retrieved: list[str] = field(default_factory=list)  # ids in the answer's context, best first
    mode: str = ""
    notes: list[str] = field(default_factory=list)


def retrieval_scores(ranked: list[str], gold_ids) -> dict[str, float | None]:
    if not gold_ids:
        return dict.fromkeys(RETRIEVAL_METRICS)
    gold = {normalize_id(g) for g in gold_ids}
    ranks = [normalize_id(r) for r in ranked]
    k = max(5, len(gold))
    first = next((i for i, r in enumerate(ranks[:MRR_DEPTH], 1) if r in gold), None)
    return {
        "hit@1": float(bool(ranks[:1]) and ranks[0] in gold),
        "hit@5": float(any(r in gold for r in ranks[:5])),
        "recall@k": len(gold & set(ranks[:k])) / len(gold),
        "mrr": 1.0 / first if first else 0.0,
    }


def share_contained(text: str, needles) -> float | None:
    """Share of the needles that appear in the text after folding both; None when there are none."""
    if not needles:
        return None
    hay = fold_text(text)
    return sum(fold_text(n) in hay for n in needles) / len(needles)


def citation_validity(reply: Reply, corpus_keys: set[tuple[str, str]]) -> float | None:
    """1 when every cited id exists in the corpus and was among the measures the answer retrieved."""
    if not reply.citations:
        return None
    known_ids = {i for _, i in corpus_keys}
    context = {normalize_id(r) for r in reply.retrieved}
    for doc, cid in reply.citations:
        cid = normalize_id(cid)
        exists = (doc, cid) in corpus_keys if doc else cid in known_ids
        if not exists or cid not in context:
            return 0.0
    return 1.0


def citation_hit(reply: Reply, gold_ids) -> float | None:
    if not gold_ids:
        return None
    gold = {normalize_id(g) for g in gold_ids}
    return float(any(normalize_id(cid) in gold for _, cid in reply.citations))


def answer_scores(question, reply: Reply, corpus_keys: set[tuple[str, str]]) -> dict[str, float | None]:
    return {
        "unit_recall": share_contained(reply.text, question.gold_units),
        "fact_accuracy": share_contained(reply.text, question.answer_facts),
        "citation_validity": citation_validity(reply, corpus_keys),
        "citation_hit": citation_hit(reply, question.gold_ids),
        "refusal_accuracy": float(reply.refused == (not question.answerable)),
    }


# a question fails a check when its score is below full marks; MRR is a graded view of hit@k, not a check
CHECKS = {
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "recall@k": "recall@k",
    "unit_recall": "unit_recall",
    "fact_accuracy": "fact_accuracy",
    "citation_validity": "citation_validity",
    "citation_hit": "citation_hit",
    "refusal_accuracy": "refusal",
}


def checks(scores: dict[str, float | None]) -> dict[str, bool]:
    """Pass/fail of every check the question was scored on, keyed by check name."""
    return {name: value >= 1.0 - 1e-9 for metric, name in CHECKS.items() if (value := scores.get(metric)) is not None}


def failed_answer_scores(question) -> dict[str, float | None]:
    """Scores of a question whose answer could not be obtained: every applicable answer metric is missed."""
    empty = Reply(text="", refused=False)
    scores = answer_scores(question, empty, set())
    scores["refusal_accuracy"] = 0.0
    return scores
