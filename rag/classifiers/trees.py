"""Gradient-boosted decision trees stored as JSON: for each tree its split features, thresholds, children and
leaf values, plus the learning rate and the starting log-odds. Fitted with scikit-learn's
GradientBoostingClassifier; applied by walking the trees in numpy, so serving needs no pickle.

Why trees for the scope decision: its evidence interacts (a low keyword score matters little when the dense
ranking agrees with it, much when it does not), and on the dev split boosted trees refused about half of the
out-of-scope questions at 1% refused answerable ones, against about a third for a logistic regression on the
same features (cross-validated; README, Scope).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

KIND = "boosted-trees"


@dataclass
class BoostedTrees:
    features: list[str]
    trees: list[dict]  # {"feature": [...], "threshold": [...], "left": [...], "right": [...], "value": [...]}
    learning_rate: float
    init: float  # log-odds before any tree
    threshold: float = 0.5
    info: dict = field(default_factory=dict)
    kind: str = KIND

    def __post_init__(self):
        self._arrays = [
            tuple(np.asarray(t[k]) for k in ("feature", "threshold", "left", "right", "value")) for t in self.trees
        ]

    def _raw(self, x: np.ndarray) -> float:
        total = 0.0
        for feature, threshold, left, right, value in self._arrays:
            node = 0
            while left[node] != -1:  # scikit-learn marks leaves with -1 children
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            total += value[node]
        return self.init + self.learning_rate * total

    def probability(self, x: Sequence[float] | np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-self._raw(np.asarray(x, dtype=np.float64)))))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        return np.array([self.probability(r) for r in np.asarray(rows, dtype=np.float64)])

    def decide(self, x: Sequence[float] | np.ndarray) -> tuple[bool, float]:
        p = self.probability(x)
        return p >= self.threshold, p

    @classmethod
    def fit(
        cls,
        features: list[str],
        rows: np.ndarray,
        labels: np.ndarray,
        n_trees: int = 200,
        depth: int = 3,
        learning_rate: float = 0.05,
        subsample: float = 0.8,
        seed: int = 0,
    ) -> BoostedTrees:
        from sklearn.ensemble import GradientBoostingClassifier

        clf = GradientBoostingClassifier(
            n_estimators=n_trees, max_depth=depth, learning_rate=learning_rate, subsample=subsample, random_state=seed
        ).fit(rows, labels)
        trees = []
        for est in clf.estimators_[:, 0]:
            t = est.tree_
            trees.append(
                {
                    "feature": t.feature.tolist(),
                    "threshold": t.threshold.tolist(),
                    "left": t.children_left.tolist(),
                    "right": t.children_right.tolist(),
                    "value": t.value[:, 0, 0].tolist(),
                }
            )
        x0 = np.asarray(rows[:1], dtype=np.float64)
        init = float(clf.decision_function(x0)[0]) - learning_rate * sum(
            float(e.predict(x0)[0]) for e in clf.estimators_[:, 0]
        )
        return cls(list(features), trees, learning_rate, init)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "features": self.features,
            "learning_rate": self.learning_rate,
            "init": self.init,
            "threshold": self.threshold,
            "info": self.info,
            "trees": self.trees,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_dict(cls, data: dict) -> BoostedTrees:
        return cls(
            data["features"],
            data["trees"],
            data["learning_rate"],
            data["init"],
            data.get("threshold", 0.5),
            data.get("info", {}),
        )
