"""`rag calibrate`: fit the two learned decisions on labelled questions and store them as data.

- Scope (rag/answer/scope.py): in-scope questions are every answerable question of the files; out-of-scope
  ones are those of category out_of_scope. Header questions (文号, 发文日期) and follow-ups are left out: the
  answer pipeline settles them before scope is judged. The threshold is chosen on cross-validated
  probabilities, so the refusal rate it promises is not measured on the questions it was fitted on.
- Remit (rag/retrieval/remit.py): questions that name a unit; positive when their category is unit_inverse.

Both print what cross-validation measured; the same figures go into the model file's `info`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.answer.header import header_field
from rag.answer.scope import DEFAULT_MODEL as SCOPE_MODEL
from rag.answer.scope import FEATURES, ScopeJudge
from rag.classifiers import BoostedTrees, Classifier, LogisticModel
from rag.evaluation.dataset import Question, load_dataset
from rag.retrieval.hybrid import HybridRetriever
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


def _cv_probabilities(fit, x: np.ndarray, y: np.ndarray, repeats: int = 1) -> np.ndarray:
    """Each question's probability from a model fitted without it (k folds), averaged over `repeats` splits."""
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(y))
    for seed in range(repeats):
        folds = StratifiedKFold(n_splits=min(FOLDS, int(min(np.bincount(y)))), shuffle=True, random_state=seed)
        for train, test in folds.split(x, y):
            out[test] += fit(x[train], y[train]).probabilities(x[test])
    return out / repeats


def _threshold(p_yes: np.ndarray, max_false_no: float) -> float:
    """The highest threshold at which at most `max_false_no` of the positives fall below it."""
    ranked = np.sort(p_yes)
    allowed = int(np.floor(max_false_no * len(ranked)))
    return float(ranked[allowed]) if len(ranked) else 0.5


def fit_scope(
    retriever: HybridRetriever, judge: ScopeJudge, questions: list[Question], max_false_refusal: float
) -> Fitted:
    rows, labels, categories = [], [], []
    for q in questions:
        if header_field(q.question):
            continue
        result = retriever.search(retriever.plan(q.question), top_k=8)
        if judge.ruled(result) is not None:
            continue  # structure or a hard fact decides these; the model never sees them at run time either
        rows.append(judge.features(result)[0])
        labels.append(int(q.answerable))
        categories.append(q.category)
    x, y = np.asarray(rows, dtype=np.float64), np.asarray(labels)
    cv = _cv_probabilities(lambda xs, ys: BoostedTrees.fit(FEATURES, xs, ys), x, y, repeats=3)
    threshold = _threshold(cv[y == 1], max_false_refusal)
    model = BoostedTrees.fit(FEATURES, x, y)
    model.threshold = threshold
    report = {
        "questions": int(len(y)),
        "answerable": int(y.sum()),
        "out_of_scope": int((y == 0).sum()),
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
    services, paths: list[Path], max_false_refusal: float, scope_out: Path | None = None, remit_out: Path | None = None
) -> dict:
    questions = labelled(paths)
    retriever = services.retriever
    remit = fit_remit(retriever, questions)
    remit.model.save(remit_out or REMIT_MODEL)
    retriever.remit = RemitIntent(retriever.embedder, remit.model)  # the scope fit sees questions as serving plans them
    judge = ScopeJudge(services.corpus, set(retriever.pinyin.idf), None, lexicon=retriever.lexicon)
    scope = fit_scope(retriever, judge, questions, max_false_refusal)
    scope.model.save(scope_out or SCOPE_MODEL)
    return {"remit": remit.report, "scope": scope.report}
