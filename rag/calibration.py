"""`rag calibrate`: fit the two learned decisions on labelled questions and store them as data.

- Scope (rag/answer/scope.py): in-scope questions are every answerable question of the files; out-of-scope
  ones are those of category out_of_scope. Header questions (文号, 发文日期) and follow-ups are left out: the
  answer pipeline settles them before scope is judged. Two models are fitted: one on corpus evidence alone,
  one that adds how near each question comes to the other labelled questions (rag/retrieval/question_bank.py),
  which is stored beside it. The threshold is chosen on probabilities cross-validated by writer, so the
  refusal rate it promises is measured on writers the fit never saw.
- Remit (rag/retrieval/remit.py): questions that name a unit; positive when their category is unit_inverse.
- Task request (rag/answer/task_request.py): positive for out-of-scope questions noted not_a_question. Its
  probability is a scope feature, so each writer's scope features read a task model fitted without them.

Both print what cross-validation measured; the same figures go into the model file's `info`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.answer.header import header_field
from rag.answer.scope import BANK_FEATURES, DEFAULT_BANK_MODEL, FEATURES, ScopeJudge
from rag.answer.scope import DEFAULT_MODEL as SCOPE_MODEL
from rag.answer.task_request import DEFAULT_MODEL as TASK_MODEL
from rag.answer.task_request import TaskRequest
from rag.answer.task_request import feature_names as task_feature_names
from rag.classifiers import BoostedTrees, Classifier, LogisticModel
from rag.evaluation.dataset import Question, load_dataset
from rag.provenance import record_fit
from rag.retrieval.evidence import BankCloseness
from rag.retrieval.hybrid import HybridRetriever
from rag.retrieval.question_bank import DEFAULT_BANK, QuestionBank
from rag.retrieval.remit import DEFAULT_MODEL as REMIT_MODEL
from rag.retrieval.remit import RemitIntent, feature_names, remit_features

log = logging.getLogger(__name__)
UNIT_REMIT = "unit_inverse"
FOLDS = 5


@dataclass
class Fitted:
    model: Classifier
    report: dict


def labelled(paths: list[Path]) -> list[Question]:
    questions: list[Question] = []
    for path in paths:
        questions += load_dataset(path).questions
    return questions


def writer(q: Question) -> str:
    """Who wrote a question, by its id's prefix (w3-017 → w3): cross-validation holds out whole writers,
    because what matters is how the decision does on people whose wording it has never seen."""
    return q.id.rsplit("-", 1)[0] if "-" in q.id else "_"


def _folds(y: np.ndarray, groups: np.ndarray, seed: int):
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    n = min(FOLDS, len(set(groups.tolist())))
    if n >= 2:
        return StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed).split(y, y, groups)
    return StratifiedKFold(n_splits=min(FOLDS, int(min(np.bincount(y)))), shuffle=True, random_state=seed).split(y, y)


def _cv_probabilities(fit, x: np.ndarray, y: np.ndarray, repeats: int = 1, groups: np.ndarray | None = None):
    """Each question's probability from a model fitted without it (k folds, whole writers held out where
    `groups` names them), averaged over `repeats` splits."""
    out = np.zeros(len(y))
    g = groups if groups is not None else np.zeros(len(y), dtype=int)
    for seed in range(repeats):
        for train, test in _folds(y, g, seed):
            out[test] += fit(x[train], y[train]).probabilities(x[test])
    return out / repeats


def _threshold(p_yes: np.ndarray, max_false_no: float) -> float:
    """The highest threshold at which at most `max_false_no` of the positives fall below it."""
    ranked = np.sort(p_yes)
    allowed = int(np.floor(max_false_no * len(ranked)))
    return float(ranked[allowed]) if len(ranked) else 0.5


@dataclass
class _ScopeRows:
    x: np.ndarray  # corpus-evidence features
    bank: np.ndarray  # the two bank similarities, from a bank without the question's writer
    y: np.ndarray  # 1: answerable
    groups: np.ndarray  # writers
    categories: list[str]


def question_bank(retriever: HybridRetriever, questions: list[Question]) -> QuestionBank:
    """Every labelled question's vector, its answering measures (or none) and its writer."""
    vectors, answerable, gold, writers = [], [], [], []
    for q in questions:
        if header_field(q.question):
            continue
        plan = retriever.plan(q.question)
        keys = [m.key for g in q.gold_ids for m in retriever.corpus.lookup(g)]
        if q.answerable and not keys:
            continue
        vectors.append(retriever.embedder.embed_query(plan.text[: retriever.max_dense_chars]))
        answerable.append(q.answerable)
        gold.append("|".join(dict.fromkeys(keys)) if q.answerable else "")
        writers.append(writer(q))
    return QuestionBank(
        np.asarray(vectors, dtype=np.float32).reshape(len(vectors), retriever.embedder.dim),
        np.asarray(answerable, dtype=bool),
        np.asarray(gold),
        np.asarray(writers),
        retriever.embedder.name,
    )


