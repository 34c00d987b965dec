"""Scores of one question, exactly as ../shared/eval-format.md defines them. Pure functions, no I/O.

A score is None when the question does not allow it (no gold ids, no gold units, …) or the run did not
measure it; aggregation then leaves the question out instead of counting a zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.corpus.ids import normalize_id
from rag.evaluation.dataset import LIST
from rag.evaluation.shape import clean_shape, fold_text, opening_clause

MRR_DEPTH = 20
RETRIEVAL_METRICS = ("hit@1", "hit@5", "recall@k", "mrr")
ANSWER_METRICS = (
    "unit_recall",
    "fact_accuracy",
    "citation_validity",
    "citation_hit",
    "refusal_accuracy",
    "list_recall",  # list questions: share of gold ids cited
    "opening_clause",  # answered: the opening quotes a clause of a cited measure
    "clean_shape",  # answered: no line that is a bare bracketed id, no measure quoted twice
    "oos_near",  # out of scope, near: refused, or partial without a figure of its own
    "oos_far",  # out of scope, every other kind: refused
)
PARTIAL = "partial"  # Answer.status of an answer that says the notice does not state the asked detail
# a figure with a unit of the details an answer must not make up (amounts, rates, durations); bare numbers are
# left out, so that a hotline number or a year in a document's title is not taken for an invented figure
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|‰|万元|亿元|元|个工作日|工作日|个月|天|小时|分钟)")

Key = tuple[str, str]  # (document id, measure id); the document is "" where the system did not say
Ranked = Sequence[str | Key]  # a bare id: its document is not known


def as_key(item: str | Key) -> Key:
    return ("", item) if isinstance(item, str) else (item[0], item[1])


def retrieval_depth(gold_ids) -> int:
    """How many measures to ask for so that MRR@20 and recall@k are both computable."""
    return max(MRR_DEPTH, len(gold_ids))


@dataclass
class Reply:
    """What the system answered, whichever way it was asked (in process or over HTTP)."""

    text: str
    refused: bool
    citations: list[Key] = field(default_factory=list)  # (doc, id); doc may be ""
    retrieved: list[Key] = field(default_factory=list)  # the answer's context, best first
    mode: str = ""
    notes: list[str] = field(default_factory=list)
    status: str = ""  # answered | partial | refused; "" from a system that does not say
    opening: str = ""  # the answer's first sentence, when the system says which it is
    cited_texts: list[str] = field(default_factory=list)  # the cited measures' texts, in citation order


def _gold(gold_ids) -> set[str]:
    return {normalize_id(g) for g in gold_ids}


def _counts(key: Key, gold: set[str], doc: str) -> bool:
    """A retrieved or cited measure is a gold one: its id, and its document when the question names one (a
    measure whose document is not known cannot be shown to be of it)."""
    return normalize_id(key[1]) in gold and (not doc or key[0] == doc)


def retrieval_scores(ranked: Ranked, gold_ids, doc: str = "") -> dict[str, float | None]:
    if not gold_ids:
        return dict.fromkeys(RETRIEVAL_METRICS)
    gold = _gold(gold_ids)
    keys = [as_key(r) for r in ranked]
    good = [_counts(key, gold, doc) for key in keys]
    k = max(5, len(gold))
    first = next((i for i, ok in enumerate(good[:MRR_DEPTH], 1) if ok), None)
    found = {normalize_id(key[1]) for key, ok in zip(keys[:k], good[:k], strict=True) if ok}
    return {
        "hit@1": float(bool(good) and good[0]),
        "hit@5": float(any(good[:5])),
        "recall@k": len(found) / len(gold),
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
    context = [(d, normalize_id(i)) for d, i in map(as_key, reply.retrieved)]
    for doc, cid in reply.citations:
        cid = normalize_id(cid)
        exists = (doc, cid) in corpus_keys if doc else cid in known_ids
        in_context = any(i == cid and (not d or not doc or d == doc) for d, i in context)
        if not exists or not in_context:
            return 0.0
    return 1.0


def citation_hit(reply: Reply, gold_ids, doc: str = "") -> float | None:
    if not gold_ids:
        return None
    gold = _gold(gold_ids)
    return float(any(_counts(c, gold, doc) for c in reply.citations))


def list_recall(question, reply: Reply) -> float | None:
    """List questions: the share of their gold ids the answer cites (of the question's document)."""
    if question.category != LIST or not question.gold_ids:
        return None
    gold = _gold(question.gold_ids)
    cited = {normalize_id(c[1]) for c in reply.citations if _counts(c, gold, question.doc)}
    return len(cited) / len(gold)


def own_figures(question, reply: Reply) -> list[str]:
    """Figures with a unit (amounts, rates, durations) in the answer that neither the cited measures nor the
    conversation gave: what an answer about a detail the notice does not state must not contain."""
    given = fold_text(" ".join([*reply.cited_texts, question.question, *(c for _, c in question.history)]))
    return [f for f in _FIGURE.findall(fold_text(reply.text)) if f not in given]


def refusal_right(question, reply: Reply) -> bool:
    """Out of scope: refused; near ones also right when the answer says the detail is not stated (status
    partial) and names no figure of its own. Every other question: answered."""
    if question.answerable:
        return not reply.refused
    if question.near and not reply.refused and reply.status == PARTIAL:
        return not own_figures(question, reply)
    return reply.refused


def answer_scores(question, reply: Reply, corpus_keys: set[tuple[str, str]]) -> dict[str, float | None]:
    right = float(refusal_right(question, reply))
    return {
        "unit_recall": share_contained(reply.text, question.gold_units),
        "fact_accuracy": share_contained(reply.text, question.answer_facts),
        "citation_validity": citation_validity(reply, corpus_keys),
        "citation_hit": citation_hit(reply, question.gold_ids, question.doc),
        "refusal_accuracy": right,
        "list_recall": list_recall(question, reply),
        "opening_clause": None if reply.refused else opening_clause(reply.text, reply.opening, reply.cited_texts),
        "clean_shape": None if reply.refused else clean_shape(reply.text, reply.cited_texts),
        "oos_near": right if question.near else None,
        "oos_far": right if not question.answerable and not question.near else None,
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
    "list_recall": "list_recall",
    "opening_clause": "opening",
    "clean_shape": "shape",
}


def checks(scores: dict[str, float | None]) -> dict[str, bool]:
    """Pass/fail of every check the question was scored on, keyed by check name."""
    return {name: value >= 1.0 - 1e-9 for metric, name in CHECKS.items() if (value := scores.get(metric)) is not None}


def failed_answer_scores(question) -> dict[str, float | None]:
    """Scores of a question whose answer could not be obtained: every applicable answer metric is missed."""
    empty = Reply(text="", refused=False)
    scores = answer_scores(question, empty, set())
    for metric in ("refusal_accuracy", "oos_near", "oos_far"):
        if scores[metric] is not None:
            scores[metric] = 0.0
    scores["opening_clause"] = scores["clean_shape"] = None  # nothing was answered to have a shape
    return scores
