"""A logistic regression stored as JSON: feature names, standardisation, weights, bias and the decision
threshold chosen for an operating point. Fitted with scikit-learn (`fit`); applied with one dot product, so
serving needs neither scikit-learn nor pickles (a JSON file can be read and diffed; a pickle can run code)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class LogisticModel:
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float = 0.5  # probability at or above which the answer is yes
    info: dict = field(default_factory=dict)  # how it was fitted and what cross-validation measured
    kind: str = "logistic"

    def __post_init__(self):
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.weights) == n):
            raise ValueError("a logistic model needs one mean, scale and weight per feature")
        self._mean = np.asarray(self.mean, dtype=np.float64)
        self._scale = np.asarray(self.scale, dtype=np.float64)
        self._weights = np.asarray(self.weights, dtype=np.float64)

    def probability(self, x: Sequence[float] | np.ndarray) -> float:
        z = float(((np.asarray(x, dtype=np.float64) - self._mean) / self._scale) @ self._weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = ((np.asarray(rows, dtype=np.float64) - self._mean) / self._scale) @ self._weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def decide(self, x: Sequence[float] | np.ndarray) -> tuple[bool, float]:
        p = self.probability(x)
        return p >= self.threshold, p

    @classmethod
    def fit(
        cls,
        features: list[str],
        rows: np.ndarray,
        labels: np.ndarray,
        c: float = 1.0,
        sample_weight: np.ndarray | None = None,
    ) -> LogisticModel:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        scaler = StandardScaler().fit(rows)
        scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        clf.fit((rows - scaler.mean_) / scale, labels, sample_weight=sample_weight)
        return cls(
            list(features), scaler.mean_.tolist(), scale.tolist(), clf.coef_[0].tolist(), float(clf.intercept_[0])
        )

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_dict(cls, data: dict) -> LogisticModel:
        return cls(
            **{k: data[k] for k in ("features", "mean", "scale", "weights", "bias", "threshold", "info") if k in data}
        )

    @classmethod
    def load(cls, path: Path) -> LogisticModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