def scope_rows(
    retriever: HybridRetriever,
    judge: ScopeJudge,
    questions: list[Question],
    bank: QuestionBank,
    tasks: dict[str, TaskRequest],
) -> _ScopeRows:
    """Features of each question as serving would compute them, except that the bank the retriever and the
    bank features read, and the task model (`tasks`, by writer), hold no question by the same writer: at run
    time neither has seen the person asking. Each writer's retriever and judgement are new objects
    (`with_bank`, `with_task`): the ones given are left as they are."""
    docs = {d.id for d in retriever.corpus.documents}
    rows, sims, labels, groups, categories = [], [], [], [], []
    for g in sorted({writer(q) for q in questions}):
        held_bank = bank.restricted(docs, frozenset([g]))
        held_out = retriever.with_bank(held_bank)
        judged = judge.with_task(tasks[g])
        for q in questions:
            if writer(q) != g or header_field(q.question):
                continue
            evidence = held_out.search(held_out.plan(q.question), top_k=8)
            if judged.ruled(evidence) is not None:
                continue  # structure or a hard fact decides these; the model never sees them at run time
            # the bank features as the labelled notice's questions would read them (a held-out bank may hold no
            # answerable question of a notice, and serving would then leave them out: rag/retrieval/routing.py)
            closeness = evidence.bank or BankCloseness(*held_bank.similarity(evidence.query))
            rows.append(judged.features(evidence)[0])
            sims.append(closeness.features())
            labels.append(int(q.answerable))
            groups.append(g)
            categories.append(q.category)
    return _ScopeRows(
        np.asarray(rows, dtype=np.float64),
        np.asarray(sims, dtype=np.float64),
        np.asarray(labels),
        np.asarray(groups),
        categories,
    )


def _fit_trees(features: list[str], x, y, groups, categories, max_false_refusal: float) -> Fitted:
    cv = _cv_probabilities(lambda xs, ys: BoostedTrees.fit(features, xs, ys), x, y, repeats=3, groups=groups)
    threshold = _threshold(cv[y == 1], max_false_refusal)
    model = BoostedTrees.fit(features, x, y)
    model.threshold = threshold
    report = {
        "questions": int(len(y)),
        "answerable": int(y.sum()),
        "out_of_scope": int((y == 0).sum()),
        "writers": len(set(groups.tolist())),
        "cv": "by writer: each question scored by a model fitted without its writer's questions",
        "cv_answerable_refused": float(np.mean(cv[y == 1] < threshold)),
        "cv_out_of_scope_refused": float(np.mean(cv[y == 0] < threshold)),
        "cv_auc": _auc(cv, y),
        "max_false_refusal": max_false_refusal,
        "cv_refused_by_category": {
            c: round(float(np.mean([p < threshold for p, k in zip(cv, categories, strict=False) if k == c])), 3)
            for c in sorted(set(categories))
        },
    }
    model.info = report
    return Fitted(model, report)


