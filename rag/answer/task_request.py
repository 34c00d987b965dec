"""Does a question ask for information, or for a task (write a poem, translate this, tell a joke) or
chit-chat? "Write a haiku about customs clearance" and "讲个跟税务局有关的笑话" sit close to measures in
every retrieval score, so the scope's evidence features take them for questions; what gives them away is
the asking, not the topic.

Learned, not listed: a logistic regression on the question's vector (the one retrieval already computed, so
no extra encoding) tells requests from questions. `rag calibrate` fits it on labelled out-of-scope questions
noted not_a_question against every other labelled question; cross-validated by writer, AUC 0.996. Its
probability is one feature of the scope model (rag/answer/scope.py), not a decision of its own. The asking
form does not depend on a notice, so it carries to any notice's questions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from rag.classifiers.base import Classifier
from rag.classifiers.logistic import LogisticModel
from rag.provenance import fits

log = logging.getLogger(__name__)
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "task_model.json"


def feature_names(dim: int) -> list[str]:
    return [f"e{i}" for i in range(dim)]


class TaskRequest:
    def __init__(self, model: Classifier | None):
        self.model = model

    @classmethod
    def load(cls, dim: int, path: Path | None = None, embedding_model: str | None = None) -> TaskRequest:
        """The model at `path`; with `embedding_model`, only where the learned-data manifest says it was
        fitted on that model's vectors (rag/provenance), else on `dim`-sized ones."""
        path = path or DEFAULT_MODEL
        if not path.is_file():
            log.warning("no task-request model at %s: the scope model reads every input as a question", path)
            return cls(None)
        if embedding_model is not None and not fits(path, embedding_model, dim):
            return cls(None)
        model = LogisticModel.load(path)
        if len(model.features) != dim:  # fitted on another embedding model's vectors
            log.warning(
                "task-request model %s was fitted for %d-dim vectors, not %d: not used", path, len(model.features), dim
            )
            return cls(None)
        return cls(model)

    def probability(self, vector: np.ndarray) -> float:
        """0 without a model: what the scope model was fitted on when none was there."""
        return 0.0 if self.model is None else self.model.probability(vector.astype(np.float64))
