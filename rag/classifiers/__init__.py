"""Small learned decisions (is a question in scope, does it ask for a unit's whole remit), fitted with
scikit-learn by `rag calibrate` and stored as JSON files that numpy applies at run time."""

from __future__ import annotations

import json
from pathlib import Path

from rag.classifiers.base import Classifier
from rag.classifiers.logistic import LogisticModel
from rag.classifiers.trees import KIND as TREES
from rag.classifiers.trees import BoostedTrees

__all__ = ["BoostedTrees", "Classifier", "LogisticModel", "load_classifier"]


def load_classifier(path: Path) -> Classifier:
    """The classifier a file holds, by its `kind` (files without one are logistic regressions)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("kind") == TREES:
        return BoostedTrees.from_dict(data)
    return LogisticModel.from_dict(data)