def fit_task(
    retriever: HybridRetriever, questions: list[Question], c: float = 0.1
) -> tuple[Fitted | None, dict[str, TaskRequest]]:
    """The task-request model on the question vectors retrieval computes, and one model per writer fitted
    without that writer's questions (for the scope fit). C 0.1: cross-validated by writer, AUC 0.996 against
    0.995 at C 0.5 and 0.993 at C 2, on 3,394 questions of which 257 requests. Files that note no request
    (another notice's first labels) fit none: the packaged model, fitted on other writers, serves every
    writer instead, or none at all."""
    kept = [q for q in questions if not header_field(q.question)]
    x = np.asarray(
        [retriever.embedder.embed_query(retriever.plan(q.question).text[: retriever.max_dense_chars]) for q in kept],
        dtype=np.float64,
    )
    y = np.asarray([int(q.asks_task) for q in kept])
    groups = np.asarray([writer(q) for q in kept])
    if not 0 < y.sum() < len(y):
        packaged = TaskRequest.load(retriever.embedder.dim)
        log.warning("no questions noted not_a_question: the task-request feature reads %s", TASK_MODEL)
        return None, {g: packaged for g in set(groups.tolist())}
    names = task_feature_names(x.shape[1])
    by_writer: dict[str, TaskRequest] = {}
    cv = np.zeros(len(y))
    for g in sorted(set(groups.tolist())):
        out = groups == g
        if not 0 < y[~out].sum() < (~out).sum():  # the only writer with requests: no held-out model to fit
            by_writer[g], cv[out] = TaskRequest(None), 0.0
            continue
        held_out = LogisticModel.fit(names, x[~out], y[~out], c=c)
        by_writer[g] = TaskRequest(held_out)
        cv[out] = held_out.probabilities(x[out])
    model = LogisticModel.fit(names, x, y, c=c)
    model.threshold = 0.5
    report = {
        "questions": int(len(y)),
        "requests": int(y.sum()),
        "cv": "by writer: each question scored by a model fitted without its writer's questions",
        "cv_auc": _auc(cv, y),
        "cv_requests_found": float(np.mean(cv[y == 1] >= 0.5)),
        "cv_questions_taken_for_requests": float(np.mean(cv[y == 0] >= 0.5)),
        "embedding_model": retriever.embedder.name,
    }
    model.info = report
    return Fitted(model, report), by_writer


def fit_scope(
    retriever: HybridRetriever,
    judge: ScopeJudge,
    questions: list[Question],
    max_false_refusal: float,
    bank_only: list[Question] | None = None,
    tasks: dict[str, TaskRequest] | None = None,
) -> tuple[Fitted, Fitted, QuestionBank]:
    """The corpus-evidence model, the model that adds the question bank, and the bank itself. `bank_only`
    questions join the bank (and so every other question's bank features) but are not fitted or scored."""
    bank = question_bank(retriever, [*questions, *(bank_only or [])])
    r = scope_rows(retriever, judge, questions, bank, tasks or {writer(q): judge.task for q in questions})
    base = _fit_trees(FEATURES, r.x, r.y, r.groups, r.categories, max_false_refusal)
    banked = _fit_trees(BANK_FEATURES, np.hstack([r.x, r.bank]), r.y, r.groups, r.categories, max_false_refusal)
    return base, banked, bank


