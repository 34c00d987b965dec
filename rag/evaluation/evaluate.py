"""Put every question of a dataset to a runner and score it: one QuestionResult per question.

A question with a `doc` is asked as any user would ask it, not told the document, unless `scope_doc` (rag
eval --scope-doc) passes the document as the request's `doc`; either way only hits and citations of that
document count. A question with a `history` is a follow-up: only the answer reads the conversation, so it is
put to the answerer (in extractive mode in a retrieval-only run) and its retrieval metrics come from the
answer's `retrieved` list, which is as deep as the answer's search (answer.search_depth), not 20.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rag.corpus.ids import normalize_id
from rag.evaluation.dataset import Question
from rag.evaluation.runners import QuestionError, Runner
from rag.evaluation.scoring import (
    Key,
    Reply,
    answer_scores,
    checks,
    failed_answer_scores,
    retrieval_depth,
    retrieval_scores,
)


@dataclass
class QuestionResult:
    question: Question
    retrieved: list[Key] = field(default_factory=list)
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
        row = {"id": q.id, "category": q.category, "question": q.question, **q.gold_dict()}
        row.update({"doc": q.doc} if q.doc else {})
        row.update({"history": q.turns} if q.history else {})
        row.update({"oos_kind": q.oos_kind} if q.oos_kind else {})
        row.update(_ids("retrieved", self.retrieved, q.doc))
        if self.reply is not None:
            r = self.reply
            row.update({"answer": r.text, "refused": r.refused, "status": r.status, "mode": r.mode})
            row.update({"opening": r.opening} if r.opening else {})
            row.update(_ids("citations", r.citations, q.doc))
            row.update(_ids("answer_retrieved", r.retrieved, q.doc))
            row["notes"] = r.notes
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


def _ids(name: str, keys: list[Key], doc: str) -> dict:
    """Ids as earlier reports wrote them (baselines compare them), and their documents beside them where the
    document matters: the question names one, or more than one appears."""
    row: dict = {name: [i for _, i in keys]}
    if doc or len({d for d, _ in keys}) > 1:
        row[f"{name}_docs"] = [d for d, _ in keys]
    return row


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def placed(reply: Reply, corpus_keys: set[tuple[str, str]], scope: str | None) -> Reply:
    """The reply with a document for each entry of its `retrieved` that came without one (Answer.retrieved
    holds ids only): the document the request was limited to, else the one a citation of that id names, else
    the only loaded document that has the id. An id several loaded documents share stays unplaced, and an
    unplaced id never counts for a question about one document."""
    cited: dict[str, set[str]] = {}
    for d, i in reply.citations:
        cited.setdefault(normalize_id(i), set()).add(d)
    owners: dict[str, set[str]] = {}
    for d, i in corpus_keys:
        owners.setdefault(i, set()).add(d)

    def place(key: Key) -> Key:
        doc, mid = key
        if doc:
            return key
        n = normalize_id(mid)
        for docs in ({scope} if scope else set(), cited.get(n, set()), owners.get(n, set())):
            if len(docs) == 1:
                return next(iter(docs)), mid
        return key

    return replace(reply, retrieved=[place(k) for k in reply.retrieved])


def _follow_up(
    res: QuestionResult, runner: Runner, *, answers: bool, mode: str, corpus_keys: set[tuple[str, str]], doc
) -> QuestionResult:
    """A question with a history: asked through the answer, which alone reads the conversation."""
    q = res.question
    reply = None
    try:
        replied = runner.ask(q.question, mode if answers else "extractive", q.turns, doc)
        reply = placed(replied.value, corpus_keys, doc)
        res.retrieved = list(reply.retrieved)
        if answers:
            res.reply, res.answer_s = reply, replied.seconds
        else:  # what a retrieval-only run times: how long the question took to retrieve for
            res.search_s = replied.seconds
    except QuestionError as exc:
        res.errors.append(str(exc))
    res.scores.update(retrieval_scores(res.retrieved, q.gold_ids, q.doc))
    if answers:
        res.scores.update(answer_scores(q, reply, corpus_keys) if reply is not None else failed_answer_scores(q))
    return res


def evaluate_question(
    q: Question,
    runner: Runner,
    *,
    answers: bool,
    mode: str,
    corpus_keys: set[tuple[str, str]],
    scope_doc: bool = False,
) -> QuestionResult:
    res = QuestionResult(q)
    doc = q.doc if scope_doc and q.doc else None
    if q.history:
        return _follow_up(res, runner, answers=answers, mode=mode, corpus_keys=corpus_keys, doc=doc)
    try:
        found = runner.search(q.question, retrieval_depth(q.gold_ids), doc)
        res.retrieved, res.search_s = list(found.value), found.seconds
    except QuestionError as exc:
        res.errors.append(str(exc))
    res.scores.update(retrieval_scores(res.retrieved, q.gold_ids, q.doc))
    if answers:
        try:
            replied = runner.ask(q.question, mode, None, doc)
            res.reply, res.answer_s = placed(replied.value, corpus_keys, doc), replied.seconds
            res.scores.update(answer_scores(q, res.reply, corpus_keys))
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
    scope_doc: bool = False,
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
        results.append(
            evaluate_question(q, runner, answers=answers, mode=mode, corpus_keys=corpus_keys, scope_doc=scope_doc)
        )
        if on_progress is not None:
            on_progress(len(results), len(questions))
    bar.close()
    return results
