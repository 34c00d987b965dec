"""Put every question of a dataset to a runner and score it: one QuestionResult per question."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.evaluation.dataset import Question
from rag.evaluation.runners import QuestionError, Runner
from rag.evaluation.scoring import Reply, answer_scores, checks, failed_answer_scores, retrieval_depth, retrieval_scores


@dataclass
class QuestionResult:
    question: Question
    retrieved: list[str] = field(default_factory=list)
    reply: Reply | None = None
    scores: dict[str, float | None] = field(default_factory=dict)
    search_s: float | None = None
    answer_s: float | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def checks(self) -> dict[str, bool]:
        out = checks(self.scores)
        if self.errors:
            out["error"] = False
        return out

    @property
    def failed(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]

    def to_dict(self) -> dict:
        q = self.question
        row = {"id": q.id, "category": q.category, "question": q.question, **q.gold_dict(), "retrieved": self.retrieved}
        if self.reply is not None:
            r = self.reply
            row.update(
                {
                    "answer": r.text,
                    "refused": r.refused,
                    "mode": r.mode,
                    "citations": [cid for _, cid in r.citations],
                    "answer_retrieved": r.retrieved,
                    "notes": r.notes,
                }
            )
        row.update(
            {
                "scores": {k: (round(v, 6) if v is not None else None) for k, v in self.scores.items()},
                "checks": self.checks,
                "failed": self.failed,
                "passed": not self.failed,
                "search_s": _round(self.search_s),
            }
        )
        if self.answer_s is not None:
            row["answer_s"] = _round(self.answer_s)
        if self.errors:
            row["errors"] = self.errors
        return row


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def evaluate_question(
    q: Question, runner: Runner, *, answers: bool, mode: str, corpus_keys: set[tuple[str, str]]
) -> QuestionResult:
    res = QuestionResult(q)
    try:
        found = runner.search(q.question, retrieval_depth(q.gold_ids))
        res.retrieved, res.search_s = list(found.value), found.seconds
    except QuestionError as exc:
        res.errors.append(str(exc))
    res.scores.update(retrieval_scores(res.retrieved, q.gold_ids))
    if answers:
        try:
            replied = runner.ask(q.question, mode)
            res.reply, res.answer_s = replied.value, replied.seconds
            res.scores.update(answer_scores(q, replied.value, corpus_keys))
        except QuestionError as exc:
            res.errors.append(str(exc))
            res.scores.update(failed_answer_scores(q))
    return res


def evaluate(
    questions: list[Question],
    runner: Runner,
    *,
    answers: bool,
    mode: str = "auto",
    progress: bool = True,
    corpus_keys: set[tuple[str, str]] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[QuestionResult]:
    """Every question in file order. RunnerError (system unusable) propagates; per-question errors are scored.
    `on_progress(done, total)` is called after each question (the admin tab's progress bar)."""
    from tqdm import tqdm

    if corpus_keys is None:
        corpus_keys = runner.corpus_keys()
    runner.warm_up(answers, mode)
    results = []
    bar = tqdm(
        questions, desc="eval", unit="q", file=sys.stderr, disable=not progress, mininterval=0.5, dynamic_ncols=True
    )
    for q in bar:
        results.append(evaluate_question(q, runner, answers=answers, mode=mode, corpus_keys=corpus_keys))
        if on_progress is not None:
            on_progress(len(results), len(questions))
    bar.close()
    return results