def fit_remit(retriever: HybridRetriever, questions: list[Question], c: float = 0.5) -> Fitted:
    rows, labels = [], []
    for q in questions:
        plan = retriever.planner.plan(q.question)
        if not plan.unit_names or plan.referenced or not q.answerable:
            continue
        rows.append(remit_features(plan, retriever.embedder))
        labels.append(int(q.category == UNIT_REMIT))
    x, y = np.asarray(rows), np.asarray(labels)
    names = feature_names(retriever.embedder.dim)
    cv = _cv_probabilities(lambda xs, ys: LogisticModel.fit(names, xs, ys, c=c), x, y)
    model = LogisticModel.fit(names, x, y, c=c)
    model.threshold = 0.5
    report = {
        "questions": int(len(y)),
        "remit": int(y.sum()),
        "cv_accuracy": float(np.mean((cv >= 0.5) == (y == 1))),
        "cv_remit_found": float(np.mean(cv[y == 1] >= 0.5)),
        "cv_topic_kept": float(np.mean(cv[y == 0] < 0.5)),
        "cv_auc": _auc(cv, y),
        "embedding_model": retriever.embedder.name,
    }
    model.info = report
    return Fitted(model, report)


def _auc(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def calibrate(
    services,
    paths: list[Path],
    max_false_refusal: float,
    scope_out: Path | None = None,
    remit_out: Path | None = None,
    bank_out: Path | None = None,
    bank_only: list[Path] | None = None,
    task_out: Path | None = None,
) -> dict:
    """Fit both models on `paths`. `bank_only` files add questions to the bank alone: questions written to
    cover the measures labelled least (eval/users-coverage.jsonl) are not a draw of what users ask, and
    holding their writer out in cross-validation takes away most of the bank's questions on exactly those
    measures, a situation serving never meets while they are in the bank; fitted on, they pulled the scope
    threshold down (out-of-scope refused, cross-validated: 0.971 without them, 0.945 with them)."""
    questions = labelled(paths)
    extra = labelled(bank_only or [])
    retriever = services.retriever
    remit = fit_remit(retriever, questions)
    # the scope fit sees questions as serving will plan them: a retriever of its own with the new remit model
    fitting = retriever.with_remit(RemitIntent(retriever.embedder, remit.model))
    task, task_by_writer = fit_task(fitting, questions)
    serving_task = TaskRequest(task.model) if task else next(iter(task_by_writer.values()), TaskRequest(None))
    judge = ScopeJudge(services.corpus, fitting.facts(), None, task=serving_task)
    scope, banked, bank = fit_scope(fitting, judge, questions, max_false_refusal, extra, task_by_writer)
    for fitted in (scope, banked):  # its features read this model's scores (checked at load, rag/answer/scope.py)
        fitted.report["embedding_model"] = retriever.embedder.name
    # written only once every fit has succeeded, so the files never mix two fits
    remit.model.save(remit_out or REMIT_MODEL)
    scope_out = scope_out or SCOPE_MODEL
    task_path = task_out or scope_out.with_name(TASK_MODEL.name)  # beside the scope model it feeds
    if serving_task.model is not None:
        serving_task.model.save(task_path)
    else:  # the scope model was fitted with the feature at 0: a stale file would feed it something else
        task_path.unlink(missing_ok=True)
    scope.model.save(scope_out)
    banked.model.save(scope_out.with_name(DEFAULT_BANK_MODEL.name))
    # a model written elsewhere (a trial) takes its bank along; the packaged model, the packaged bank
    bank_path = bank_out or (scope_out.with_name(DEFAULT_BANK.name) if scope_out != SCOPE_MODEL else DEFAULT_BANK)
    bank.save(bank_path)
    written = [remit_out or REMIT_MODEL, scope_out, scope_out.with_name(DEFAULT_BANK_MODEL.name), bank_path]
    written += [task_path] if serving_task.model is not None else []
    record_fit(services, scope_out.parent, written, paths, bank_only or [], max_false_refusal)  # rag/provenance
    return {
        "remit": remit.report,
        "task_request": task.report if task else {"fitted": False, "reused": serving_task.model is not None},
        "scope": scope.report,
        "scope_with_question_bank": banked.report,
        "bank": {"questions": len(bank), "bank_only": len(extra)},
    }
